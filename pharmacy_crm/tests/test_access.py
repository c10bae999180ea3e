# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Who may do what: every group x every model x read/write/create/unlink, then real reads."""
from odoo.exceptions import AccessError, UserError

from .common import PATIENT_PROFILE, PharmacyCase

MODELS = ['pharmacy.medication', 'pharmacy.patient.medication', 'pharmacy.fill',
          'pharmacy.patient.note', 'pharmacy.consent', 'pharmacy.manufacturer.preference']
# expected rights per user, as 'rwcu' letters, in the order of MODELS
MATRIX = {
    'technician': ['r', 'rwc', 'rwc', 'rwc', 'rwc', 'rwcu'],
    'pharmacist': ['r', 'rwc', 'rwc', 'rwc', 'rwc', 'rwcu'],
    'manager': ['rwcu', 'rwc', 'rwc', 'rwc', 'rwc', 'rwcu'],
    'internal_user': ['', '', '', '', '', ''],   # e.g. a marketing user: no pharmacy group
    'portal_user': ['', '', '', '', '', ''],
}
OPERATIONS = {'r': 'read', 'w': 'write', 'c': 'create', 'u': 'unlink'}


class TestAccess(PharmacyCase):

    def test_access_matrix(self):
        for who, rights in MATRIX.items():
            user = getattr(self, who)
            for model, allowed in zip(MODELS, rights):
                for letter, operation in OPERATIONS.items():
                    granted = self.env[model].sudo(user).check_access_rights(
                        operation, raise_exception=False)
                    self.assertEqual(granted, letter in allowed,
                                     '%s %s %s' % (who, operation, model))

    def test_groups_imply_each_other(self):
        self.assertTrue(self.manager.has_group('pharmacy_crm.group_pharmacy_pharmacist'))
        self.assertTrue(self.manager.has_group('pharmacy_crm.group_pharmacy_technician'))
        self.assertTrue(self.pharmacist.has_group('pharmacy_crm.group_pharmacy_technician'))
        self.assertFalse(self.technician.has_group('pharmacy_crm.group_pharmacy_pharmacist'))

    def test_outsiders_read_no_clinical_data(self):
        rx = self._prescription()
        fill = self._fill(rx, '2024-01-05')
        note = self.env['pharmacy.patient.note'].create(
            {'patient_id': self.patient.id, 'body': 'Private'})
        for user in (self.internal_user, self.portal_user):
            for record in (rx, fill, note):
                with self.assertRaises(AccessError, msg='%s %s' % (user.login, record)):
                    record.sudo(user).read()
            for field in ('allergies', 'prescription_ids', 'note_ids', 'next_due_date',
                          'alert_text', 'consent_ids'):
                with self.assertRaises(AccessError, msg='%s %s' % (user.login, field)):
                    self.patient.sudo(user).read([field])
        # the internal user still reads the contact itself
        self.assertEqual(self.patient.sudo(self.internal_user).read(['name'])[0]['name'],
                         'Pat Test')
        fields = self.env['res.partner'].sudo(self.internal_user).fields_get()
        self.assertNotIn('allergies', fields)
        self.assertNotIn('prescription_ids', fields)

    def test_staff_work_on_profiles_but_do_not_delete_history(self):
        rx = self._prescription().sudo(self.technician)
        fill = self._fill(rx, '2024-01-05')
        self.assertEqual(fill.create_uid, self.technician)
        self.patient.sudo(self.technician).write({'allergies': 'Penicillin, sulfa'})
        for record in (rx, fill, self.patient.sudo(self.technician)):
            with self.assertRaisesRegex(UserError, 'never deleted'):
                record.unlink()
        with self.assertRaises(AccessError):
            self.atorvastatin.sudo(self.pharmacist).write({'name': 'Renamed'})
        self.atorvastatin.sudo(self.manager).write({'name': 'Atorvastatin calcium'})

    def test_other_company_records_are_invisible(self):
        other = self.env['res.company'].create({'name': 'Other Pharmacy'})
        patient = self.env['res.partner'].create(
            dict(PATIENT_PROFILE, name='Other Patient', is_patient=True, company_id=other.id))
        rx = self._prescription(patient_id=patient.id)
        self.assertEqual(rx.company_id, other, "a prescription has its patient's company")
        Prescription = self.env['pharmacy.patient.medication']
        self.assertNotIn(rx, Prescription.sudo(self.manager).search([]))
        self.manager.write({'company_ids': [(4, other.id)], 'company_id': other.id})
        self.assertIn(rx, Prescription.sudo(self.manager).search([]))
