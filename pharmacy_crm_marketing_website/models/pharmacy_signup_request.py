# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import hashlib
import secrets
from datetime import timedelta

from odoo import api, fields, models, tools

from odoo.addons.pharmacy_crm.models.res_company import pharmacy_now
from odoo.addons.pharmacy_crm_marketing.models.mass_mailing import MAILING_CONTACT, MAILING_LIST

VALID_HOURS = 72     # a confirmation link works this long
RESEND_MINUTES = 60  # one confirmation mail per address and list in this time (no mail bomb)


def token_hash(token):
    """The stored form of a confirmation token: its SHA-256, so that the database holds no
    working link."""
    return hashlib.sha256((token or '').encode('utf-8')).hexdigest()


class PharmacySignupRequest(models.Model):
    """A newsletter sign-up from the website waiting for its confirmation (double opt-in).

    Before the confirmation link is followed, only this request is kept (the address, the
    list, when it was asked; its link works VALID_HOURS): no mailing contact, no consent. On
    confirmation the address joins the list; when it is the address of exactly
    one patient the pharmacy serves, that patient's email marketing consent is granted
    (source "Web form", the pharmacy's date). An address several patients share (a family)
    grants nobody's consent: the pharmacy asks in store, and until then a mailing drops the
    address at send time."""

    _name = 'pharmacy.signup.request'
    _description = 'Newsletter Sign-up Request'
    _inherit = ['pharmacy.server.fields.mixin']
    _order = 'id desc'
    _rec_name = 'email'
    # made by the website, confirmed by the link only
    _pharmacy_state_actions = {'state': {'_pharmacy_confirm': ('pending', 'confirmed')}}
    _pharmacy_server_fields = ('token_hash', 'requested_at', 'expires_at', 'confirmed_at')

    email = fields.Char(required=True, readonly=True)
    name = fields.Char(readonly=True)
    list_id = fields.Many2one(MAILING_LIST, string='Mailing List', required=True,
                              readonly=True, ondelete='cascade')
    company_id = fields.Many2one('res.company', string='Pharmacy', required=True,
                                 readonly=True)
    token_hash = fields.Char(readonly=True, index=True, copy=False, groups='base.group_system')
    state = fields.Selection([('pending', 'Waiting for confirmation'),
                              ('confirmed', 'Confirmed')],
                             required=True, default='pending', readonly=True)
    requested_at = fields.Datetime(string='Asked On', readonly=True)
    expires_at = fields.Datetime(string='Link Valid Until', readonly=True)
    confirmed_at = fields.Datetime(readonly=True)

    @api.model
    def _pharmacy_request(self, email, name, mailing_list, company, base_url):
        """Record a sign-up of ``email`` to ``mailing_list`` and mail its confirmation link
        (a link to ``base_url``), unless one was mailed for them in the last RESEND_MINUTES.
        Called as the system by the website. Returns True (whoever the address is)."""
        email = tools.email_split(email or '')
        if not email or not mailing_list.exists() or not mailing_list.pharmacy_website_offered \
                or self.env['pharmacy.segment'].with_context(active_test=False).search_count(
                    [('list_id', '=', mailing_list.id)]):
            # only a list offered on the website; a segment's list holds its members only
            return False
        email = email[0].lower()
        now = fields.Datetime.from_string(pharmacy_now(self))
        recent = self.search([
            ('email', '=', email), ('list_id', '=', mailing_list.id), ('state', '=', 'pending'),
            ('requested_at', '>', fields.Datetime.to_string(
                now - timedelta(minutes=RESEND_MINUTES)))], limit=1)
        if recent:
            return True
        token = secrets.token_urlsafe(32)
        request = self.create({
            'email': email, 'name': (name or email)[:128], 'list_id': mailing_list.id,
            'company_id': company.id})
        request._pharmacy_server_write({
            'token_hash': token_hash(token), 'requested_at': fields.Datetime.to_string(now),
            'expires_at': fields.Datetime.to_string(now + timedelta(hours=VALID_HOURS))})
        template = self.env.ref('pharmacy_crm_marketing_website.mail_template_signup_confirm')
        template.with_context(
            pharmacy_confirm_url='%s/newsletter/confirm/%s' % (base_url.rstrip('/'), token),
        ).send_mail(request.id)
        return True

    @api.model
    def _pharmacy_find(self, token):
        """The pending, unexpired request of ``token`` (empty when none)."""
        if not token or len(token) > 128:
            return self.browse()
        return self.search([('token_hash', '=', token_hash(token)), ('state', '=', 'pending'),
                            ('expires_at', '>', pharmacy_now(self))], limit=1)

    def _pharmacy_confirm(self):
        """The address confirmed its sign-up: it joins the list (its opt-out cleared) and the
        one patient it belongs to grants email marketing consent. Returns True."""
        for request in self:
            patients = self.env['res.partner'].sudo()._pharmacy_patients_by_email(
                [request.email]).filtered(
                    lambda p: p.active and p.company_id == request.company_id
                    and (p.patient_state or 'active') == 'active')
            if len(patients) == 1:
                self.env['pharmacy.consent'].sudo()._pharmacy_set_email_marketing(
                    patients, 'granted', 'web')
            Contacts = self.env[MAILING_CONTACT].sudo()
            contact = Contacts.search([('list_ids', 'in', request.list_id.ids),
                                       ('email', '=ilike', request.email)], limit=1)
            if contact:
                contact.filtered('opt_out').write({'opt_out': False})
            else:
                Contacts.create({'name': request.name or request.email,
                                 'email': request.email,
                                 'list_ids': [(6, 0, request.list_id.ids)]})
            request._pharmacy_state_transition('_pharmacy_confirm', {
                'confirmed_at': pharmacy_now(request), 'token_hash': False})
        return True
