# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Journeys on constructed patients over simulated days (the pharmacy's clock frozen): each
branch taken, waits respected, exits on a withdrawn consent and on the goal, one execution
per participant and step whatever the number of runs, outgoing mail captured."""
import datetime
import re

import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from odoo.addons.pharmacy_crm.tests.common import frozen_clock
from odoo.addons.pharmacy_crm.tools import dates
from odoo.addons.pharmacy_crm_marketing.tests.common import MarketingCase

from ..tools.journey_sql import holdout_to_draw

DAY = datetime.timedelta(days=1)


class TestJourney(MarketingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.staff_marketer = cls._user('staffmkt', cls.group_technician)
        cls.staff_marketer.groups_id |= ref('mass_mailing.group_mass_mailing_user')
        # noon in New York on the day the tests run (create dates are the real clock's)
        cls.day0 = datetime.datetime.combine(dates.utcnow().date(), datetime.time(16, 0))
        cls.lisinopril = cls.env['pharmacy.medication'].create({
            'name': 'Lisinopril', 'strength': '10 mg', 'is_maintenance': True})
        Partner = cls.env['res.partner']

        def patient(key):
            record = Partner.create({
                'name': 'Jrn %s' % key.title(), 'is_patient': True,
                'email': 'jrn.%s@example.com' % key, 'birthdate_date': '1961-02-03',
                'allergies': 'Penicillin'})
            cls._consent(record, 'granted')
            return record
        with frozen_clock(cls.env, cls.day0):
            # welcome: a sync candidate, one who is not, one who will withdraw consent, one
            # who never consented
            cls.candidate, cls.single, cls.withdrawing = (
                patient('candidate'), patient('single'), patient('withdrawing'))
            cls.silent = Partner.create({'name': 'Jrn Silent', 'is_patient': True,
                                         'email': 'jrn.silent@example.com',
                                         'birthdate_date': '1961-02-03', 'nkda': True})
            written = (cls.day0 - 100 * DAY).date().isoformat()
            for medication in (cls.atorvastatin, cls.lisinopril):
                cls._prescription(patient_id=cls.candidate.id,
                                  medication_id=medication.id, date_written=written)
            # win-back: two lapsed patients, last fill 95 days ago
            cls.lapsed, cls.returning = patient('lapsed'), patient('returning')
            cls.lapsed_rx = {}
            for record in (cls.lapsed, cls.returning):
                rx = cls._prescription(patient_id=record.id, date_written=written)
                cls._fill(rx, (cls.day0 - 95 * DAY).date().isoformat())
                cls.lapsed_rx[record] = rx
        cls.mine = cls.candidate | cls.single | cls.withdrawing | cls.silent | \
            cls.lapsed | cls.returning
        # copies of the data journeys (the demo runs the originals)
        cls.welcome = ref('pharmacy_crm_journey.pharmacy_journey_welcome').copy()
        cls.winback = ref('pharmacy_crm_journey.pharmacy_journey_winback').copy()

    # --- helpers -------------------------------------------------------------------------
    def _run(self, journeys, day):
        """Run the journeys on ``day`` (days after day 0); the mails queued then are sent,
        and their addresses (ours) returned."""
        with frozen_clock(self.env, self.day0 + day * DAY):
            journeys._pharmacy_run()
            mails = self.env['mail.mail'].sudo().search([('state', '=', 'outgoing')])
            self.bodies = [mail.body_html for mail in mails
                           if 'jrn.' in ''.join(mail.recipient_ids.mapped('email'))]
            with self.captured_mail() as sent:
                mails.send()
        return sorted(to for to in sent if 'jrn.' in to)

    def _participant(self, journey, patient):
        return self.env['pharmacy.journey.participant'].search([
            ('journey_id', '=', journey.id), ('patient_id', '=', patient.id)])

    def _path(self, journey, patient):
        """``[(day, step name, outcome)]`` of the patient's path."""
        return [((fields_date(h.date) - self.day0.date()).days, h.step_id.name, h.outcome)
                for h in self._participant(journey, patient).history_ids]

    # --- tests ---------------------------------------------------------------------------
    def test_welcome_series_over_thirty_days(self):
        journey = self.welcome
        self.assertTrue(journey.is_clinical)   # 2+ maintenance medications: clinical
        with self.assertRaises(AccessError):   # marketing alone does not even read it
            journey.sudo(self.marketer).action_start()
        with frozen_clock(self.env, self.day0):
            self.assertIs(journey.sudo(self.staff_marketer).action_start(), True)
        self.assertEqual(journey.state, 'running')
        sent = self._run(journey, 0)
        self.assertEqual(sent, ['Jrn Candidate <jrn.candidate@example.com>',
                                'Jrn Single <jrn.single@example.com>',
                                'Jrn Withdrawing <jrn.withdrawing@example.com>'])
        self.assertFalse(self._participant(journey, self.silent))   # never consented
        self.assertFalse(self._participant(journey, self.lapsed))   # not new
        # the mail's links carry the journey's campaign, medium Email, the step's source
        step_mail = journey.step_ids[0]
        link = self.env['link.tracker'].search([('campaign_id', '=', journey.campaign_id.id)])
        self.assertEqual((link.medium_id, link.source_id),
                         (self.env.ref('utm.utm_medium_email'), step_mail.source_id))
        self.assertEqual(len(self.bodies), 3)
        self.assertTrue(all(link.short_url in body for body in self.bodies))
        # the same day again, and day 6: nothing more (waits respected, nothing twice)
        self.assertEqual(self._run(journey, 0), [])
        self.assertEqual(self._run(journey, 6), [])
        participant = self._participant(journey, self.candidate)
        self.assertEqual((participant.step_id.name, fields_date(participant.next_date)),
                         ('Refill sync candidate?', (self.day0 + 7 * DAY).date()))
        # day 7: the candidate gets the activity, the single patient skips it
        self.assertEqual(self._run(journey, 7), [])
        activities = self.env['mail.activity'].search([
            ('res_model', '=', 'res.partner'), ('res_id', 'in', self.mine.ids),
            ('summary', '=', 'Offer refill sync')])
        self.assertEqual(activities.mapped('res_id'), self.candidate.ids)
        # consent withdrawn at the counter before day 30: out before the feedback mail
        self._consent(self.withdrawing, 'refused', source='in_store')
        self.assertEqual(self._run(journey, 29), [])
        sent = self._run(journey, 30)
        self.assertEqual(sent, ['Jrn Candidate <jrn.candidate@example.com>',
                                'Jrn Single <jrn.single@example.com>'])
        self.assertEqual(self._path(journey, self.candidate), [
            (0, 'Welcome mail', 'sent'), (0, 'Wait 7 days', 'waited'),
            (7, 'Refill sync candidate?', 'branch_yes'), (7, 'Offer refill sync', 'activity'),
            (7, 'Wait until day 30', 'waited'), (30, 'Feedback mail', 'sent')])
        self.assertEqual(self._path(journey, self.single), [
            (0, 'Welcome mail', 'sent'), (0, 'Wait 7 days', 'waited'),
            (7, 'Refill sync candidate?', 'branch_no'), (7, 'Wait until day 30', 'waited'),
            (30, 'Feedback mail', 'sent')])
        withdrawn = self._participant(journey, self.withdrawing)
        self.assertEqual((withdrawn.state, withdrawn.exit_reason,
                          fields_date(withdrawn.exit_date)),
                         ('exited', 'consent', (self.day0 + 29 * DAY).date()))
        self.assertEqual(self._participant(journey, self.single).state, 'done')
        # the funnel: at least ours reached the steps, the consent exit counted
        Funnel = self.env['pharmacy.journey.funnel.report']
        rows = Funnel.read_group([('journey_id', '=', journey.id), ('row_type', '=', 'step')],
                                 ['reached_count', 'step_id'], ['step_id'])
        reached = {row['step_id'][1]: row['reached_count'] for row in rows}
        self.assertGreaterEqual(reached['Welcome mail'], 3)
        self.assertGreaterEqual(reached['Offer refill sync'], 1)
        self.assertGreaterEqual(reached['Welcome mail'] - reached['Feedback mail'], 1)
        exits = Funnel.read_group([('journey_id', '=', journey.id), ('state', '=', 'exited')],
                                  ['participant_count', 'exit_reason'], ['exit_reason'])
        self.assertIn('consent', [row['exit_reason'] for row in exits])

    def test_win_back_exits_on_a_fill_and_calls_the_others(self):
        journey = self.winback
        self.assertFalse(journey.is_clinical)
        with frozen_clock(self.env, self.day0):
            self.assertIs(journey.sudo(self.marketer).action_start(), True)
        sent = self._run(journey, 0)
        self.assertEqual(sent, ['Jrn Lapsed <jrn.lapsed@example.com>',
                                'Jrn Returning <jrn.returning@example.com>'])
        # day 3: a fill at the counter reaches the goal at once
        with frozen_clock(self.env, self.day0 + 3 * DAY):
            self._fill(self.lapsed_rx[self.returning], (self.day0 + 3 * DAY).date().isoformat())
        returning = self._participant(journey, self.returning)
        self.assertEqual((returning.state, returning.exit_reason), ('exited', 'goal'))
        # day 7: still no fill: call the patient
        self._run(journey, 7)
        self.assertEqual(self._path(journey, self.lapsed), [
            (0, 'We miss you mail', 'sent'), (0, 'Wait 7 days', 'waited'),
            (7, 'Still no fill?', 'branch_yes'), (7, 'Call the patient', 'activity')])
        self.assertEqual(self._participant(journey, self.lapsed).state, 'done')
        # the list's counts: reaching the goal is not an exit for another reason
        journey.invalidate_cache()
        participants = self.env['pharmacy.journey.participant'].search(
            [('journey_id', '=', journey.id)])
        self.assertEqual((journey.goal_count, journey.exited_count), (1, len(
            participants.filtered(lambda p: p.state == 'exited' and p.exit_reason != 'goal'))))
        self.assertEqual(journey.participant_count, journey.in_progress_count
                         + journey.completed_count + journey.goal_count + journey.exited_count)
        self.assertEqual(self.env['mail.activity'].search([
            ('res_model', '=', 'res.partner'), ('res_id', 'in', self.mine.ids),
            ('summary', '=', 'Call the patient')]).mapped('res_id'), self.lapsed.ids)
        # marketing reads the counts, not the participants
        funnel = self.env['pharmacy.journey.funnel.report'].sudo(self.marketer)
        self.assertTrue(funnel.search_count([('journey_id', '=', journey.id)]))
        with self.assertRaises(AccessError):
            self.env['pharmacy.journey.participant'].sudo(self.marketer).search([])
        with self.assertRaises(AccessError):
            returning.sudo(self.marketer).read(['state'])

    def test_the_hold_out_is_recorded_but_never_mailed(self):
        """A 50 % hold-out of the lapsed entrants holds half out: recorded at the mail step
        ("held out"), moved on to the wait like the others, never sent the mail."""
        self.assertEqual([holdout_to_draw(*args) for args in (
            (2, 0, 50), (1, 0, 10), (5, 0, 10), (25, 2, 10), (3, 2, 10))], [1, 0, 1, 1, 0])
        with self.assertRaisesRegex(ValidationError, 'Hold-out'):
            self.winback.holdout_percent = 60
        journey = self.winback.copy({'holdout_percent': 50})
        with frozen_clock(self.env, self.day0):
            journey.sudo(self.marketer).action_start()
        sent = self._run(journey, 0)
        # the lapsed entrants: ours and the demo's
        participants = self.env['pharmacy.journey.participant'].search([
            ('journey_id', '=', journey.id)])
        held = participants.filtered('held_out')
        self.assertEqual(len(held), holdout_to_draw(len(participants), 0, 50))
        self.assertTrue(held and participants - held)
        mail_step = journey.step_ids[0]
        for participant in participants:
            done = participant.history_ids.filtered(lambda h: h.step_id == mail_step)
            self.assertEqual((done.outcome, bool(done.statistics_id)),
                             ('held_out', False) if participant.held_out else ('sent', True))
        ours = participants.filtered(lambda p: p.patient_id in self.lapsed | self.returning)
        self.assertEqual(sent, sorted('%s <%s>' % (p.patient_id.name, p.patient_id.email)
                                      for p in ours - held))
        self.assertEqual(self._path(journey, held[0].patient_id), [
            (0, 'We miss you mail', 'held_out'), (0, 'Wait 7 days', 'waited')])
        self.assertEqual(held[0].step_id.name, 'Still no fill?')

    def test_a_branch_on_the_fill_goes_otherwise_and_a_step_is_performed_once(self):
        """A segment journey: a branch on a fill since entry sends the filled patient to the
        'otherwise' step; the unique index keeps a step from being recorded twice."""
        segment = self.env['pharmacy.segment'].sudo(self.marketer).create({
            'name': 'Jrn segment', 'partner_domain': "[('email', '=like', 'jrn.%')]"})
        template = self.env.ref('pharmacy_crm_journey.mail_template_journey_winback')
        journey = self.env['pharmacy.journey'].sudo(self.marketer).create({
            'name': 'Jrn branch', 'entry_type': 'segment', 'segment_id': segment.id,
            'step_ids': [
                (0, 0, {'sequence': 1, 'name': 'Filled?', 'step_type': 'branch',
                        'condition': 'fill_since_entry'}),
                (0, 0, {'sequence': 2, 'name': 'Thanks', 'step_type': 'activity',
                        'activity_summary': 'Thank them'}),
                (0, 0, {'sequence': 3, 'name': 'Nudge', 'step_type': 'mail',
                        'template_id': template.id}),
                (0, 0, {'sequence': 4, 'name': 'Pause', 'step_type': 'wait', 'wait_days': 5}),
                (0, 0, {'sequence': 5, 'name': 'Later', 'step_type': 'mail',
                        'template_id': template.id})]})
        branch, _thanks, nudge, _pause, _later = journey.step_ids
        branch.sudo(self.marketer).else_step_id = nudge
        with self.assertRaisesRegex(ValidationError, 'later step'):
            nudge.else_step_id = branch
        self.assertFalse(journey.is_clinical)
        with self.assertRaisesRegex(UserError, 'changes only through its actions'):
            journey.sudo(self.marketer).write({'state': 'running'})
        with frozen_clock(self.env, self.day0):
            journey.sudo(self.marketer).action_start()
            self._fill(self.lapsed_rx[self.returning], self.day0.date().isoformat())
        sent = self._run(journey, 0)
        # entered: the five consenting "jrn." patients; the filled one thanked, all nudged
        self.assertEqual(len(sent), 5)
        self.assertEqual(self._path(journey, self.returning), [
            (0, 'Filled?', 'branch_yes'), (0, 'Thanks', 'activity'), (0, 'Nudge', 'sent'),
            (0, 'Pause', 'waited')])
        self.assertEqual(self._path(journey, self.lapsed), [
            (0, 'Filled?', 'branch_no'), (0, 'Nudge', 'sent'), (0, 'Pause', 'waited')])
        # nothing is performed twice: a second run records nothing, the index refuses a copy
        participant = self._participant(journey, self.lapsed)
        self.assertEqual(journey.sudo()._pharmacy_record_step(nudge, participant.ids, 'sent'),
                         [])
        with mute_logger('odoo.sql_db'), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self.env.cr.execute("""
                    INSERT INTO pharmacy_journey_history (participant_id, step_id, date,
                                                          outcome)
                    VALUES (%s, %s, '2026-01-01', 'sent')""", [participant.id, nudge.id])
        # conditions, set-based: opened the last mail, consent still granted
        Journey = self.env['pharmacy.journey']
        lapsed_ids = participant.ids
        self.assertEqual(Journey._pharmacy_condition_met('opened_last_mail', lapsed_ids),
                         set())
        participant.history_ids.filtered('statistics_id').statistics_id.set_opened()
        self.assertEqual(Journey._pharmacy_condition_met('opened_last_mail', lapsed_ids),
                         set(lapsed_ids))
        self.assertEqual(Journey._pharmacy_condition_met('consent_granted', lapsed_ids),
                         set(lapsed_ids))
        # staff remove a participant; stopping halts the journey
        other = self._participant(journey, self.single)
        self.assertIs(other.sudo(self.technician).action_remove(), True)
        self.assertEqual((other.state, other.exit_reason), ('exited', 'removed'))
        with self.assertRaisesRegex(UserError, 'changes only through its actions'):
            other.sudo(self.technician).write({'state': 'active'})
        # the funnel, exactly (only our patients are in the segment), as marketing reads it
        Funnel = self.env['pharmacy.journey.funnel.report'].sudo(self.marketer)
        rows = Funnel.search([('journey_id', '=', journey.id)])
        self.assertEqual(sorted((r.row_type, r.step_id.name or '', r.outcome or '',
                                 r.state or '', r.exit_reason or '', r.reached_count,
                                 r.waiting_count, r.participant_count)
                                for r in rows), [
            ('state', '', '', 'active', '', 0, 0, 4),
            ('state', '', '', 'exited', 'removed', 0, 0, 1),
            ('step', 'Filled?', 'branch_no', '', '', 4, 0, 0),
            ('step', 'Filled?', 'branch_yes', '', '', 1, 0, 0),
            ('step', 'Nudge', 'sent', '', '', 5, 0, 0),
            ('step', 'Pause', 'waited', '', '', 5, 0, 0),
            ('step', 'Thanks', 'activity', '', '', 1, 0, 0),
            ('waiting', 'Later', '', '', '', 0, 4, 0)])
        # the funnel's steps under their journey's name (journeys share step names)
        self.assertEqual(sorted(group['step_id'][1] for group in Funnel.with_context(
            pharmacy_step_journey=True).read_group([('journey_id', '=', journey.id)],
                                                   ['step_id'], ['step_id'])
            if group['step_id']),
            ['%s / %s' % (journey.name, name) for name in (
                'Filled?', 'Later', 'Nudge', 'Pause', 'Thanks')])
        # Run Now shows its result: the journey's form to marketing, participants to staff
        with frozen_clock(self.env, self.day0):
            action = journey.sudo(self.marketer).action_run_now()
            self.assertEqual((action['res_model'], action['res_id']), (journey._name, journey.id))
            action = journey.sudo(self.staff_marketer).action_run_now()
            self.assertEqual(action['domain'], [('journey_id', '=', journey.id)])
        self.assertIs(journey.sudo(self.marketer).action_stop(), True)
        with self.assertRaisesRegex(UserError, 'not running'):
            journey.sudo(self.marketer).action_run_now()
        with self.assertRaisesRegex(UserError, 'never deleted'):
            journey.sudo(self.marketer).unlink()

    def test_clinical_journeys_are_hidden_from_marketing(self):
        Journey = self.env['pharmacy.journey']
        self.assertIn(self.winback, Journey.sudo(self.marketer).search([]))
        self.assertNotIn(self.welcome, Journey.sudo(self.marketer).search([]))
        self.assertIn(self.welcome, Journey.sudo(self.technician).search([]))
        # pharmacy staff without marketing read why the journey is read-only for them
        for user, shown in ((self.technician, True), (self.staff_marketer, False)):
            arch = Journey.sudo(user).fields_view_get(view_type='form')['arch']
            self.assertEqual(bool(re.search(
                r'<div class="alert alert-info" role="status">\s*Read only for you', arch)),
                shown)
        with self.assertRaises(AccessError):
            Journey.sudo(self.technician).create({'name': 'x', 'entry_type': 'lapsed'})
        with self.assertRaises(AccessError):
            self.winback.sudo(self.internal_user).read(['name'])
        # a placeholder marketing may not read is refused when the journey starts
        template = self.env['mail.template'].create({
            'name': 'Jrn bad', 'model_id': self.env.ref('base.model_res_partner').id,
            'subject': 'Hi', 'body_html': '<p>${object.allergies}</p>'})
        journey = Journey.sudo(self.marketer).create({
            'name': 'Jrn bad', 'entry_type': 'lapsed', 'entry_days': 90,
            'step_ids': [(0, 0, {'name': 'Bad', 'step_type': 'mail',
                                 'template_id': template.id})]})
        with mute_logger('odoo.addons.mail.models.mail_template'), \
                self.assertRaisesRegex(AccessError, 'uses data you may not read'):
            journey.sudo(self.marketer).action_start()
        self.assertEqual(journey.state, 'draft')


def fields_date(value):
    from odoo import fields
    return fields.Date.from_string(value)
