# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import http
from odoo.http import request

from odoo.addons.pharmacy_crm_marketing.models.mass_mailing import MAILING_LIST
from odoo.addons.website_mass_mailing.controllers.main import MassMailController

SIGNUP = 'pharmacy.signup.request'


class PharmacySignupController(MassMailController):
    """The newsletter block subscribes nobody at once (double opt-in): it mails a
    confirmation link, and the address joins the list (a patient's consent is granted) only
    when the link is followed. Every answer is the same whoever the address is: the page
    tells nothing of a patient."""

    @http.route('/website_mass_mailing/subscribe', type='json', website=True, auth='public')
    def subscribe(self, list_id, email, **post):
        try:
            mailing_list = request.env[MAILING_LIST].sudo().browse(int(list_id)).exists()
        except (TypeError, ValueError):
            return False
        name, address = request.env['mail.mass_mailing.contact'].sudo().get_name_email(
            email or '')
        base_url = request.env['ir.config_parameter'].sudo().get_param('web.base.url')
        return request.env[SIGNUP].sudo()._pharmacy_request(
            address, name, mailing_list, request.website.company_id, base_url)

    @http.route('/newsletter/confirm/<string:token>', type='http', website=True,
                auth='public', methods=['GET'])
    def pharmacy_signup_page(self, token, **kwargs):
        """The link of the mail shows a button: a mail scanner that opens links confirms
        nothing."""
        signup = request.env[SIGNUP].sudo()._pharmacy_find(token)
        if not signup:
            return self._pharmacy_invalid()
        return request.render('pharmacy_crm_marketing_website.signup_confirm_page', {
            'token': token, 'list_name': signup.list_id.name})

    @http.route('/newsletter/confirm/<string:token>', type='http', website=True,
                auth='public', methods=['POST'])
    def pharmacy_signup_confirm(self, token, **kwargs):
        signup = request.env[SIGNUP].sudo()._pharmacy_find(token)
        if not signup:
            return self._pharmacy_invalid()
        list_name = signup.list_id.name
        signup._pharmacy_confirm()
        return request.render('pharmacy_crm_marketing_website.signup_confirmed_page', {
            'list_name': list_name})

    @staticmethod
    def _pharmacy_invalid():
        return request.render('pharmacy_crm_marketing_website.signup_invalid_page', {},
                              status=404)
