# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Lists read their columns in batches: the query count does not grow with the patients."""
from odoo.exceptions import AccessError

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

    def test_count_by_counts_what_the_reader_may_read(self):
        """``_pharmacy_count_by`` gives read_group's counts: a pharmacist-only note is not
        counted for a technician, and a path the reader may not use is refused."""
        other = self.env['res.partner'].create(
            dict(PATIENT_PROFILE, name='Q other', is_patient=True))
        Note = self.env['pharmacy.patient.note']
        for patient, visibility in ((self.patient, 'all'), (self.patient, 'all'),
                                    (self.patient, 'pharmacist'), (other, 'pharmacist')):
            Note.create({'patient_id': patient.id, 'body': 'note', 'visibility': visibility})
        domain = [('patient_id', 'in', [self.patient.id, other.id])]
        for user, expected in ((self.technician, {self.patient.id: 2}),
                               (self.pharmacist, {self.patient.id: 3, other.id: 1})):
            notes = Note.sudo(user)
            groups = notes.read_group(domain, ['patient_id'], ['patient_id'])
            self.assertEqual(
                {group['patient_id'][0]: group['patient_id_count'] for group in groups},
                expected)
            self.assertEqual(notes._pharmacy_count_by(domain, 'patient_id'), expected)
        with self.assertRaises(AccessError):
            Note.sudo(self.internal_user)._pharmacy_count_by(domain, 'patient_id')

    def test_counters_count_what_the_reader_may_read_in_one_statement(self):
        """The patient's counters and alerts (``_pharmacy_count_patients``, one statement for
        all of them) count what the reader may read: a pharmacist-only note is neither
        counted nor shown as an alert to a technician; a user without access to the notes
        counts none, without an error."""
        other = self.env['res.partner'].create(
            dict(PATIENT_PROFILE, name='Q other', is_patient=True))
        Note = self.env['pharmacy.patient.note']
        for patient, visibility, alert in ((self.patient, 'all', False),
                                           (self.patient, 'all', True),
                                           (self.patient, 'pharmacist', True),
                                           (other, 'pharmacist', False)):
            Note.create({'patient_id': patient.id, 'is_alert': alert, 'visibility': visibility,
                         'body': 'for %s' % visibility})
        counters = {'notes': ('pharmacy.patient.note', [], 'patient_id'),
                    'alerts': ('pharmacy.patient.note', [('is_alert', '=', True)], 'patient_id')}
        patients = self.patient | other
        for user, notes, alerts, text in (
                (self.technician, {self.patient.id: 2}, {self.patient.id: 1}, ['for all']),
                (self.pharmacist, {self.patient.id: 3, other.id: 1}, {self.patient.id: 2},
                 ['for all', 'for pharmacist'])):
            readers = patients.sudo(user)
            readers._pharmacy_count_patients(counters, alerts=True)  # access rules cached
            before = self.cr.sql_log_count
            values = readers._pharmacy_count_patients(counters, alerts=True)
            self.assertEqual(self.cr.sql_log_count - before, 1)
            self.assertEqual((values['notes'], values['alerts']), (notes, alerts))
            self.assertEqual(sorted(values['alert_text'][self.patient.id].split('\n')), text)
            self.assertNotIn(other.id, values['alert_text'])
            readers.invalidate_cache()
            self.assertEqual([(p.has_alerts, p.alert_text) for p in readers],
                             [(True, values['alert_text'][self.patient.id]), (False, False)])
        values = patients.sudo(self.internal_user)._pharmacy_count_patients(
            counters, alerts=True)
        self.assertEqual(dict(values), {})

    def test_company_rules_follow_a_new_child_company(self):
        """The company rules name the user's company and its children, computed once and
        cached: a child company created later, or moved to another parent, is seen at once."""
        Partner = self.env['res.partner'].sudo(self.technician)
        main = self.technician.company_id
        child = self.env['res.company'].create({'name': 'Q Child Pharmacy', 'parent_id': main.id})
        sibling = self.env['res.company'].create({'name': 'Q Other Pharmacy'})
        patients = {company: self.env['res.partner'].create(dict(
            PATIENT_PROFILE, name='Q of %s' % company.name, is_patient=True,
            company_id=company.id)) for company in (child, sibling)}
        domain = [('id', 'in', [patient.id for patient in patients.values()])]
        self.assertEqual(Partner.search(domain), patients[child])
        grandchild = self.env['res.company'].create(
            {'name': 'Q Grandchild Pharmacy', 'parent_id': child.id})
        patients[grandchild] = self.env['res.partner'].create(dict(
            PATIENT_PROFILE, name='Q of grandchild', is_patient=True,
            company_id=grandchild.id))
        domain = [('id', 'in', [patient.id for patient in patients.values()])]
        self.assertEqual(Partner.search(domain), patients[child] | patients[grandchild])
        child.write({'parent_id': sibling.id})
        self.assertFalse(Partner.search(domain))
        companies = self.env['pharmacy.phi.mixin']._pharmacy_company_ids(self.technician)
        self.assertIn(main.id, companies)
        self.assertNotIn(child.id, companies)
