# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF

from ..tools.recipients import EXCLUSION_REASONS, excluded_recipients_query
from .mass_mailing import MAILING_CONTACT, MAILING_STATISTICS, MASS_MAILING


class MailMassMailing(models.Model):
    """Every mass mailing, however its recipients were chosen (a list, a segment, Odoo's domain
    editor on contacts), drops at send time the patients marketing may not reach (see
    ``tools/recipients.py``) and keeps how many it dropped, per reason.

    The messages are created as the system: each one is archived on the recipient's chatter,
    which a marketing user may not read (the core's rule on patients' messages).
    """

    _inherit = MASS_MAILING

    pharmacy_excluded_count = fields.Integer(
        string='Excluded Patients', compute='_compute_pharmacy_excluded_count',
        help='Patients among the recipients that this mailing will not reach: no granted '
             'email marketing consent, opted out, no valid email, archived, dismissed, '
             'deceased or transferred out.')
    pharmacy_dropped_left = fields.Integer(
        string='Dropped: no longer served', readonly=True, copy=False,
        help='At send time: dismissed, deceased or transferred-out patients.')
    pharmacy_dropped_archived = fields.Integer(
        string='Dropped: archived', readonly=True, copy=False)
    pharmacy_dropped_no_email = fields.Integer(
        string='Dropped: no valid email', readonly=True, copy=False,
        help='At send time: patients without a valid email address.')
    pharmacy_dropped_opted_out = fields.Integer(
        string='Dropped: opted out', readonly=True, copy=False)
    pharmacy_dropped_no_consent = fields.Integer(
        string='Dropped: no marketing consent', readonly=True, copy=False,
        help='At send time: patients without a granted email marketing consent.')
    pharmacy_dropped_count = fields.Integer(
        string='Dropped at Send Time', readonly=True, copy=False)
    pharmacy_matched_count = fields.Integer(
        string='Matched at Send Time', readonly=True, copy=False,
        help='The recipients the mailing selected when it was sent: the ones sent to, the '
             'ones held out (with a hold-out) and the ones dropped.')

    def _compute_total(self):
        super()._compute_total()
        for mailing in self:
            if mailing._pharmacy_hides_counts():
                mailing.total = 0
        return True

    def _compute_pharmacy_excluded_count(self):
        for mailing in self:
            if mailing._pharmacy_hides_counts():
                mailing.pharmacy_excluded_count = 0
                continue
            res_ids = mailing.sudo()._pharmacy_raw_recipients()
            mailing.pharmacy_excluded_count = len(mailing._pharmacy_excluded(res_ids))

    # --- recipients ------------------------------------------------------------------------
    def _pharmacy_raw_recipients(self):
        """The ids the mailing's domain selects, before any sampling or exclusion."""
        self.ensure_one()
        if not self.mailing_domain:
            return []
        return self.env[self.mailing_model_real].search(safe_eval(self.mailing_domain)).ids

    def _pharmacy_excluded(self, res_ids):
        """``{res_id: reason}`` for the recipients among ``res_ids`` who reach a patient
        marketing may not reach: one SQL query, whatever the number of recipients."""
        self.ensure_one()
        if not res_ids:
            return {}
        target = self.env[self.mailing_model_real]
        mail_field = 'email' if 'email' in target._fields else (
            'email_from' if 'email_from' in target._fields else None)
        if not mail_field or not target._fields[mail_field].store:
            return {}
        self.env.cr.execute(
            excluded_recipients_query(target._table, mail_field, target._name == 'res.partner'),
            {'ids': list(res_ids)})
        return dict(self.env.cr.fetchall())

    def get_recipients(self):
        """Odoo's recipients without the patients marketing may not reach."""
        res_ids = super().get_recipients()
        excluded = self._pharmacy_excluded(res_ids)
        return [res_id for res_id in res_ids if res_id not in excluded]

    # --- actions ---------------------------------------------------------------------------
    @api.multi
    def put_in_queue(self):
        self._pharmacy_check_may_send()
        super().put_in_queue()
        return True

    @api.multi
    def send_mail(self, res_ids=None):
        """Send as the system once the user's right to send is checked, after counting and
        dropping the excluded patients; returns True."""
        self._pharmacy_check_may_send()
        self._pharmacy_sync_segments()
        for mailing in self:
            raw_ids = mailing.sudo()._pharmacy_raw_recipients()
            excluded = mailing._pharmacy_count_dropped(list(set(raw_ids) | set(res_ids or [])))
            # the recipients are searched as the user (whose record rules apply: e.g. the
            # pharmacy's leads stay out of a marketing user's reach); only the sending is
            # done as the system
            if res_ids:
                ids = self.env[mailing.mailing_model_real].search(
                    [('id', 'in', [res_id for res_id in res_ids if res_id not in excluded])]).ids
            else:
                ids = mailing.get_remaining_recipients()
            if not ids:
                if excluded:
                    raise UserError(_(
                        'Every recipient of the mailing "%(name)s" is a patient marketing may '
                        'not reach (%(count)s dropped: no granted email marketing consent, '
                        'opted out, no valid email, archived or no longer served). Choose '
                        'other recipients.')
                        % {'name': mailing.name, 'count': len(excluded)})
                raise UserError(_('Please select recipients.'))
            mailing._pharmacy_check_body_renders()
            super(MailMassMailing, mailing.sudo()).send_mail(ids)
        return True

    # --- business methods ------------------------------------------------------------------
    def _pharmacy_demo_send(self, segment_id, url, figures):
        """Demo data only: the mailing as sent ``figures['sent_days_ago']`` days ago to the
        list of segment ``segment_id``, to the recipients the consent check at send time keeps
        (``get_recipients``), with the statistics mail tracking records: the first
        ``opened`` recipients opened it, the first ``clicked`` of them followed ``url``, the
        first ``replied`` replied. Nothing is queued (no mail server in the demo, and Odoo's
        sending commits as it goes). Returns True."""
        segment = self.env['pharmacy.segment'].browse(segment_id)
        segment._pharmacy_sync()
        sent = fields.Datetime.from_string(self.env['res.company'].pharmacy_now()) - timedelta(
            days=figures['sent_days_ago'])
        Stats = self.env[MAILING_STATISTICS]
        for mailing in self:
            mailing.write({'contact_list_ids': [(6, 0, segment.list_id.ids)],
                           'mailing_domain': "[('list_ids', 'in', [%d]), ('opt_out', '=', False)]"
                           % segment.list_id.id})
            mailing._pharmacy_count_dropped(mailing._pharmacy_raw_recipients())
            mailing.write({'state': 'done', 'sent_date': fields.Datetime.to_string(sent)})
            link = self.env['link.tracker'].create({
                'url': url, 'title': mailing.name, 'mass_mailing_id': mailing.id})
            for rank, res_id in enumerate(sorted(mailing.get_recipients())):
                later = fields.Datetime.to_string(sent + timedelta(hours=2 + rank))
                stat = Stats.create({
                    'model': mailing.mailing_model_real, 'res_id': res_id,
                    'mass_mailing_id': mailing.id,
                    'message_id': '<demo-%d-%d@pharmacy.example.com>' % (mailing.id, res_id),
                    'scheduled': fields.Datetime.to_string(sent),
                    'sent': fields.Datetime.to_string(sent),
                    'opened': later if rank < figures['opened'] else False,
                    'clicked': later if rank < figures['clicked'] else False,
                    'replied': later if rank < figures['replied'] else False})
                if rank < figures['clicked']:
                    self.env['link.tracker.click'].create({
                        'link_id': link.id, 'mail_stat_id': stat.id,
                        'mass_mailing_id': mailing.id, 'click_date': later[:10]})
        return True

    def _pharmacy_count_dropped(self, res_ids):
        """Store how many of ``res_ids`` (the recipients matched) the mailing drops, per
        reason of ``EXCLUSION_REASONS``: matched = sent + dropped (+ held out, with a
        hold-out). Returns the ``{res_id: reason}`` dropped."""
        self.ensure_one()
        excluded = self._pharmacy_excluded(res_ids)
        counts = {reason: 0 for reason in EXCLUSION_REASONS}
        for reason in excluded.values():
            counts[reason] += 1
        self.sudo().write(dict(
            {'pharmacy_dropped_%s' % reason: count for reason, count in counts.items()},
            pharmacy_dropped_count=len(excluded), pharmacy_matched_count=len(set(res_ids))))
        return excluded

    def _pharmacy_check_may_send(self):
        """Only pharmacy staff send to recipients chosen with clinical data: a clinical
        segment's list or members, or a contact filter on fields only staff read. Returns
        True."""
        if self.env.uid == SUPERUSER_ID or self.env.user.has_group(PHARMACY_STAFF):
            return True
        for mailing in self:
            if mailing._pharmacy_is_clinical():
                raise AccessError(_(
                    'The recipients of the mailing "%s" are chosen with clinical data: only '
                    'pharmacy staff who are also marketing users send it.') % mailing.name)
        return True

    def _pharmacy_is_clinical(self):
        """Whether the recipients are chosen with clinical data: a clinical segment's list or
        members, or a contact filter on fields only pharmacy staff read."""
        self.ensure_one()
        mailing = self.sudo()
        domain = safe_eval(mailing.mailing_domain) if mailing.mailing_domain else []
        if mailing.contact_list_ids.filtered('pharmacy_clinical'):
            return True
        if mailing.mailing_model_real == 'res.partner':
            return bool(self.env['res.partner']._pharmacy_domain_clinical_fields(domain))
        if mailing.mailing_model_real == MAILING_CONTACT:
            return bool(self.env[MAILING_CONTACT].sudo().search_count(
                expression.AND([domain, [('pharmacy_clinical', '=', True)]])))
        return False

    def _pharmacy_hides_counts(self):
        """Counts of clinically chosen recipients are for pharmacy staff only."""
        return not (self.env.uid == SUPERUSER_ID or self.env.user.has_group(PHARMACY_STAFF)
                    ) and self._pharmacy_is_clinical()

    def _pharmacy_sync_segments(self):
        """Sync the segments whose lists the mailings are sent to. Returns True."""
        lists = self.sudo().mapped('contact_list_ids')
        if lists:
            self.env['pharmacy.segment'].sudo().search(
                [('list_id', 'in', lists.ids)])._pharmacy_sync()
        return True

    def _pharmacy_check_body_renders(self):
        """The body is rendered for one recipient as the sending user before the system sends
        it: a placeholder the user may not read (e.g. ``${object.allergies}``) is refused
        here instead of being rendered with the system's rights."""
        self.ensure_one()
        res_ids = self.get_remaining_recipients()[:1]
        if res_ids and self.body_html and '${' in self.body_html:
            self.env['mail.template'].render_template(
                self.body_html, self.mailing_model_real, res_ids)
        return True
