# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF
from odoo.addons.pharmacy_crm_marketing.models.mass_mailing import MAILING_GROUP
from odoo.addons.pharmacy_crm_marketing.tools.segments import (candidates_query,
                                                               classify_query)

from ..tools.journey_sql import (DUE_SQL, ENTRY_PARAMS, ENTRY_SQL, HOLDOUT_SQL,
                                 MAX_HOLDOUT_PERCENT, RECORD_STEP_SQL, condition_query,
                                 exit_query)

_logger = logging.getLogger(__name__)

ENTRY_TYPES = [
    ('segment', 'Members of a segment'),
    ('new_patient', 'New patient'),
    ('first_fill', 'First fill'),
    ('lapsed', 'Lapsed (days without a fill)'),
]
BATCH_SIZE = 500
ANALYZE_AFTER = 1000


class PharmacyJourney(models.Model):
    """A customer journey: patients enter by a rule (a segment's members, or an event) and go
    through ordered steps (send a mail template, create an activity for staff, wait, branch on
    a condition) until the last step, or an exit (goal reached, consent withdrawn, opted out,
    no longer served) checked before every step.

    Odoo's automated actions (``base_automation``) run one action on a record when it is
    created, written or a date passes; they keep no per-patient position in a sequence, no
    history, no exits, and run their action record by record. A journey keeps each
    participant's position and path, and a scheduled action advances them all set-based
    (``_pharmacy_run``): the candidates, exits and due participants are chosen in SQL, each
    step is recorded once per participant by a unique index (two runs never perform a step
    twice).

    A journey is *clinical* when its entry or a condition uses clinical data (a clinical
    segment, refill sync, maintenance medications): as a clinical segment, only pharmacy staff
    read it and only pharmacy staff who are also marketing users start it. Its participants
    are patient data: pharmacy staff only, in every journey; marketing users read counts
    (the funnel report).
    """

    _name = 'pharmacy.journey'
    _description = 'Customer Journey'
    _inherit = ['pharmacy.validation.mixin', 'pharmacy.server.fields.mixin',
                'pharmacy.company.rule.mixin', 'mail.thread']
    _order = 'name'
    _pharmacy_server_fields = ('campaign_id', 'started_uid', 'stop_reason')
    _pharmacy_refuse_computed = True   # the counts, the participants: the server's
    _pharmacy_state_actions = {'state': {
        'action_start': (('draft', 'stopped'), 'running'),
        'action_stop': ('running', 'stopped'),
        '_pharmacy_stop_on_error': ('running', 'stopped'),
    }}

    name = fields.Char(required=True, translate=True, track_visibility='onchange')
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        'res.company', required=True, index=True,
        default=lambda self: self.env.user.company_id)
    state = fields.Selection(
        [('draft', 'Draft'), ('running', 'Running'), ('stopped', 'Stopped')],
        required=True, default='draft', readonly=True, index=True, copy=False,
        track_visibility='onchange')
    entry_type = fields.Selection(
        ENTRY_TYPES, string='Patients Enter', required=True, default='segment',
        help='Who enters the journey, once each, when the scheduled action runs: the members '
             'of a segment, or the patients an event concerns (new, first fill, lapsed).')
    segment_id = fields.Many2one('pharmacy.segment', ondelete='restrict')
    entry_days = fields.Integer(
        string='Entry Rule (days)', default=7,
        help='New patient and first fill: patients enter within this many days of the event. '
             'Lapsed: patients enter after this many days without a counted fill (up to 30 '
             'days later).')
    goal = fields.Selection(
        [('none', 'None'), ('fill', 'A counted fill')], required=True, default='none',
        help='A participant reaching the goal leaves the journey (exit "goal reached").')
    holdout_percent = fields.Integer(
        string='Hold-out (%)', default=0, copy=True, track_visibility='onchange',
        help='This share of the entrants (0 to 50%), drawn at random as they enter, goes '
             'through the journey without its mails: the comparison group of the journey\'s '
             'campaign return (Email Marketing > Pharmacy Reports > Journey Campaign Return). '
             'A change applies to the patients who enter afterwards.')
    user_id = fields.Many2one(
        'res.users', string='Responsible', default=lambda self: self.env.user,
        help='Receives the activities of steps that name no one.')
    step_ids = fields.One2many('pharmacy.journey.step', 'journey_id', string='Steps',
                               copy=True)
    # computed (not a stored relation): the journey itself holds no patient data
    participant_ids = fields.Many2many(
        'pharmacy.journey.participant', compute='_compute_participant_ids',
        string='Participants', groups=PHARMACY_STAFF)
    campaign_id = fields.Many2one(
        'utm.campaign', readonly=True, ondelete='restrict', copy=False,
        help='The UTM campaign of the links in the journey\'s mails (medium Email, one '
             'source per step).')
    is_clinical = fields.Boolean(
        string='Clinical', compute='_compute_is_clinical', store=True, index=True,
        help='Built on clinical data: only pharmacy staff read it, and only pharmacy staff '
             'with the mass mailing group start it.')
    started_uid = fields.Many2one('res.users', string='Started By', readonly=True,
                                  copy=False)
    stop_reason = fields.Char(readonly=True, copy=False)
    participant_count = fields.Integer(compute='_compute_counts', string='Participants')
    in_progress_count = fields.Integer(compute='_compute_counts', string='In Progress')
    completed_count = fields.Integer(compute='_compute_counts', string='Completed')
    exited_count = fields.Integer(
        compute='_compute_counts', string='Exited',
        help='Participants who left before the end for another reason than the goal: consent '
             'withdrawn, unsubscribed, dismissed, deceased or transferred, no valid email, '
             'removed by staff.')
    goal_count = fields.Integer(compute='_compute_counts', string='Goal Reached',
                                help='Participants who left the journey on reaching its goal.')

    # --- computes --------------------------------------------------------------------------
    @api.model
    def _pharmacy_clinical_entries(self):
        """Entry events that read clinical data (features add theirs)."""
        return []

    @api.depends('entry_type', 'segment_id.is_clinical', 'step_ids.condition',
                 'step_ids.step_type')
    def _compute_is_clinical(self):
        entries = self._pharmacy_clinical_entries()
        conditions = self.env['pharmacy.journey.step']._pharmacy_clinical_conditions()
        for journey in self:
            definition = journey.sudo()
            journey.is_clinical = bool(
                definition.entry_type in entries
                or (definition.entry_type == 'segment' and definition.segment_id.is_clinical)
                or any(step.step_type == 'branch' and step.condition in conditions
                       for step in definition.step_ids))

    def _compute_participant_ids(self):
        Participant = self.env['pharmacy.journey.participant']
        for journey in self:
            journey.participant_ids = Participant.search([('journey_id', '=', journey.id)])

    def _compute_counts(self):
        counts = {}
        if self.ids:
            self.env.cr.execute("""
                SELECT journey_id, COUNT(*), COUNT(*) FILTER (WHERE state = 'active'),
                       COUNT(*) FILTER (WHERE state = 'done'),
                       COUNT(*) FILTER (WHERE state = 'exited'
                                          AND exit_reason IS DISTINCT FROM 'goal'),
                       COUNT(*) FILTER (WHERE state = 'exited' AND exit_reason = 'goal')
                  FROM pharmacy_journey_participant WHERE journey_id = ANY(%s)
                 GROUP BY journey_id""", [self.ids])
            counts = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for journey in self:
            (journey.participant_count, journey.in_progress_count, journey.completed_count,
             journey.exited_count, journey.goal_count) = counts.get(journey.id, (0,) * 5)

    @api.constrains('entry_type', 'segment_id', 'entry_days', 'company_id')
    def _check_entry(self):
        for journey in self:
            if journey.entry_type == 'segment' and not journey.segment_id:
                raise ValidationError(_(
                    'Segment of the journey %s is required when patients enter as members of '
                    'a segment: choose one.') % journey.name)
            if journey.entry_type == 'segment' and (
                    journey.segment_id.sudo().company_id != journey.company_id):
                raise ValidationError(_(
                    'Segment of the journey %s belongs to another pharmacy: choose one of '
                    'the journey\'s pharmacy.') % journey.name)
            if journey.entry_type != 'segment' and journey.entry_days < 1:
                raise ValidationError(_(
                    'Entry Rule (days) of the journey %s must be 1 or more for this entry '
                    'event.')
                    % journey.name)

    @api.constrains('holdout_percent')
    def _check_holdout_percent(self):
        for journey in self:
            if not 0 <= journey.holdout_percent <= MAX_HOLDOUT_PERCENT:
                raise ValidationError(_(
                    'Hold-out (%%) of the journey %(name)s: %(value)s is out of range. Enter a '
                    'percentage from 0 to %(max)s (0: no hold-out).') % {
                        'name': journey.name, 'value': journey.holdout_percent,
                        'max': MAX_HOLDOUT_PERCENT})

    # --- CRUD ------------------------------------------------------------------------------
    @api.model
    def _pharmacy_prepare_vals(self, vals):
        vals = super()._pharmacy_prepare_vals(vals)
        self._pharmacy_check_server_fields(vals)
        return vals

    @api.model
    def create(self, vals):
        journey = super().create(vals)
        campaign = self.env['utm.campaign'].sudo().create(
            {'name': _('Journey: %s') % journey.name})
        journey.sudo()._pharmacy_server_write({'campaign_id': campaign.id})
        return journey

    @api.multi
    def copy(self, default=None):
        """A copy starts in draft with copies of the steps, its branches going to the
        copies of the steps the original's go to."""
        self.ensure_one()
        default = dict(default or {})
        default.setdefault('name', _('%s (copy)') % self.name)
        journey = super().copy(default)
        mapping = dict(zip(self.step_ids, journey.step_ids))
        for old, new in mapping.items():
            if old.else_step_id:
                new.else_step_id = mapping[old.else_step_id]
        return journey

    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(_('A journey is never deleted: its participants\' paths are kept. '
                          'Stop it and archive it instead.'))

    # --- actions ---------------------------------------------------------------------------
    @api.multi
    def action_start(self):
        """Start (or resume) the journey: patients enter and advance at each run of the
        scheduled action. Returns True."""
        for journey in self:
            journey._pharmacy_check_may_run()
            if not journey.step_ids:
                raise UserError(_('The journey %s has no step: add its steps first.')
                                % journey.name)
            journey.step_ids._pharmacy_check_renders()
        self._pharmacy_state_transition('action_start', {
            'started_uid': self.env.uid, 'stop_reason': False})
        return True

    @api.multi
    def action_stop(self):
        """Stop the journey: nobody enters nor advances until it is started again. Returns
        True."""
        self._pharmacy_state_transition('action_stop')
        return True

    @api.multi
    def action_run_now(self):
        """Let patients enter and advance now, as the scheduled action does. Returns the
        participants (one journey, pharmacy staff: the user sees the result), else an
        action reloading the journey (its counts), else True."""
        self.check_access_rights('write')
        self.check_access_rule('write')
        for journey in self:
            journey._pharmacy_check_may_run()
            if journey.state != 'running':
                raise UserError(_('The journey %s is not running: start it first.')
                                % journey.name)
        self.sudo()._pharmacy_run()
        if len(self) != 1:
            return True
        if self.env.user.has_group(PHARMACY_STAFF):
            return self.action_view_participants()
        return {'type': 'ir.actions.act_window', 'res_model': self._name, 'res_id': self.id,
                'view_mode': 'form', 'target': 'current'}

    @api.multi
    def action_view_participants(self):
        """The participants of the journey (pharmacy staff). Returns an action."""
        self.ensure_one()
        if not self.env.user.has_group(PHARMACY_STAFF):
            raise AccessError(_('Participants of a journey are patient data: only pharmacy '
                                'staff read them (see the Journey Funnel report for counts).'))
        return {
            'type': 'ir.actions.act_window', 'name': _('Participants of %s') % self.name,
            'res_model': 'pharmacy.journey.participant', 'view_mode': 'tree,form',
            'domain': [('journey_id', '=', self.id)],
            'context': {'default_journey_id': self.id},
        }

    # --- business methods ------------------------------------------------------------------
    def _pharmacy_check_may_run(self):
        """Only pharmacy staff who are marketing users start or run a clinical journey.
        Returns True."""
        self.ensure_one()
        user = self.env.user
        if self.env.uid == SUPERUSER_ID:
            return True
        if not user.has_group(MAILING_GROUP):
            raise AccessError(_('Only marketing users start or run the journey %s.')
                              % self.name)
        if self.is_clinical and not user.has_group(PHARMACY_STAFF):
            raise AccessError(_(
                'The journey %s is built on clinical data: only pharmacy staff who are also '
                'marketing users start or run it.') % self.name)
        return True

    @api.model
    def _cron_advance(self):
        """The scheduled action: every running journey, committing after each batch."""
        self.sudo().search([('state', '=', 'running')])._pharmacy_run(auto_commit=True)
        return True

    def _pharmacy_run(self, auto_commit=False):
        """Patients enter these journeys, then exits are applied and due steps performed, in
        batches, until nobody is due. Runs as the system. Returns True."""
        for journey in self.sudo():
            try:
                with self.env.cr.savepoint():
                    journey._pharmacy_enter()
                    # every participant's exits once a run (the funnel's counts), then those
                    # of each batch's due participants again right before their step
                    journey._pharmacy_exit('pa.journey_id = %(journey)s',
                                           {'journey': journey.id})
                more = True
                while more:
                    if auto_commit:
                        self.env.cr.commit()  # pylint: disable=invalid-commit
                    with self.env.cr.savepoint():
                        more = journey._pharmacy_advance_batch(BATCH_SIZE)
            except (UserError, AccessError) as error:
                # a template the starter may no longer render, a deleted template...
                _logger.info('Journey %s stopped: %s', journey.id, error)
                journey._pharmacy_state_transition('_pharmacy_stop_on_error', {
                    'stop_reason': str(error)[:500]})
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return True

    @api.model
    def _pharmacy_demo_run(self, journey_ids, first_day, last_day):
        """Demo only: start the journeys and run them once a day from ``first_day`` to
        ``last_day`` (days from today, the pharmacy's clock set back as the SQL function
        ``pharmacy_today`` reads it), so that the demo patients' paths are the engine's own.
        The demo's mails are marked sent on their day, never handed to a mail server.
        Returns True."""
        journeys = self.sudo().browse(journey_ids)
        journeys.filtered(lambda j: j.state != 'running')._pharmacy_state_transition(
            'action_start', {'started_uid': SUPERUSER_ID})
        now = fields.Datetime.from_string(fields.Datetime.now())
        try:
            for offset in range(first_day, last_day + 1):
                self.env.cr.execute("SELECT set_config('pharmacy.utcnow', %s, false)", [
                    fields.Datetime.to_string(now + timedelta(days=offset))])
                journeys._pharmacy_run()
        finally:
            self.env.cr.execute("SELECT set_config('pharmacy.utcnow', '', false)")
        self.env.cr.execute("""
            SELECT s.id, s.mail_mail_id, h.date FROM pharmacy_journey_history h
              JOIN mail_mail_statistics s ON s.id = h.statistics_id
             WHERE h.journey_id = ANY(%s) AND s.sent IS NULL""", [journeys.ids])
        for statistics_id, mail_id, day in self.env.cr.fetchall():
            self.env['mail.mail'].sudo().browse(mail_id).exists().write({'state': 'sent'})
            self.env['mail.mail.statistics'].sudo().browse(statistics_id).write(
                {'sent': '%s 15:00:00' % day})
        return True

    def _pharmacy_entry_criteria(self):
        """``[(sql condition on res_partner p, params)]`` choosing who enters (features add
        entry events)."""
        self.ensure_one()
        if self.entry_type == 'segment':
            return self.segment_id._pharmacy_criteria()
        if self.entry_type in ENTRY_SQL:
            return [(ENTRY_SQL[self.entry_type], [self.entry_days] * ENTRY_PARAMS[
                self.entry_type])]
        raise UserError(_('The journey %(name)s has no entry rule for %(entry)s.') % {
            'name': self.name, 'entry': self.entry_type})

    def _pharmacy_enter(self):
        """The candidates marketing may reach enter at the first step, once each (a unique
        index on journey and patient): one query; with a hold-out, a second one draws the
        held-out among them (``HOLDOUT_SQL``). Returns the number who entered."""
        self.ensure_one()
        first = self.step_ids[:1]
        if not first:
            return 0
        criteria = self._pharmacy_entry_criteria()
        sql = classify_query(candidates_query([c for c, _p in criteria]))
        params = [self.company_id.id] + [p for _c, params in criteria for p in params]
        now = fields.Datetime.now()
        self.env.cr.execute("""
            INSERT INTO pharmacy_journey_participant
                (journey_id, patient_id, company_id, state, step_id, entry_date, next_date,
                 create_uid, create_date, write_uid, write_date)
            SELECT %s, p.id, p.company_id, 'active', %s, pharmacy_today(p.company_id),
                   pharmacy_today(p.company_id), %s, %s, %s, %s
              FROM ({classify}) c(id, reason)
              JOIN res_partner p ON p.id = c.id
             WHERE c.reason IS NULL
                ON CONFLICT (journey_id, patient_id) DO NOTHING
             RETURNING id
        """.format(classify=sql), [self.id, first.id, self.env.uid, now, self.env.uid, now]
            + params)
        entered = [row[0] for row in self.env.cr.fetchall()]
        if len(entered) >= ANALYZE_AFTER:
            # thousands of entrants at once (a segment's first run): the planner's statistics
            # of the participants would say the table is nearly empty until autovacuum comes
            self.env.cr.execute('ANALYZE pharmacy_journey_participant')
        if entered and self.holdout_percent:
            self.env.cr.execute(HOLDOUT_SQL, {'journey': self.id, 'ids': entered,
                                              'percent': self.holdout_percent})
        return len(entered)

    def _pharmacy_exit(self, where, params):
        """Exit the active participants selected by ``where`` (SQL on ``pa``, ``p``, ``j``)
        that meet an exit; returns their ids."""
        self.env.cr.execute(exit_query(where), dict(
            params, now=fields.Datetime.now(), uid=self.env.uid))
        return [row[0] for row in self.env.cr.fetchall()]

    def _pharmacy_advance_batch(self, limit):
        """Up to ``limit`` due participants (locked; those another run holds are skipped):
        their exits first, then one step for those still in. Returns whether any was due."""
        self.ensure_one()
        self.env.cr.execute(DUE_SQL, {'journey': self.id, 'limit': limit})
        rows = self.env.cr.fetchall()
        if not rows:
            return False
        exited = set(self._pharmacy_exit('pa.id = ANY(%(ids)s)',
                                         {'ids': [row[0] for row in rows]}))
        due = {}
        for participant_id, step_id in rows:
            if participant_id not in exited:
                due.setdefault(step_id, []).append(participant_id)
        Step = self.env['pharmacy.journey.step']
        for step_id, ids in sorted(due.items()):
            Step.browse(step_id)._pharmacy_perform(ids)
        self.env['pharmacy.journey.participant'].invalidate_cache()
        self.env['pharmacy.journey.history'].invalidate_cache()
        return True

    def _pharmacy_record_step(self, step, ids, outcome):
        """Record ``step`` performed for the participants ``ids``; returns
        ``[(history id, participant id, patient id)]`` for those it was not yet recorded for
        (the others are left out: a step is performed once per participant)."""
        if not ids:
            return []
        self.env.cr.execute(RECORD_STEP_SQL, {
            'step': step.id, 'outcome': outcome, 'ids': list(ids), 'uid': self.env.uid,
            'now': fields.Datetime.now()})
        return self.env.cr.fetchall()

    def _pharmacy_move(self, participant_ids, step, wait_days=0):
        """Participants go to ``step`` (due in ``wait_days``), or complete the journey when
        there is none. Returns True."""
        if not participant_ids:
            return True
        now = fields.Datetime.now()
        if step:
            # each pharmacy's date computed once, not once per participant
            self.env.cr.execute("""
                UPDATE pharmacy_journey_participant pa
                   SET step_id = %s, next_date = t.today + %s, write_date = %s, write_uid = %s
                  FROM (SELECT c.id, pharmacy_today(c.id) AS today FROM res_company c) t
                 WHERE pa.id = ANY(%s) AND t.id = pa.company_id""", [
                step.id, wait_days, now, self.env.uid, list(participant_ids)])
        else:
            self.env.cr.execute("""
                UPDATE pharmacy_journey_participant
                   SET state = 'done', step_id = NULL, next_date = NULL,
                       exit_date = pharmacy_today(company_id), write_date = %s,
                       write_uid = %s
                 WHERE id = ANY(%s)""", [now, self.env.uid, list(participant_ids)])
        return True

    @api.model
    def _pharmacy_condition_met(self, condition, ids):
        """The ids among the participants ``ids`` meeting ``condition``: one query."""
        sql = self.env['pharmacy.journey.step']._pharmacy_condition_sql()[condition]
        self.env.cr.execute(condition_query(sql), {'ids': list(ids)})
        return {row[0] for row in self.env.cr.fetchall()}
