# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""A patient enrolled in refill sync is reminded of the appointment, not of each due date."""
from odoo.addons.pharmacy_crm_reminder.tests.common import ReminderCase, day


class TestReminderSync(ReminderCase):

    def test_synced_prescriptions_are_reminded_of_the_appointment(self):
        patient = self._patient('Rem Synced')
        synced = self._due_on(patient, 1, sync_opt_in=True)    # its own due date: day 1
        alone = self._due_on(patient, 10)                       # not synced: day 10
        enrollment = self.env['pharmacy.sync.enrollment'].create({
            'patient_id': patient.id, 'sync_rule': 'cycle', 'anchor_date': day(6),
            'cycle_days': 28, 'consent_source': 'in_store'})
        self.env['pharmacy.sync.appointment'].create(
            {'enrollment_id': enrollment.id, 'date': day(6)})
        runs = {n: self._run(n) for n in (0, 1, 3, 7)}
        mine = {n: reminders.filtered(lambda r: r.patient_id == patient)
                for n, (reminders, _sent) in runs.items()}
        self.assertEqual({n: bool(r) for n, r in mine.items()},
                         {0: False, 1: False, 3: True, 7: True})
        self.assertEqual((mine[3].prescription_ids, mine[3].due_date), (synced, day(6)))
        body = [b for to, _s, b in runs[3][1] if to == 'rem.synced@example.com'][0]
        self.assertIn('03/16/2025', body)           # the appointment, day 6
        self.assertNotIn('03/11/2025', body)        # not the prescription's due date, day 1
        self.assertEqual((mine[7].prescription_ids, mine[7].due_date), (alone, day(10)))
