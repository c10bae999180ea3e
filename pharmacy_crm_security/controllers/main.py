# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import http


class PharmacySecurity(http.Controller):

    @http.route('/pharmacy_security/activity', type='json', auth='user')
    def activity(self):
        """The user is at the screen (typing a form, moving the mouse) although the web client
        made no request: an authenticated request is activity for auth_session_timeout."""
        return True
