# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import SUPERUSER_ID, _, http
from odoo.http import request
from odoo.service import security
from odoo.service.common import exp_authenticate


class PharmacySecurity(http.Controller):

    @http.route('/pharmacy_security/activity', type='json', auth='user')
    def activity(self):
        """The user is at the screen (typing a form, moving the mouse) although the web client
        made no request: an authenticated request is activity for auth_session_timeout."""
        return True

    @http.route('/pharmacy_security/switch_user', type='json', auth='none')
    def switch_user(self, login, password):
        """The next person at the terminal signs in over the current screen. Their login and
        password are checked as at the login page (failed logins count towards the lockout and
        go to the access log); then the previous user's session ends and a NEW session (a new
        session id) starts for them: nothing they do is recorded under the previous user.
        Returns {'uid': ...}, or {'error': message} with the previous session untouched."""
        db = request.session.db or request.db
        if not db or not login or not password:
            return {'error': _('Type your login and password.')}
        environ = request.httprequest.environ
        uid = exp_authenticate(db, login, password, {
            'base_location': request.httprequest.url_root.rstrip('/'),
            'HTTP_HOST': environ.get('HTTP_HOST'), 'REMOTE_ADDR': environ.get('REMOTE_ADDR')})
        if not uid:
            return {'error': _('Wrong login or password.')}
        previous = request.session.uid
        session = request.session
        session.logout(keep_db=True)
        # a new session id now (Odoo would rotate it when saving the response): the session
        # token is computed from it
        store = http.root.session_store
        store.delete(session)
        session.sid = store.generate_key()
        session.rotate = False
        session.modified = True
        session.db = db
        session.uid = uid
        session.login = login
        env = request.env(user=SUPERUSER_ID)
        session.session_token = security.compute_session_token(session, env)
        request.uid = uid
        request.disable_db = False
        session.get_context()
        env['pharmacy.access.log']._log_user_switch(uid, previous)
        return {'uid': uid}
