# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Reminders over simulated days: consent per channel, caps, states, the subject rule and the
body preference, two runs in a day, the pickup reminder, overdue refills, the preferred
channel, why the button sent nothing."""
from odoo.exceptions import AccessError

from odoo.addons.pharmacy_crm.tests.common import frozen_clock

from .common import ReminderCase, day


class TestReminder(ReminderCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        P = cls._patient
        cls.email_pt = P('Rem Email')
        cls.show_pt = P('Rem Shows', reminder_show_medication=True)
        cls.sms_pt = P('Rem Sms', email=False, mobile='+1 212-555-0101')
        cls.refused_pt = P('Rem Refused', phone='+1 212-555-0102')
        cls._consent(cls.refused_pt, 'email', 'refused')
        cls.silent_pt = P('Rem Silent', phone='+1 212-555-0103')
        cls._consent(cls.silent_pt, 'email', 'refused')
        cls._consent(cls.silent_pt, 'sms', 'refused')
        cls.rx = {}
        for patient, due in ((cls.email_pt, 3), (cls.show_pt, 2), (cls.sms_pt, 1),
                             (cls.refused_pt, 3), (cls.silent_pt, 3)):
            cls.rx[patient] = cls._due_on(patient, due)
        # never reminded: a prescription on hold or discontinued; a patient no longer served
        cls.held_pt, cls.stopped_pt = P('Rem Held'), P('Rem Stopped')
        cls._due_on(cls.held_pt, 3)._pharmacy_server_write({'state': 'on_hold'})
        cls._due_on(cls.stopped_pt, 3)._pharmacy_server_write({
            'state': 'discontinued', 'discontinue_reason': 'other',
            'discontinue_date': day(-1)})
        cls.gone = P('Rem Dismissed') | P('Rem Deceased') | P('Rem Transferred')
        for patient, state in zip(cls.gone, ('dismissed', 'deceased', 'transferred')):
            cls._due_on(patient, 3)
            patient._pharmacy_server_write({'patient_state': state})
        cls.archived_pt = P('Rem Archived')
        cls._due_on(cls.archived_pt, 3)
        cls.archived_pt.active = False
        cls.ours = (cls.email_pt | cls.show_pt | cls.sms_pt | cls.refused_pt | cls.silent_pt |
                    cls.held_pt | cls.stopped_pt | cls.gone | cls.archived_pt)

    def _mine(self, reminders, patients=None):
        return reminders.filtered(lambda r: r.patient_id in (patients or self.ours))

    def test_consent_per_channel_subject_body_chatter_and_two_runs(self):
        # hand-computed: filled on day -27 (2025-02-11) for 30 days: due on 2025-03-13
        self.assertEqual(self.rx[self.email_pt].next_due_date, '2025-03-13')
        reminders, sent = self._run(0)
        mine = self._mine(reminders)
        by_patient = {r.patient_id: r for r in mine}
        self.assertEqual(set(by_patient), {self.email_pt, self.show_pt, self.sms_pt,
                                           self.refused_pt})
        self.assertEqual(
            [(by_patient[p].channel, by_patient[p].outcome, by_patient[p].reason,
              by_patient[p].reminder_type, by_patient[p].date)
             for p in (self.email_pt, self.show_pt, self.sms_pt, self.refused_pt)],
            [('email', 'sent', False, 'refill', day(0))] * 2 +
            [('sms', 'not_sent', 'no_sms_gateway', 'refill', day(0))] * 2)
        self.assertEqual(by_patient[self.email_pt].prescription_ids, self.rx[self.email_pt])
        mails = {to: (subject, body) for to, subject, body in sent}
        self.assertEqual(len([to for to in mails if 'rem.' in to]), 2)
        subject, body = mails['rem.email@example.com']
        self.assertTrue(subject.startswith('Your refill is due - '))
        self.assertNotIn('Atorvastatin', subject + body)
        self.assertIn(self.rx[self.email_pt].rx_number, body)
        self.assertIn('03/13/2025', body)
        subject, body = mails['rem.shows@example.com']
        self.assertNotIn('Atorvastatin', subject)
        self.assertIn('Atorvastatin', body)
        # on the chatter, as the system: the email; the SMS reminder's note
        email = by_patient[self.email_pt].mail_id
        self.assertEqual((email.model, email.res_id, email.author_id, email.state),
                         ('res.partner', self.email_pt.id, self.root, 'sent'))
        note = self.env['mail.message'].search([('model', '=', 'res.partner'),
                                                ('res_id', '=', self.sms_pt.id),
                                                ('body', 'ilike', 'no SMS gateway')])
        self.assertEqual(note.author_id, self.root)
        # a second run the same day, and the next day: nothing twice
        for n in (0, 1):
            reminders, sent = self._run(n)
            self.assertFalse(self._mine(reminders), 'day %d' % n)
            self.assertFalse([to for to, _s, _b in sent if 'rem.' in to])
        self.assertEqual(self.Reminder.search_count([('patient_id', 'in', self.ours.ids)]), 4)
        self.assertEqual(self.email_pt.reminder_count, 1)
        # the log is pharmacy staff's only
        self.assertEqual(self.Reminder.sudo(self.technician).search_count(
            [('patient_id', '=', self.email_pt.id)]), 1)
        with self.assertRaises(AccessError):
            self.Reminder.sudo(self.internal_user).search([])

    def test_a_subject_naming_a_medication_is_replaced(self):
        self.env.ref('pharmacy_crm_reminder.mail_template_refill_reminder').subject = \
            'Time to refill your ${object.prescription_ids[0].medication_id.name}'
        reminders, sent = self._run(0)
        subjects = {to: subject for to, subject, _body in sent}
        self.assertEqual(subjects['rem.email@example.com'],
                         'A reminder from your pharmacy')
        self.assertEqual(self._mine(reminders, self.email_pt).subject,
                         'A reminder from your pharmacy')

    def test_caps_one_a_day_three_a_week(self):
        """Prescriptions due on days 3 to 7, reminded 3 days ahead: one new each day from day 0;
        days 0, 1, 2 sent, then the week cap holds until day 7 (days 1 and 2 in its week)."""
        patient = self._patient('Rem Capped')
        for due in range(3, 8):
            self._due_on(patient, due)
        sent_days = [n for n in range(8) if self._mine(self._run(n)[0], patient)]
        self.assertEqual(sent_days, [0, 1, 2, 7])

    def test_days_between_reminders(self):
        self.env['pharmacy.setting'].set('reminder_gap_days', 2)
        patient = self._patient('Rem Spaced')
        for due in (3, 4, 5):
            self._due_on(patient, due)
        runs = {n: self._mine(self._run(n)[0], patient) for n in range(4)}
        self.assertEqual([n for n, reminder in runs.items() if reminder], [0, 2])
        self.assertEqual(len(runs[2].prescription_ids), 2)    # due on days 4 and 5

    def test_pickup_after_two_days_before_the_refills(self):
        patient = self._patient('Rem Pickup')
        rx = self._prescription(patient_id=patient.id, date_written=day(-10))
        fill = self._fill(rx, day(0), 30, state='ready')
        self._due_on(patient, 5)
        runs = {n: self._run(n) for n in range(5)}
        kinds = {n: self._mine(reminders, patient).reminder_type
                 for n, (reminders, _sent) in runs.items()}
        self.assertEqual(kinds, {0: False, 1: False, 2: 'pickup', 3: 'refill', 4: False})
        pickup = self._mine(runs[2][0], patient)
        self.assertEqual((pickup.fill_ids, pickup.due_date), (fill, day(0)))
        subject = [s for to, s, _b in runs[2][1] if 'rem.pickup' in to]
        self.assertEqual(len(subject), 1)
        self.assertTrue(subject[0].startswith('Your prescription is ready for pickup'))

    def test_staff_remind_one_patient_now(self):
        patient = self._patient('Rem Now')
        self._due_on(patient, 2)
        with self.assertRaises(AccessError):
            patient.sudo(self.internal_user).action_send_reminders()
        with frozen_clock(self.env, '%s 15:00:00' % day(0)):
            action = patient.sudo(self.technician).action_send_reminders()
            self.assertEqual(action['res_model'], 'pharmacy.reminder')
            # only this patient: the others due today wait for the scheduled action
            made = self.Reminder.search([('date', '=', day(0))])
            self.assertEqual(made.mapped('patient_id'), patient)
            self.assertEqual(self.Reminder.search(action['domain']), made)
            patient.sudo(self.technician).action_send_reminders()   # nothing twice
            self.assertEqual(self.Reminder.search_count([('date', '=', day(0))]), 1)

    def test_reminder_mail_rows_are_those_of_the_orm(self):
        """The emails are written in bulk (``_pharmacy_queue_emails``): their rows are those
        ``mail.mail.create`` writes for the same email, column by column (a column another
        addon adds with a default would show here), Message-Id and dates aside."""
        with frozen_clock(self.env, '%s 15:00:00' % day(0)):
            reminder = self._mine(self.Reminder._cron_send_reminders(), self.email_pt)
        bulk = reminder.mail_id
        orm = self.env['mail.mail'].create({
            'subject': bulk.subject, 'body_html': bulk.body_html, 'email_from': bulk.email_from,
            'recipient_ids': [(4, self.email_pt.id)], 'model': 'res.partner',
            'res_id': self.email_pt.id, 'author_id': self.root.id, 'message_type': 'email',
            'auto_delete': False})
        volatile = {'id', 'mail_message_id', 'message_id', 'date', 'create_date', 'write_date'}

        def row(table, record_id):
            self.env.cr.execute('SELECT * FROM %s WHERE id = %%s' % table, [record_id])
            names = [column.name for column in self.env.cr.description]
            return {name: value for name, value in zip(names, self.env.cr.fetchone())
                    if name not in volatile}
        for table, ids in (('mail_message', (bulk.mail_message_id.id, orm.mail_message_id.id)),
                           ('mail_mail', (bulk.id, orm.id))):
            self.assertEqual(row(table, ids[0]), row(table, ids[1]), table)
        self.assertEqual(bulk.recipient_ids, orm.recipient_ids)
        self.assertEqual(bulk.mail_message_id.message_id.split('-openerp-')[1],
                         orm.mail_message_id.message_id.split('-openerp-')[1])
        self.assertEqual((bulk.model, bulk.res_id, bulk.record_name, bulk.reply_to),
                         ('res.partner', self.email_pt.id, self.email_pt.display_name,
                          orm.reply_to))
        self.assertIn('Your refill is due - ', bulk.subject)

    def test_overdue_refill_reminded_once_within_the_bound(self):
        """Overdue by 14 days (the default bound) on day 0: reminded, once; by 15: lapsed, not
        reminded; the bound at 0: no overdue refill reminded (only from today on)."""
        self.assertEqual(self.env['pharmacy.setting'].get('reminder_overdue_days'), 14)
        at_bound, lapsed = self._patient('Rem Overdue'), self._patient('Rem Lapsed')
        rx = self._due_on(at_bound, -14)
        self._due_on(lapsed, -15)
        made = self._mine(self._run(0)[0], at_bound | lapsed)
        self.assertEqual((made.patient_id, made.prescription_ids, made.due_date),
                         (at_bound, rx, day(-14)))
        self.assertFalse(self._mine(self._run(1)[0], at_bound | lapsed))   # once per fill
        self.env['pharmacy.setting'].set('reminder_overdue_days', 0)
        late = self._patient('Rem Late')
        self._due_on(late, -1)
        self.assertFalse(self._mine(self._run(2)[0], late))

    def test_preferred_sms_or_phone_gets_sms(self):
        """A patient who prefers SMS or phone and has a phone gets the SMS channel (not sent:
        no gateway) even with a valid email; one who refused SMS still gets the email."""
        by_sms = self._patient('Rem Pref Sms', mobile='+1 212-555-0111',
                               preferred_contact_channel='sms')
        by_phone = self._patient('Rem Pref Phone', phone='+1 212-555-0112',
                                 preferred_contact_channel='phone')
        no_sms = self._patient('Rem Pref Refused', mobile='+1 212-555-0113',
                               preferred_contact_channel='sms')
        self._consent(no_sms, 'sms', 'refused')
        for patient in by_sms | by_phone | no_sms:
            self._due_on(patient, 2)
        made = self._mine(self._run(0)[0], by_sms | by_phone | no_sms)
        self.assertEqual({(r.patient_id, r.channel, r.outcome, r.reason) for r in made}, {
            (by_sms, 'sms', 'not_sent', 'no_sms_gateway'),
            (by_phone, 'sms', 'not_sent', 'no_sms_gateway'),
            (no_sms, 'email', 'sent', False)})

    def test_send_now_says_why_nothing_was_sent(self):
        """The button, when it makes no reminder, opens an empty log whose help says why."""
        def why(patient):
            action = patient.sudo(self.technician).action_send_reminders()
            self.assertEqual(action['res_model'], 'pharmacy.reminder')
            self.assertFalse(self.Reminder.search(action['domain']))
            return action['help']
        nothing = self._patient('Rem Nothing')
        unreachable = self._patient('Rem Unreachable', email=False)
        self._due_on(unreachable, 2)
        capped = self._patient('Rem Gap')
        self._due_on(capped, 1)
        self._due_on(capped, 4)     # in the window from day 1 on
        self.env['pharmacy.setting'].set('reminder_gap_days', 2)
        with frozen_clock(self.env, '%s 15:00:00' % day(0)):
            self.assertIn('Nothing to remind Rem Nothing of', why(nothing))
            self.assertIn('No way to remind Rem Unreachable', why(unreachable))
            self.assertEqual(capped.sudo(self.technician).action_send_reminders()['domain'],
                             [('patient_id', '=', capped.id)])    # sent: the log
            self.assertIn('Rem Gap was already reminded today', why(capped))
        with frozen_clock(self.env, '%s 15:00:00' % day(1)):
            self.assertIn('Rem Gap was last reminded on 03/10/2025: at most one reminder '
                          'every 2 days', why(capped))
