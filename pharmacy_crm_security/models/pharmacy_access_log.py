# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, fields, models


class PharmacyAccessLog(models.Model):
    """A lockout after failed logins and a switch of user at a terminal are access log
    events."""

    _inherit = 'pharmacy.access.log'

    event = fields.Selection(selection_add=[('login_locked', 'Login locked'),
                                            ('user_switch', 'User switched')])

    @api.model
    def _log_user_switch(self, uid, previous_uid):
        """``uid`` signed in over the screen of ``previous_uid`` (None: nobody's)."""
        Users = self.env['res.users'].sudo().with_context(active_test=False)
        user = Users.browse(uid)
        previous = Users.browse(previous_uid) if previous_uid else Users
        self._append([{
            'event': 'user_switch', 'user_id': user.id, 'login': user.login,
            'res_model': 'res.users', 'res_id': previous.id or None,
            'record_name': previous.login or None, 'company_id': user.company_id.id}])
        return True
