# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, http, models


class ResUsers(models.Model):
    """auth_session_timeout, fixed for visitors who are not logged in."""

    _inherit = 'res.users'

    @api.model_cr_context
    def _auth_timeout_check(self):
        """Only a logged-in session is logged off. auth_session_timeout also checks the
        public user's session of a new visitor (a patient opening an unsubscribe link, the
        website's home page), whose session file does not exist yet: it logged an ERROR with a
        traceback and sent the visitor to the login page. Such a session has nothing to log
        off."""
        if not http.request or not http.request.session.uid:
            return None
        return super()._auth_timeout_check()
