# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Refill sync criteria: enrolled patients; 3+ maintenance medications and not enrolled."""
from odoo.addons.pharmacy_crm.tests.common import PharmacyCase


class TestSyncSegment(PharmacyCase):

    def test_enrolled_and_candidates(self):
        Medication = self.env['pharmacy.medication']
        meds = [Medication.create({'name': 'Maint %d' % i, 'strength': '1 mg',
                                   'is_maintenance': True}) for i in range(3)]
        patients = {}
        for key in ('enrolled', 'candidate', 'two_meds'):
            patients[key] = self.env['res.partner'].create({
                'name': 'Sync %s' % key, 'is_patient': True, 'email': '%s@example.com' % key,
                'birthdate_date': '1960-01-01', 'allergies': 'None known'})
            self.env['pharmacy.consent'].create({
                'patient_id': patients[key].id, 'channel': 'email', 'purpose': 'marketing',
                'state': 'granted', 'date': '2024-01-01', 'source': 'in_store'})
            for med in meds[:2 if key == 'two_meds' else 3]:
                self._prescription(patient_id=patients[key].id, medication_id=med.id)
        self.env['pharmacy.sync.enrollment'].create({
            'patient_id': patients['enrolled'].id, 'sync_rule': 'cycle', 'cycle_days': 28,
            'anchor_date': '2030-01-01', 'consent_source': 'in_store'})
        Segment = self.env['pharmacy.segment']
        enrolled = Segment.create({'name': 'Enrolled', 'sync_enrolled': True,
                                  'partner_domain': "[('name', '=like', 'Sync %')]"})
        candidates = Segment.create({'name': 'Candidates', 'sync_candidate': True,
                                    'partner_domain': "[('name', '=like', 'Sync %')]"})
        self.assertTrue(enrolled.is_clinical and candidates.is_clinical)
        (enrolled | candidates)._pharmacy_sync()
        members = {segment.name: self.env['mail.mass_mailing.contact'].search(
            [('pharmacy_segment_id', '=', segment.id)]).mapped('pharmacy_patient_id')
            for segment in enrolled | candidates}
        self.assertEqual(members, {'Enrolled': patients['enrolled'],
                                   'Candidates': patients['candidate']})
        self.assertIn(('Refill sync', 'Enrolled', 1, 100.0), enrolled._pharmacy_profile_rows())
        self.assertIn(('Refill sync', 'Enrolled', 0, 0.0), candidates._pharmacy_profile_rows())
