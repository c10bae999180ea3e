# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The public refill request: a patient without a portal account types an Rx number, their
birthdate and their phone. When the three match an active patient's prescription of this
pharmacy, the same staff request as on the portal is made (refusals make the renewal task
where the portal would). The answer page is the same whether they match or not, so the form
tells nothing about a prescription, a patient or a match. A hidden field catches robots (the
same answer, nothing done); each client address and each Rx number has a number of tries per
hour (``pharmacy.refill.attempt``)."""
import re

from odoo import http
from odoo.http import request

HONEYPOT = 'website_url'


def _digits(phone):
    """The last 10 digits of a phone number (a US number without its country code)."""
    return re.sub(r'\D', '', phone or '')[-10:]


class PublicRefill(http.Controller):

    @http.route(['/pharmacy/refill'], type='http', auth='public', methods=['GET'],
                website=True)
    def refill_form(self, **kw):
        return request.render('pharmacy_crm_portal_website.public_refill_form', {})

    @http.route(['/pharmacy/refill'], type='http', auth='public', methods=['POST'],
                website=True)
    def refill_submit(self, rx_number='', birthdate='', phone='', **kw):
        rx_number = (rx_number or '').strip()[:64]
        address = request.httprequest.remote_addr or ''
        attempts = request.env['pharmacy.refill.attempt'].sudo()
        if not attempts._pharmacy_allow(address, rx_number):
            return request.render('pharmacy_crm_portal_website.public_refill_limited', {},
                                  status=429)
        if not kw.get(HONEYPOT) and rx_number and birthdate and _digits(phone):
            self._pharmacy_match_and_request(rx_number, birthdate.strip()[:10], _digits(phone))
        return request.render('pharmacy_crm_portal_website.public_refill_thanks', {})

    @staticmethod
    def _pharmacy_match_and_request(rx_number, birthdate, phone):
        """The server looks the prescription up (the public user may read nothing): the Rx
        number of an active prescription of this website's pharmacy whose patient has this
        birthdate and phone; then asks for the refill as the portal does."""
        company = request.website.company_id
        prescriptions = request.env['pharmacy.patient.medication'].sudo().search([
            ('rx_number', '=', rx_number), ('company_id', '=', company.id)], limit=2)
        if len(prescriptions) != 1:
            return False
        patient = prescriptions.patient_id
        if patient.birthdate_date != birthdate or phone not in (
                _digits(patient.phone), _digits(patient.mobile)):
            return False
        requests_ = request.env['pharmacy.refill.request'].sudo()
        requests_._pharmacy_request_refill(prescriptions, source='website',
                                           requested_by=request.env.user)
        return True
