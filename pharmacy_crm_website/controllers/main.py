# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import json
import threading
import time
from collections import defaultdict, deque

from odoo import _, http
from odoo.http import request

from odoo.addons.website_crm.controllers.main import WebsiteForm

TRANSFER_MARKER = 'pharmacy_transfer'   # hidden field of the transfer page
HONEYPOT = 'pharmacy_fax_number'        # hidden from people by CSS: a robot fills it
RATE_LIMIT = 5                          # transfer requests per client address...
RATE_WINDOW = 600                       # ...in this many seconds
_recent = defaultdict(deque)            # address -> times of its requests (this process)
_lock = threading.Lock()


def rate_limited(address, now=None):
    """Whether ``address`` sent RATE_LIMIT requests in the last RATE_WINDOW seconds; counts
    this one otherwise. Per server process: a burst against one worker is refused."""
    now = time.time() if now is None else now
    with _lock:
        hits = _recent[address]
        while hits and hits[0] <= now - RATE_WINDOW:
            hits.popleft()
        if len(hits) >= RATE_LIMIT:
            return True
        hits.append(now)
        return False


class PharmacyTransferForm(WebsiteForm):
    """The "Transfer your prescriptions to us" page, posting to website_crm's
    ``/website_form/crm.lead``: a robot filling the honeypot, a burst from one address or a
    request without the consent is refused before a lead is created; nothing the visitor sent
    is shown back."""

    @http.route('/transfer-your-prescriptions', type='http', auth='public', website=True)
    def pharmacy_transfer_page(self, **kwargs):
        return request.render('pharmacy_crm_website.pharmacy_transfer_page', {})

    @http.route('/transfer-your-prescriptions/thanks', type='http', auth='public',
                website=True)
    def pharmacy_transfer_thanks(self, **kwargs):
        return request.render('pharmacy_crm_website.pharmacy_transfer_thanks', {})

    @http.route('/website_form/<string:model_name>', type='http', auth='public',
                methods=['POST'], website=True)
    def website_form(self, model_name, **kwargs):
        if model_name != 'crm.lead' or not request.params.get(TRANSFER_MARKER):
            return super().website_form(model_name, **kwargs)
        request.params.pop(TRANSFER_MARKER, None)
        if request.params.pop(HONEYPOT, None):
            return self._pharmacy_refuse(400, _('The request was refused.'))
        if rate_limited(request.httprequest.remote_addr):
            return self._pharmacy_refuse(429, _('Too many requests: please call the '
                                                'pharmacy or try again later.'))
        if not request.params.get('pharmacy_contact_consent'):
            return json.dumps({'error_fields': ['pharmacy_contact_consent']})
        request.pharmacy_transfer = True   # read by crm.lead.website_form_input_filter
        return super().website_form(model_name, **kwargs)

    def insert_record(self, request, model, values, custom, meta=None):
        record_id = super().insert_record(request, model, values, custom, meta=meta)
        if getattr(request, 'pharmacy_transfer', False):
            request.env['crm.lead'].sudo().browse(record_id)._pharmacy_web_request_todo()
        return record_id

    @staticmethod
    def _pharmacy_refuse(status, message):
        response = request.make_response(json.dumps({'error': message}),
                                         headers=[('Content-Type', 'application/json')])
        response.status_code = status
        return response
