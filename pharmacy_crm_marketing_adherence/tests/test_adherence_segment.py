# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Not adherent in a class in the latest period: an older period does not count."""
from odoo.addons.pharmacy_crm.tests.common import PharmacyCase


class TestAdherenceSegment(PharmacyCase):

    def test_non_adherent_in_the_latest_period(self):
        statin = self.env.ref('pharmacy_crm.therapeutic_class_statin')
        patients = {}
        for key in ('late_now', 'late_before', 'adherent'):
            patients[key] = self.env['res.partner'].create({
                'name': 'Adh %s' % key, 'is_patient': True, 'email': '%s@example.com' % key,
                'birthdate_date': '1960-01-01', 'allergies': 'None known'})
            self.env['pharmacy.consent'].create({
                'patient_id': patients[key].id, 'channel': 'email', 'purpose': 'marketing',
                'state': 'granted', 'date': '2024-01-01', 'source': 'in_store'})
        # rows as the adherence computation stores them: the latest period ends 2099-12-31
        rows = [('late_now', '2099-01-01', '2099-12-31', False),
                ('late_before', '2098-01-01', '2098-12-31', False),
                ('late_before', '2099-01-01', '2099-12-31', True),
                ('adherent', '2099-01-01', '2099-12-31', True)]
        for key, start, end, adherent in rows:
            self.env.cr.execute("""
                INSERT INTO pharmacy_adherence (patient_id, class_id, date_start, date_end,
                                                adherent, company_id)
                VALUES (%s, %s, %s, %s, %s, %s)""", [patients[key].id, statin.id, start, end,
                                                     adherent, patients[key].company_id.id])
        segment = self.env['pharmacy.segment'].create(
            {'name': 'Statin, not adherent', 'non_adherent_class_id': statin.id})
        self.assertTrue(segment.is_clinical)
        segment._pharmacy_sync()
        self.assertEqual(self.env['mail.mass_mailing.contact'].search(
            [('pharmacy_segment_id', '=', segment.id)]).mapped('pharmacy_patient_id'),
            patients['late_now'])
