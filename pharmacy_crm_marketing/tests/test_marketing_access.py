# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""A marketing user (Odoo's mass mailing group, no pharmacy group) reads no clinical data."""
from odoo.exceptions import AccessError

from odoo.addons.pharmacy_crm.tests.common import PharmacyCase

CLINICAL_MODELS = ['pharmacy.patient.medication', 'pharmacy.fill', 'pharmacy.patient.note',
                   'pharmacy.manufacturer.preference']


class TestMarketingAccess(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.marketer = cls._user('marketer', cls.env.ref('mass_mailing.group_mass_mailing_user'))

    def test_marketing_user_has_no_right_on_clinical_models(self):
        self.assertTrue(self.marketer.has_group('mass_mailing.group_mass_mailing_user'))
        for model in CLINICAL_MODELS:
            for operation in ('read', 'write', 'create', 'unlink'):
                self.assertFalse(self.env[model].sudo(self.marketer).check_access_rights(
                    operation, raise_exception=False), '%s %s' % (operation, model))

    def test_marketing_user_cannot_read_medications_or_allergies(self):
        rx = self._prescription()
        fill = self._fill(rx, '2024-01-05')
        for record in (rx, fill):
            with self.assertRaises(AccessError):
                record.sudo(self.marketer).read()
        for field in ('allergies', 'prescription_ids', 'note_ids', 'next_due_date'):
            with self.assertRaises(AccessError):
                self.patient.sudo(self.marketer).read([field])
        # the contact itself stays readable, for mailing lists
        self.assertEqual(self.patient.sudo(self.marketer).name, 'Pat Test')
