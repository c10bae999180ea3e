# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import re

from odoo import SUPERUSER_ID, api, models
from odoo.http import request

from odoo.addons.auth_session_timeout.models.ir_http import IrHttp as TimeoutIrHttp

NO_CHECK = ('/web/login', '/web/session/logout')
MAX_AGE = re.compile(r'max-age=([1-9]\d*)')


class IrHttp(models.AbstractModel):
    """What a logged-in user's browser keeps: nothing (``Cache-Control: no-store``), so that
    the back button after a logoff brings back no page of a patient, and the web client learns
    the automatic logoff delay."""

    _inherit = 'ir.http'

    @classmethod
    def _authenticate(cls, auth_method='user'):
        """auth_session_timeout checks routes of users and of the public only: the web
        client's page (``/web``, ``auth='none'``) would still open for a session idle past the
        delay. Check it too (not the login and logout pages themselves). And on such a route,
        auth_session_timeout built the request's environment before the route chose its
        database and user (privacy_consent's consent links answered 404): not any more."""
        if auth_method == 'none':
            # auth_session_timeout's own check builds the request's environment before the
            # route has chosen its database and user (ensure_db): skipped, checked below
            result = super(TimeoutIrHttp, cls)._authenticate(auth_method=auth_method)
        else:
            result = super()._authenticate(auth_method=auth_method)
        if (auth_method == 'none' and request.session.uid and request.db
                and request.httprequest.path not in NO_CHECK):
            # in a cursor of its own: the request's environment is the route's to make
            with request.registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})['res.users']._auth_timeout_check()
        return result

    @classmethod
    def _dispatch(cls):
        response = super()._dispatch()
        if request.session.uid and hasattr(response, 'headers'):
            cache = response.headers.get('Cache-Control') or ''
            # versioned assets (a "unique" URL, cached for a long time) hold no patient data
            if not MAX_AGE.search(cache):
                response.headers['Cache-Control'] = 'no-store'
                response.headers['Pragma'] = 'no-cache'
        return response

    def session_info(self):
        info = super().session_info()
        # the user's own delay: the shortest of the pharmacy's and of their groups'
        delay = self.env.user._pharmacy_idle_logoff_seconds()
        info['pharmacy_idle_logoff_seconds'] = max(delay, 0)
        return info
