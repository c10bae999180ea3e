# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import re
from html import unescape as html_unescape

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.link_tracker.models.link_tracker import URL_REGEX

from ..tools.journey_sql import (CONSENT_GRANTED_SQL, FILL_SINCE_ENTRY_SQL,
                                 MAINTENANCE_2_SQL, OPENED_LAST_MAIL_SQL, SEND_SQL)

STEP_KINDS = [
    ('mail', 'Send a mail'),
    ('activity', 'Create an activity for staff'),
    ('wait', 'Wait'),
    ('branch', 'Branch on a condition'),
]
CONDITIONS = [
    ('fill_since_entry', 'Has a counted fill since entry'),
    ('opened_last_mail', 'Opened the last mail'),
    ('consent_granted', 'Email marketing consent still granted'),
    ('in_refill_sync', 'Enrolled in refill sync'),
    ('refill_sync_candidate', 'Not enrolled in refill sync, 2+ maintenance medications'),
]


class PharmacyJourneyStep(models.Model):
    """One step of a journey, performed in the order of the steps (sequence):

    - *mail*: the mail template rendered for the patient, sent as the system after the exits
      were checked (links tracked with the journey's UTM campaign, medium Email, the step's
      source; opening tracked); a participant held out of the journey is recorded at the step
      (outcome *Held out*) and moves on without the mail;
    - *activity*: a to-do on the patient for a staff member;
    - *wait*: the next step comes this many days later;
    - *branch*: when the condition holds (or, with *Go On When the Condition Is False*, does
      not hold) the participant goes on to the next step, else to the *If Not, Go to Step*
      step (later in the journey), else the journey ends for them.
    """

    _name = 'pharmacy.journey.step'
    _description = 'Customer Journey Step'
    _inherit = ['pharmacy.validation.mixin', 'pharmacy.server.fields.mixin']
    _order = 'journey_id, sequence, id'
    _pharmacy_server_fields = ('source_id',)

    journey_id = fields.Many2one('pharmacy.journey', required=True, index=True,
                                 ondelete='cascade')
    company_id = fields.Many2one(related='journey_id.company_id', store=True, readonly=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    step_type = fields.Selection(STEP_KINDS, string='Step', required=True, default='mail')
    template_id = fields.Many2one(
        'mail.template', string='Mail Template', ondelete='restrict',
        domain=[('model', '=', 'res.partner')],
        help='A template on contacts (Contact model): rendered for each patient.')
    activity_type_id = fields.Many2one('mail.activity.type')
    activity_summary = fields.Char(translate=True)
    activity_note = fields.Text(translate=True)
    activity_user_id = fields.Many2one(
        'res.users', string='Assigned To',
        help='The staff member who receives the activity (else the journey\'s responsible).')
    wait_days = fields.Integer(string='Wait (days)', default=0,
                               help='The next step comes this many days later.')
    condition = fields.Selection(CONDITIONS)
    negate = fields.Boolean(
        string='Go On When the Condition Is False',
        help='Checked: the participant goes on to the next step when the condition does NOT '
             'hold (else to the step below).')
    else_step_id = fields.Many2one(
        'pharmacy.journey.step', string='If Not, Go to Step', ondelete='restrict', copy=False,
        domain="[('journey_id', '=', journey_id)]",
        help='Where a participant goes when the branch does not go on (a later step of the '
             'journey); empty: the journey ends for them.')
    source_id = fields.Many2one('utm.source', string='UTM Source', readonly=True,
                                copy=False, ondelete='restrict')
    reached_count = fields.Integer(string='Reached', compute='_compute_reached_count')

    # --- computes --------------------------------------------------------------------------
    def _compute_reached_count(self):
        counts = {}
        if self.ids:
            self.env.cr.execute('SELECT step_id, COUNT(*) FROM pharmacy_journey_history '
                                'WHERE step_id = ANY(%s) GROUP BY step_id', [self.ids])
            counts = dict(self.env.cr.fetchall())
        for step in self:
            step.reached_count = counts.get(step.id, 0)

    @api.constrains('step_type', 'template_id', 'activity_summary', 'activity_type_id',
                    'wait_days', 'condition', 'else_step_id', 'sequence')
    def _check_step(self):
        for step in self:
            params = {'step': step.name, 'journey': step.journey_id.name}
            if step.step_type == 'mail' and not step.template_id:
                raise ValidationError(_('Mail Template of the step "%(step)s" (journey '
                                        '%(journey)s) is required: choose one.') % params)
            if step.step_type == 'mail' and step.template_id.model != 'res.partner':
                raise ValidationError(_('Mail Template of the step "%(step)s" (journey '
                                        '%(journey)s) must be a template on contacts.')
                                      % params)
            if step.step_type == 'activity' and not step.activity_summary:
                raise ValidationError(_('Activity Summary of the step "%(step)s" (journey '
                                        '%(journey)s) is required.') % params)
            if step.step_type == 'wait' and step.wait_days < 1:
                raise ValidationError(_('Wait (days) of the step "%(step)s" (journey '
                                        '%(journey)s) must be 1 or more.') % params)
            if step.step_type == 'branch' and not step.condition:
                raise ValidationError(_('The branch "%(step)s" (journey %(journey)s) needs a '
                                        'condition.') % params)
            other = step.else_step_id
            if other and (other.journey_id != step.journey_id
                          or (other.sequence, other.id) <= (step.sequence, step.id)):
                raise ValidationError(_('If Not, Go to Step of the branch "%(step)s" (journey '
                                        '%(journey)s) must be a later step of the same '
                                        'journey.') % params)

    # --- CRUD ------------------------------------------------------------------------------
    def name_get(self):
        """A step under its journey's name when the context asks (``pharmacy_step_journey``:
        the funnel, where two journeys may have steps of the same name)."""
        if not self.env.context.get('pharmacy_step_journey'):
            return super().name_get()
        return [(step.id, '%s / %s' % (step.journey_id.name, step.name)) for step in self]

    # --- business methods ------------------------------------------------------------------
    @api.model
    def _pharmacy_clinical_conditions(self):
        """Conditions that read clinical data (features add theirs)."""
        return ['in_refill_sync', 'refill_sync_candidate']

    @api.model
    def _pharmacy_sync_enrolled_sql(self):
        """SQL: the patient ``p`` has an open refill sync enrollment. Without refill sync
        nobody is enrolled (``pharmacy_crm_journey_sync`` reads the enrollments)."""
        return 'FALSE'

    @api.model
    def _pharmacy_condition_sql(self):
        """``{condition: SQL on participant pa and patient p}``."""
        enrolled = self._pharmacy_sync_enrolled_sql()
        return {
            'fill_since_entry': FILL_SINCE_ENTRY_SQL,
            'opened_last_mail': OPENED_LAST_MAIL_SQL,
            'consent_granted': CONSENT_GRANTED_SQL,
            'in_refill_sync': enrolled,
            'refill_sync_candidate': '%s AND NOT %s' % (MAINTENANCE_2_SQL, enrolled),
        }

    def _pharmacy_next(self):
        """The step after this one in its journey, or an empty recordset."""
        self.ensure_one()
        steps = self.journey_id.step_ids.sorted(lambda s: (s.sequence, s.id))
        later = steps.filtered(lambda s: (s.sequence, s.id) > (self.sequence, self.id))
        return later[:1]

    def _pharmacy_check_renders(self):
        """Each mail template renders for one patient as the current user: a placeholder the
        user may not read (e.g. ``${object.allergies}``) is refused now, not rendered by the
        system later. Returns True."""
        patient = self.env['res.partner'].search([('is_patient', '=', True)], limit=1)
        for step in self.filtered(lambda s: s.step_type == 'mail'):
            template = step.template_id
            for name in ('subject', 'body_html', 'email_from'):
                if not (patient and template[name] and '${' in template[name]):
                    continue
                try:
                    with self.env.cr.savepoint():
                        template.render_template(template[name], 'res.partner',
                                                 [patient.id])
                except (AccessError, UserError):
                    raise AccessError(_(
                        'The mail template "%(template)s" of the step "%(step)s" uses data '
                        'you may not read (e.g. a clinical field of the patient): remove it '
                        'from the template.') % {'template': template.name,
                                                 'step': step.name})
        return True

    def _pharmacy_perform(self, participant_ids):
        """Perform this step for the participants ``participant_ids`` (due, active, exits
        checked), record it once each, and move them on. Returns True."""
        self.ensure_one()
        journey = self.journey_id
        following = self._pharmacy_next()
        if self.step_type == 'branch':
            met = journey._pharmacy_condition_met(self.condition, participant_ids)
            going_on = [i for i in participant_ids if (i in met) != self.negate]
            other = [i for i in participant_ids if (i in met) == self.negate]
            done_on = journey._pharmacy_record_step(self, going_on, 'branch_yes')
            done_other = journey._pharmacy_record_step(self, other, 'branch_no')
            journey._pharmacy_move([row[1] for row in done_on], following)
            journey._pharmacy_move([row[1] for row in done_other], self.else_step_id)
            return True
        outcome = {'mail': 'sent', 'activity': 'activity', 'wait': 'waited'}[self.step_type]
        if self.step_type == 'mail':
            # the journey's hold-out: recorded at the step (the day it would have been sent)
            # and moved on, never sent the mail
            self.env.cr.execute('SELECT id FROM pharmacy_journey_participant '
                                'WHERE id = ANY(%s) AND held_out', [list(participant_ids)])
            held = {row[0] for row in self.env.cr.fetchall()}
            journey._pharmacy_move([row[1] for row in journey._pharmacy_record_step(
                self, [i for i in participant_ids if i in held], 'held_out')], following)
            participant_ids = [i for i in participant_ids if i not in held]
        done = journey._pharmacy_record_step(self, participant_ids, outcome)
        if self.step_type == 'mail':
            self._pharmacy_send(done)
        elif self.step_type == 'activity':
            self._pharmacy_schedule_activities([row[2] for row in done])
        journey._pharmacy_move([row[1] for row in done], following,
                               self.wait_days if self.step_type == 'wait' else 0)
        return True

    def _pharmacy_source(self):
        """The step's UTM source (created on its first mail)."""
        if not self.source_id:
            source = self.env['utm.source'].sudo().create({
                'name': '%s: %s' % (self.journey_id.name, self.name)})
            self.sudo()._pharmacy_server_write({'source_id': source.id})
        return self.source_id

    @api.model
    def _pharmacy_untracked_url_parts(self):
        """Links containing one of these are left as they are (a patient's own link, e.g.
        an unsubscription, is never turned into a tracked link others may read); features add
        theirs."""
        return ('/unsubscribe_from_list', '/mail/mailing')

    def _pharmacy_track_links(self, bodies):
        """The rendered ``bodies`` (``{patient id: html}``) with their links tracked as a
        mass mailing's are (Odoo's ``link_tracker``): UTM campaign of the journey, medium
        Email, source of the step. Links are rendered first (a template's link may be a
        placeholder, e.g. the pharmacy's website), then each distinct address gets one
        tracked link, whatever the number of patients."""
        vals = {'campaign_id': self.journey_id.campaign_id.id,
                'medium_id': self.env.ref('utm.utm_medium_email').id,
                'source_id': self._pharmacy_source().id}
        base = self.env['ir.config_parameter'].sudo().get_param('web.base.url') or ''
        Link = self.env['link.tracker'].sudo()
        short = {}
        untracked = self._pharmacy_untracked_url_parts()
        for body in bodies.values():
            for _href, url in re.findall(URL_REGEX, body or ''):
                if url not in short and not url.startswith(base + '/r/') and not any(
                        part in url for part in untracked):
                    address = html_unescape(url)
                    # the title given: Odoo would fetch the page for it
                    short[url] = Link.create(dict(vals, url=address, title=address)).short_url
        tracked = {}
        for patient_id, body in bodies.items():
            for href, url in set(re.findall(URL_REGEX, body or '')):
                if short.get(url):
                    body = body.replace(href, href.replace(url, short[url]))
            tracked[patient_id] = body
        return tracked

    def _pharmacy_send(self, done):
        """Queue the template's mail for each ``(history id, participant id, patient id)``,
        rendered as the user who started the journey, opening tracked (a statistics row per
        mail). The mail queue sends them once this transaction commits. Returns True.

        Set-based: the template is rendered for every patient at once (Odoo's
        ``render_template``), then one INSERT statement writes the messages, the mails, their
        recipient and statistics rows and links each to the step's history row, with the
        values Odoo's ``mail.mail.create`` gives them (message id, reply-to, record name,
        author, state *outgoing*): the queue sends them as any mail. (Creating them one by one
        through the ORM took about 17 queries a mail: minutes for a segment of thousands.)"""
        if not done:
            return True
        journey = self.journey_id
        starter = journey.started_uid or self.env.user
        # the placeholders read only their own fields of the patients (prefetching every
        # column of hundreds of contacts took most of a send)
        template = self.template_id.sudo(starter).with_context(prefetch_fields=False)
        patient_ids = [row[2] for row in done]

        def render(text):
            if '${' not in (text or ''):   # no placeholder: the same text for everyone
                return dict.fromkeys(patient_ids, text or '')
            return template.render_template(text, 'res.partner', patient_ids)
        subjects = render(template.subject)
        bodies = self._pharmacy_track_links(render(template.body_html))
        senders = render(template.email_from)
        company = journey.company_id
        default_from = company.email and '%s <%s>' % (company.name, company.email)
        Partner = self.env['res.partner'].sudo()
        senders = {pid: senders[pid] or default_from or None for pid in patient_ids}
        reply_to = {}
        for sender in set(senders.values()):
            ids = [pid for pid in patient_ids if senders[pid] == sender]
            reply_to.update(Partner.message_get_reply_to(ids, default=sender))
        # the messages' record name: the contact's stored display name (its name_get)
        self.env.cr.execute('SELECT id, COALESCE(display_name, name) FROM res_partner '
                            'WHERE id = ANY(%s)', [patient_ids])
        names = dict(self.env.cr.fetchall())
        message_ids = {pid: tools.generate_tracking_message_id('%s-res.partner' % pid)
                       for pid in patient_ids}
        self.env.cr.execute(SEND_SQL, {
            'history': [row[0] for row in done], 'patient': patient_ids,
            'subject': [subjects[pid] or None for pid in patient_ids],
            'body': [bodies[pid] or '' for pid in patient_ids],
            'email_from': [senders[pid] for pid in patient_ids],
            'reply_to': [reply_to.get(pid) or None for pid in patient_ids],
            'message_id': [message_ids[pid] for pid in patient_ids],
            'record_name': [names.get(pid) for pid in patient_ids],
            'author': self.env['mail.message'].sudo()._get_default_author().id,
            'server': template.mail_server_id.id or None,
            'auto_delete': bool(template.auto_delete), 'uid': self.env.uid,
            'now': fields.Datetime.now()})
        self.env['mail.mail'].invalidate_cache()
        self.env['mail.message'].invalidate_cache()
        self.env['mail.mail.statistics'].invalidate_cache()
        return True

    def _pharmacy_activity_user(self):
        """Who gets the step's to-dos: the step's staff member, else the journey's
        responsible, when they are pharmacy staff of the journey's pharmacy (a to-do on a
        patient may be assigned only to someone who may read the patient: a marketing user
        who built the journey may not); else the pharmacy's first manager."""
        company = self.journey_id.company_id
        for user in (self.activity_user_id, self.journey_id.user_id):
            if (user and user.has_group('pharmacy_crm.group_pharmacy_technician')
                    and company in user.company_ids):
                return user
        return self.env['res.users'].sudo().search([
            ('groups_id', 'in', self.env.ref('pharmacy_crm.group_pharmacy_manager').ids),
            ('company_ids', 'in', company.ids)], order='id', limit=1)

    def _pharmacy_schedule_activities(self, patient_ids):
        """A to-do on each patient for the step's staff member. Returns True."""
        if not patient_ids:
            return True
        model = self.env['ir.model']._get('res.partner')
        Activity = self.env['mail.activity'].sudo()
        user = self._pharmacy_activity_user()
        # the pharmacy's date as the SQL of the run reads it
        self.env.cr.execute('SELECT pharmacy_today(%s)', [self.journey_id.company_id.id])
        today = self.env.cr.fetchone()[0]
        for patient_id in patient_ids:
            Activity.create({
                'res_model_id': model.id, 'res_id': patient_id,
                'activity_type_id': (self.activity_type_id.id or
                                     self.env.ref('mail.mail_activity_data_todo').id),
                'summary': self.activity_summary, 'note': self.activity_note,
                'user_id': user.id, 'date_deadline': today})
        return True
