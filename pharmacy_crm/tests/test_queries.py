# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Lists read their columns in batches: the query count does not grow with the patients."""
from .common import PATIENT_PROFILE, PharmacyCase

LIST_FIELDS = ['display_name', 'age', 'current_medication_count', 'next_due_date',
               'has_alerts', 'alert_text', 'patient_state']


class TestQueries(PharmacyCase):

    def _patients(self, count):
        patients = self.env['res.partner']
        for i in range(count):
            patient = self.env['res.partner'].create(
                dict(PATIENT_PROFILE, name='Q%d' % i, is_patient=True))
            self.patient = patient
            rx = self._prescription()
            self._fill(rx, '2024-01-05')
            self.env['pharmacy.patient.note'].create(
                {'patient_id': patient.id, 'body': 'Alert %d' % i, 'is_alert': True})
            patients |= patient
        return patients

    def _queries_to_read(self, patients):
        patients = patients.sudo(self.technician)
        patients.invalidate_cache()
        before = self.cr.sql_log_count
        patients.read(LIST_FIELDS)
        return self.cr.sql_log_count - before

    def test_patient_list_reads_in_constant_queries(self):
        few, many = self._patients(3), self._patients(15)
        self._queries_to_read(few)      # warm the caches of access rights and record rules
        self.assertEqual(self._queries_to_read(few), self._queries_to_read(many))
