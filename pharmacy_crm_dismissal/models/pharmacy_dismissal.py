# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_escape
from odoo.tools.misc import format_date

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import (
    PHARMACIST, PHARMACY_MANAGER, PHARMACY_STAFF)
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today

_logger = logging.getLogger(__name__)


class PharmacyDismissal(models.Model):
    """A proposal to stop serving a patient, its approval and its effect.

    proposed (a pharmacist) -> approved (a manager: letter, consent withdrawn, staff debrief)
    -> effective (the scheduled action, on the effective date: patient status Dismissed);
    a proposal may be withdrawn; an approved or effective dismissal may be reinstated by a
    manager. Fills continue during the notice period, until the effective date. The server
    writes the state and who did what (``_pharmacy_server_fields``) with
    ``_pharmacy_server_write``.
    """

    _name = 'pharmacy.dismissal'
    _description = 'Dismissal'
    _inherit = ['pharmacy.patient.record.mixin', 'mail.thread', 'mail.activity.mixin']
    _pharmacy_server_fields = (
        'proposed_by_id', 'proposed_date', 'approved_by_id', 'approved_date',
        'reinstated_by_id', 'reinstate_date', 'reinstate_reason', 'letter_attachment_id')
    _pharmacy_state_actions = {'state': {
        'action_approve': ('proposed', 'approved'),
        'action_withdraw': ('proposed', 'withdrawn'),
        '_cron_apply_effective': ('approved', 'effective'),
        'action_reinstate': (('approved', 'effective'), 'reinstated'),
    }}
    _audit_view_fields = ('explanation',)
    _order = 'id desc'
    _rec_name = 'patient_id'

    # the patient record mixin's patient, chosen while proposed
    patient_id = fields.Many2one(readonly=True, states={'proposed': [('readonly', False)]})
    state = fields.Selection([
        ('proposed', 'Proposed'),
        ('approved', 'Approved'),
        ('effective', 'Effective'),
        ('withdrawn', 'Withdrawn'),
        ('reinstated', 'Reinstated'),
    ], default='proposed', required=True, readonly=True, index=True, track_visibility='onchange')
    incident_ids = fields.Many2many(
        'pharmacy.incident', 'pharmacy_dismissal_incident_rel', 'dismissal_id', 'incident_id',
        string='Incidents Relied On', required=True)
    explanation = fields.Text(
        required=True, track_visibility='onchange',
        help='Written to the patient: why the pharmacy stops serving them. The body of the '
             'letter.')
    attestation = fields.Boolean(
        string='Non-discrimination Attestation', track_visibility='onchange',
        help='The decision does not rest on a protected ground (the protected grounds of the '
             'settings).')
    referral_pharmacy_ids = fields.Many2many(
        'res.partner', 'pharmacy_dismissal_referral_rel', 'dismissal_id', 'pharmacy_id',
        string='Referral Pharmacies', domain=[('is_pharmacy', '=', True)],
        help='Other pharmacies the patient is referred to (contacts marked as pharmacy).')
    transfer_prescriptions = fields.Boolean(
        track_visibility='onchange',
        help='The pharmacy transfers the patient\'s prescriptions to the pharmacy they choose.')
    effective_date = fields.Date(required=True, track_visibility='onchange',
                                 help='Fills continue until this day (the notice period).')
    proposed_by_id = fields.Many2one('res.users', readonly=True, default=lambda s: s.env.user)
    proposed_date = fields.Date(readonly=True, default=pharmacy_today)
    approved_by_id = fields.Many2one('res.users', readonly=True, track_visibility='onchange')
    approved_date = fields.Date(readonly=True)
    reinstated_by_id = fields.Many2one('res.users', readonly=True)
    reinstate_date = fields.Date(readonly=True)
    reinstate_reason = fields.Text(readonly=True, track_visibility='onchange')
    letter_attachment_id = fields.Many2one('ir.attachment', string='Letter', readonly=True)

    # --- constraints ---------------------------------------------------------------------
    @api.constrains('incident_ids', 'patient_id')
    def _check_incidents(self):
        days_needed = self.env['pharmacy.setting'].get('dismissal_incident_days')
        severe_needed = self.env['pharmacy.setting'].get('dismissal_severe_incidents')
        for dismissal in self.filtered(lambda d: d.state == 'proposed'):
            others = dismissal.incident_ids.filtered(lambda i: i.patient_id != dismissal.patient_id)
            if others:
                raise ValidationError(_(
                    'Incidents Relied On: %(incidents)s are not incidents of %(patient)s. '
                    'Choose incidents of the patient.') % {
                        'incidents': ', '.join(others.mapped('display_name')),
                        'patient': dismissal.patient_id.name})
            missing = dismissal.incident_ids._check_dismissal_thresholds(
                days_needed, severe_needed)
            if missing:
                raise ValidationError(missing)

    @api.constrains('explanation', 'attestation', 'referral_pharmacy_ids', 'effective_date')
    def _check_proposal(self):
        notice = self.env['pharmacy.setting'].get('dismissal_notice_days')
        for dismissal in self.filtered(lambda d: d.state == 'proposed'):
            if not (dismissal.explanation or '').strip():
                raise ValidationError(_(
                    'Explanation is required: write to the patient why the pharmacy stops '
                    'serving them; it is the body of the letter.'))
            if not dismissal.attestation:
                raise ValidationError(_(
                    'Non-discrimination Attestation is required: tick it to attest that the '
                    'decision rests on the incidents only, not on %s.')
                    % self._protected_grounds_text())
            if not dismissal.referral_pharmacy_ids:
                raise ValidationError(_(
                    'Referral Pharmacies: choose at least one other pharmacy for the patient '
                    '(contacts marked as pharmacy, searchable by city).'))
            earliest = fields.Date.to_string(fields.Date.from_string(
                dismissal.proposed_date) + timedelta(days=notice))
            if dismissal.effective_date < earliest:
                raise ValidationError(_(
                    'Effective Date %(date)s is too early: the patient keeps getting fills for '
                    'a notice period of %(days)d days, so the earliest date is %(earliest)s.')
                    % {'date': format_date(self.env, dismissal.effective_date), 'days': notice,
                       'earliest': format_date(self.env, earliest)})

    # --- CRUD ----------------------------------------------------------------------------
    @api.model
    def _pharmacy_prepare_vals(self, vals):
        """Pharmacists propose; what a proposal says changes only while it is proposed (the
        server's own writes, ``_pharmacy_server_write``, move it on)."""
        vals = super()._pharmacy_prepare_vals(vals)
        if self._pharmacy_server_writing():
            return vals
        self._check_group(PHARMACIST, _('Only pharmacists propose or change a dismissal.'))
        if not self:
            patient = self.env['res.partner'].browse(vals.get('patient_id'))
            if patient and self.search_count([('patient_id', '=', patient.id), (
                    'state', 'in', ('proposed', 'approved', 'effective'))]):
                raise UserError(_(
                    '%s already has a dismissal proposed, approved or effective: open it '
                    'instead of proposing another.') % patient.name)
        elif any(dismissal.state != 'proposed' for dismissal in self):
            raise UserError(_(
                'A dismissal changes only while it is proposed. Reinstate the patient and '
                'propose again if needed.'))
        return vals

    @api.model
    def create(self, vals):
        dismissal = super().create(vals)
        dismissal._post_on_patient(_(
            'Dismissal proposed by %(user)s, effective %(date)s once a manager approves it.'))
        dismissal._schedule_approval()
        return dismissal

    # --- actions -------------------------------------------------------------------------
    def action_approve(self):
        """Approve (managers): see ``_apply_approval`` for what follows."""
        self._check_group(PHARMACY_MANAGER, _(
            'Only pharmacy managers approve a dismissal. A pharmacist proposes it; ask a '
            'manager to approve it.'))
        for dismissal in self:
            if dismissal.state != 'proposed':
                raise UserError(_('Only a proposed dismissal can be approved.'))
            dismissal._pharmacy_state_transition('action_approve', {
                'approved_by_id': self.env.uid, 'approved_date': pharmacy_today(self)})
            dismissal._close_approval(_('Approved.'))
            dismissal._apply_approval()
        return True

    def action_withdraw(self):
        """Withdraw a proposal (its pharmacist or a manager): nothing else happens."""
        self._check_group(PHARMACIST, _('Only pharmacists withdraw a dismissal proposal.'))
        for dismissal in self:
            if dismissal.state != 'proposed':
                raise UserError(_(
                    'Only a proposed dismissal can be withdrawn; an approved one is reinstated '
                    'by a manager.'))
            dismissal._pharmacy_state_transition('action_withdraw')
            dismissal._close_approval(_('Proposal withdrawn.'))
            dismissal._post_on_patient(_('Dismissal proposal withdrawn by %(user)s.'))
        return True

    def action_reinstate(self, reason=None):
        """Reinstate the patient (managers): records the reason, sets the patient's status
        back to Active, reopens nothing and does not restore marketing consent."""
        self._check_group(PHARMACY_MANAGER, _('Only pharmacy managers reinstate a patient.'))
        if not (reason or '').strip():
            raise UserError(_('Reason is required to reinstate a patient: say why.'))
        for dismissal in self:
            if dismissal.state not in ('approved', 'effective'):
                raise UserError(_('Only an approved or effective dismissal can be reinstated.'))
            dismissal._pharmacy_state_transition('action_reinstate', {
                'reinstated_by_id': self.env.uid, 'reinstate_date': pharmacy_today(self),
                'reinstate_reason': reason})
            patient = dismissal.patient_id
            patient._pharmacy_server_write({'dismissal_effective_date': False})
            if patient.patient_state == 'dismissed':
                patient._pharmacy_state_transition('action_reinstate')
            patient.sudo().message_post(body=_(
                '<p>Reinstated by %(user)s: %(reason)s</p><p>Nothing was reopened: prescriptions, '
                'appointments and activities stay as they are, and marketing consent stays '
                'refused until the patient grants it again.</p>') % {
                    'user': html_escape(self.env.user.name), 'reason': html_escape(reason)},
                subtype='mail.mt_note', author_id=self.env.user.partner_id.id)
        return True

    def action_open_reinstate(self):
        self.ensure_one()
        self._check_group(PHARMACY_MANAGER, _('Only pharmacy managers reinstate a patient.'))
        return {
            'type': 'ir.actions.act_window', 'name': _('Reinstate %s') % self.patient_id.name,
            'res_model': 'pharmacy.dismissal.reinstate', 'view_mode': 'form', 'target': 'new',
            'context': {'default_dismissal_id': self.id}}

    def action_print_letter(self):
        """The letter's report action, without its empty keys (Odoo's ``data: None`` cannot
        be sent to an XML-RPC client)."""
        self.ensure_one()
        report = self.env.ref('pharmacy_crm_dismissal.pharmacy_dismissal_letter_report')
        return {key: value for key, value in report.report_action(self).items()
                if value is not None}

    # --- business methods ----------------------------------------------------------------
    def _apply_approval(self):
        """What an approval does, in this order: mark the patient (dismissal effective date),
        attach the letter to the patient's chatter, withdraw marketing consent and leave the
        mailing lists, cancel what is planned after the effective date, close the patient's
        future activities, debrief the staff."""
        self.ensure_one()
        self.patient_id._pharmacy_server_write({'dismissal_effective_date': self.effective_date})
        self._attach_letter()
        self._withdraw_marketing_consent()
        self.patient_id.sudo()._pharmacy_leave_mailing_lists()
        # what is planned from the effective date (refill sync appointments, ...); before
        # it, the patient is served during the notice period
        self.patient_id.sudo()._pharmacy_cancel_plans(self.effective_date)
        self._close_future_activities()
        self._debrief_staff()

    def _attach_letter(self):
        """Render the letter (PDF when wkhtmltopdf works, else HTML) and post it on the
        patient's chatter."""
        report = self.env.ref('pharmacy_crm_dismissal.pharmacy_dismissal_letter_report').sudo()
        content, extension = None, 'html'
        if report.get_wkhtmltopdf_state() == 'ok':
            result = report.render_qweb_pdf([self.id])
            content, extension = result if isinstance(result, tuple) else (result, 'html')
        if content is None:
            content, extension = report.render_qweb_html([self.id])
        if isinstance(content, str):
            content = content.encode()
        name = _('Dismissal letter - %(patient)s.%(extension)s') % {
            'patient': self.patient_id.name, 'extension': extension}
        body = _('Dismissal approved by %(user)s, effective %(date)s: the letter to the '
                 'patient is attached.') % {
                     'user': html_escape(self.env.user.name),
                     'date': format_date(self.env, self.effective_date)}
        message = self.patient_id.sudo().message_post(
            body=body,
            subtype='mail.mt_note', author_id=self.env.user.partner_id.id,
            attachments=[(name, content)])
        self._pharmacy_server_write({'letter_attachment_id': message.attachment_ids[:1].id})

    def _withdraw_marketing_consent(self):
        """Every marketing consent line of the patient becomes Refused (source Dismissal,
        today); a channel without a line gets one."""
        today = pharmacy_today(self)
        Consent = self.env['pharmacy.consent'].sudo()
        lines = Consent.search([('patient_id', '=', self.patient_id.id),
                                ('purpose', '=', 'marketing')])
        lines.write({'state': 'refused', 'source': 'dismissal', 'date': today})
        for channel in set(dict(Consent._fields['channel'].selection)) - set(
                lines.mapped('channel')):
            Consent.create({'patient_id': self.patient_id.id, 'channel': channel,
                            'purpose': 'marketing', 'state': 'refused',
                            'source': 'dismissal', 'date': today})
        self.patient_id.sudo().write({'opt_out': True})   # mass mailings to contacts

    def _close_future_activities(self):
        """Close (mark done, with feedback) the activities of the patient and of their
        prescriptions due after the effective date."""
        prescriptions = self.env['pharmacy.patient.medication'].sudo().search(
            [('patient_id', '=', self.patient_id.id)])
        activities = self.env['mail.activity'].sudo().search([
            ('date_deadline', '>', self.effective_date), '|',
            '&', ('res_model', '=', 'res.partner'), ('res_id', '=', self.patient_id.id),
            '&', ('res_model', '=', 'pharmacy.patient.medication'),
            ('res_id', 'in', prescriptions.ids)])
        activities.action_feedback(_('Closed: the patient is dismissed from %s.')
                                   % format_date(self.env, self.effective_date))

    def _debrief_staff(self):
        """Post the debrief in the company's channel Pharmacy staff, whose members become
        every pharmacy user of the patient's company (users who got a pharmacy group since
        the last debrief join now), and notify each of them (inbox or email, as they chose)."""
        staff = self.env.ref(PHARMACY_STAFF).sudo().users.filtered(
            lambda u: self.company_id in u.company_ids)
        channel = self._staff_channel()
        channel.write({'channel_partner_ids': [
            (4, partner.id) for partner in staff.mapped('partner_id')
            if partner not in channel.channel_partner_ids]})
        types = dict(self.env['pharmacy.incident']._fields['incident_type']._description_selection(
            self.env))
        incidents = ', '.join('%s (%s)' % (types[i.incident_type], format_date(
            self.env, fields.Date.to_string(i._local_day()))) for i in self.incident_ids)
        referral = '; '.join('%s, %s, %s' % (p.name, p.city or '', p.phone or '')
                             for p in self.referral_pharmacy_ids)
        # the whole explanation, as the patient reads it (never cut mid-word)
        why = '<br/>'.join(html_escape(line) for line in (
            self.explanation or '').strip().splitlines())
        body = _(
            '<p><strong>Dismissal of %(patient)s</strong>, approved by %(manager)s, effective '
            '%(date)s.</p><p>Incidents: %(incidents)s.</p><p>What the letter tells the patient:'
            '</p><blockquote>%(why)s</blockquote>'
            '<p>If the patient comes in: until %(date)s, serve them as usual, fills continue. '
            'From %(date)s, do not fill; refer them kindly to %(referral)s%(transfer)s. Stay '
            'calm; if you feel threatened, call the manager or the police.</p>') % {
                'patient': html_escape(self.patient_id.name),
                'manager': html_escape(self.env.user.name),
                'date': format_date(self.env, self.effective_date),
                'why': why, 'incidents': html_escape(incidents),
                'referral': html_escape(referral),
                'transfer': _('; their prescriptions are transferred on request')
                if self.transfer_prescriptions else ''}
        channel.message_post(
            body=body, subject=_('Dismissal of %s') % self.patient_id.name,
            message_type='comment', subtype='mail.mt_comment',
            author_id=self.env.user.partner_id.id,
            partner_ids=(staff - self.env.user).mapped('partner_id').ids)

    def _staff_channel(self):
        """The private channel of the pharmacy staff of the patient's company: the addon's
        "Pharmacy staff" for the main company, "Pharmacy staff (<company>)" created on the
        first debrief of another."""
        self.ensure_one()
        channel = self.env.ref('pharmacy_crm_dismissal.pharmacy_staff_channel').sudo()
        if self.company_id == self.env.ref('base.main_company'):
            return channel
        name = '%s (%s)' % (channel.name, self.company_id.name)
        Channel = self.env['mail.channel'].sudo()
        return Channel.search([('name', '=', name), ('public', '=', 'private')], limit=1) or \
            Channel.create({'name': name, 'public': 'private',
                            'description': channel.description})

    @api.model
    def _cron_apply_effective(self):
        """Scheduled action: approved dismissals whose effective date has come become
        effective, and their patients' status Dismissed."""
        # each pharmacy's today: within two days of any other's, whatever its time zone
        latest = fields.Date.to_string(fields.Date.from_string(
            self.env['res.company'].pharmacy_today()) + timedelta(days=2))
        due = self.sudo().search([('state', '=', 'approved'), ('effective_date', '<=', latest)])
        due = due.filtered(lambda d: d.effective_date <= pharmacy_today(d))
        due._pharmacy_state_transition('_cron_apply_effective')   # one write for all
        # a patient who transferred out or died meanwhile keeps that status
        patients = due.mapped('patient_id').sudo().filtered(
            lambda patient: patient.patient_state == 'active')
        patients._pharmacy_state_transition('action_approve')
        patients._pharmacy_patient_left('dismissed')   # e.g. refill sync drops out
        _logger.info('dismissals: %d became effective', len(due))
        return len(due)

    def _post_on_patient(self, text):
        """A note on the patient's chatter: ``text`` with %(user)s and %(date)s."""
        self.ensure_one()
        self.patient_id.sudo().message_post(
            body=html_escape(text % {'user': self.env.user.name,
                                     'date': format_date(self.env, self.effective_date)}),
            subtype='mail.mt_note', author_id=self.env.user.partner_id.id)

    def _check_group(self, group, message):
        if not self.env.user.has_group(group):
            raise AccessError(message)

    @api.model
    def _protected_grounds_text(self):
        """The protected grounds of the settings and the local additions, e.g. "race,
        color, religion, national origin, sex, age, disability, gender identity"."""
        Setting = self.env['pharmacy.setting']
        grounds = [Setting.get('dismissal_protected_grounds').strip(),
                   Setting.get('dismissal_local_grounds').strip()]
        return ', '.join(ground for ground in grounds if ground)

    def _schedule_approval(self):
        """A To Do activity for each pharmacy manager of the patient's company but the
        proposer: a dismissal waits for their approval (closed by the approval or the
        withdrawal, ``_close_approval``)."""
        managers = self.env.ref(PHARMACY_MANAGER).sudo().users
        activity_type = self.env.ref('mail.mail_activity_data_todo')
        model_id = self.env['ir.model']._get(self._name).id
        Activity = self.env['mail.activity'].sudo()
        for dismissal in self:
            for manager in managers.filtered(
                    lambda u, d=dismissal: d.company_id in u.company_ids
                    and u != self.env.user and u.id != SUPERUSER_ID):
                Activity.create({
                    'res_model_id': model_id, 'res_id': dismissal.id,
                    'activity_type_id': activity_type.id, 'user_id': manager.id,
                    'date_deadline': pharmacy_today(dismissal),
                    'summary': _('Approve or withdraw the dismissal of %s')
                    % dismissal.patient_id.name,
                    'note': _('Proposed by %(user)s, effective %(date)s: read the incidents '
                              'and the letter, then Approve.') % {
                                  'user': html_escape(self.env.user.name),
                                  'date': format_date(self.env, dismissal.effective_date)}})
        return True

    def _close_approval(self, feedback):
        """Mark the approval activities done (whoever approved or withdrew)."""
        todo = self.env.ref('mail.mail_activity_data_todo')
        activities = self.sudo().mapped('activity_ids').filtered(
            lambda a: a.activity_type_id == todo)
        if activities:
            activities.action_feedback(feedback=feedback)
        return True
