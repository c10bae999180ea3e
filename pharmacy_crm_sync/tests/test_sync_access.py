# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Who may do what on refill sync: staff read, write and create; nobody deletes; outsiders
nothing."""
from odoo.addons.pharmacy_crm.tests.common import PharmacyCase

MODELS = ['pharmacy.sync.enrollment', 'pharmacy.sync.appointment',
          'pharmacy.sync.appointment.line']
STAFF = ('technician', 'pharmacist', 'manager')
OPERATIONS = {'r': 'read', 'w': 'write', 'c': 'create', 'u': 'unlink'}


class TestSyncAccess(PharmacyCase):

    def test_access_matrix(self):
        for who in STAFF + ('internal_user', 'portal_user'):
            user = getattr(self, who)
            allowed = 'rwc' if who in STAFF else ''
            for model in MODELS:
                for letter, operation in OPERATIONS.items():
                    granted = self.env[model].sudo(user).check_access_rights(
                        operation, raise_exception=False)
                    self.assertEqual(granted, letter in allowed,
                                     '%s %s %s' % (who, operation, model))
