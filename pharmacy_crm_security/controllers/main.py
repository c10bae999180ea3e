# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import time

import werkzeug.utils

import odoo
from odoo import SUPERUSER_ID, _, http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.service import security
from odoo.service.common import exp_authenticate

from odoo.addons.web.controllers.main import Home

from ..models.res_users import PENDING_SECONDS
from ..tools.second_factor import new_totp_secret, provisioning_uri
from ..wizards.pharmacy_totp_setup import qr_code_img

PENDING = 'pharmacy_login_pending'


def _redirect(path):
    return werkzeug.utils.redirect(path, 303)


def _login_page(template, values):
    response = request.render(template, values)
    response.headers['X-Frame-Options'] = 'DENY'
    return response


class PharmacyLogin(Home):
    """The web login in steps: the password, then (for a user who must use two factors) a
    code of the authenticator app, or (a password past its expiry) a new password. The
    password step is remembered in the server's session for a few minutes, never in the
    browser."""

    @http.route()
    def web_login(self, redirect=None, **kw):
        if request.httprequest.method == 'POST':
            request.pharmacy_login_mode = 'login'
        response = super().web_login(redirect=redirect, **kw)
        pending = getattr(request, 'pharmacy_login_pending', None)
        if not pending:
            return response
        request.session[PENDING] = dict(pending, time=time.time(), redirect=redirect)
        return _redirect('/web/login/password' if pending['next'] == 'password_expired'
                         else '/web/login/verify')

    def _pharmacy_pending(self, steps):
        pending = request.session.get(PENDING)
        if (not pending or pending.get('next') not in steps
                or pending['time'] < time.time() - PENDING_SECONDS):
            request.session.pop(PENDING, None)
            return None
        return pending

    def _pharmacy_done(self, uid, pending):
        request.session.pop(PENDING, None)
        request.params['login_success'] = True
        return self._login_redirect(uid, redirect=pending.get('redirect'))

    # as Odoo's login page: public, and in the website's layout when it is installed
    @http.route('/web/login/verify', type='http', auth='public', methods=['GET', 'POST'],
                website=True, sitemap=False)
    def web_login_verify(self, code=None, **kw):
        """The second step: a code of the authenticator app or a recovery code; for a user
        who must use two factors and has none yet, the QR code to set it up first."""
        pending = self._pharmacy_pending(('second_factor', 'enrol'))
        if not pending:
            return _redirect('/web/login')
        enrol = pending['next'] == 'enrol'
        if enrol and not pending.get('secret'):
            pending['secret'] = new_totp_secret()
            request.session[PENDING] = pending
        values = {'login': pending['login'], 'enrol': enrol}
        if request.httprequest.method == 'POST' and code:
            request.pharmacy_login_mode = 'second_factor'
            old_uid = request.uid
            uid = request.session.authenticate(request.session.db, pending['login'], code)
            if not uid:
                request.uid = old_uid    # the page is rendered for the public user again
            else:
                codes = getattr(request, 'pharmacy_new_recovery_codes', None)
                target = self._pharmacy_done(uid, pending)
                if codes:
                    return _login_page('pharmacy_crm_security.login_recovery_codes',
                                       {'codes': codes, 'target': target})
                return http.redirect_with_hash(target)
            values['error'] = _('Wrong code: type the six digits your authenticator app '
                                'shows now, or one of your recovery codes.')
        if enrol:
            registry = odoo.registry(request.session.db)
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, SUPERUSER_ID, {})
                issuer = env['res.users'].browse(pending['uid']).company_id.name
                uri = provisioning_uri(pending['secret'], pending['login'],
                                       issuer or 'Pharmacy CRM')
                values.update(secret=pending['secret'], qr_code=qr_code_img(uri))
        return _login_page('pharmacy_crm_security.login_second_factor', values)

    @http.route('/web/login/password', type='http', auth='public', methods=['GET', 'POST'],
                website=True, sitemap=False)
    def web_login_password(self, password=None, confirm=None, **kw):
        """A password past its expiry: a new one, then the login goes on (to the second step
        when the user must use two factors)."""
        pending = self._pharmacy_pending(('password_expired',))
        if not pending:
            return _redirect('/web/login')
        values = {'login': pending['login']}
        if request.httprequest.method == 'POST':
            if not password or password != confirm:
                values['error'] = _('Type the same new password twice.')
            else:
                error = self._pharmacy_change_password(pending['uid'], password)
                if error:
                    values['error'] = error
                else:
                    request.session.pop(PENDING, None)
                    request.pharmacy_login_mode = 'login'
                    old_uid = request.uid
                    uid = request.session.authenticate(request.session.db, pending['login'],
                                                       password)
                    request.uid = uid or old_uid
                    if uid:
                        return http.redirect_with_hash(self._pharmacy_done(uid, pending))
                    following = getattr(request, 'pharmacy_login_pending', None)
                    if following:
                        request.session[PENDING] = dict(following, time=time.time(),
                                                        redirect=pending.get('redirect'))
                        return _redirect('/web/login/verify')
                    return _redirect('/web/login')
        return _login_page('pharmacy_crm_security.login_password_expired', values)

    def _pharmacy_change_password(self, uid, password):
        """The new password, under the password rules (its user's own change, whose old
        password was checked a moment ago); an error message or None."""
        registry = odoo.registry(request.session.db)
        try:
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, uid, {})
                env.user.sudo().write({'password': password})
        except UserError as error:
            return error.name
        return None


class PharmacySecurity(http.Controller):

    @http.route('/pharmacy_security/activity', type='json', auth='user')
    def activity(self):
        """The user is at the screen (typing a form, moving the mouse) although the web client
        made no request: an authenticated request is activity for auth_session_timeout."""
        return True

    @http.route('/pharmacy_security/switch_user', type='json', auth='none')
    def switch_user(self, login, password, code=None):
        """The next person at the terminal signs in over the current screen. Their login and
        password, or their switch PIN (and the code of their authenticator app when they must
        use two factors) are checked as at the login page (failed logins count towards the
        lockout and go to the access log); then the previous user's session ends and a NEW
        session (a new session id) starts for them: nothing they do is recorded under the
        previous user. Returns {'uid': ...}, or {'error': message, 'code': True when a code
        is needed} with the previous session untouched."""
        db = request.session.db or request.db
        if not db or not login or not password:
            return {'error': _('Type your login and password or PIN.')}
        environ = request.httprequest.environ
        request.pharmacy_login_mode = 'switch'
        request.pharmacy_switch_code = code
        uid = exp_authenticate(db, login, password, {
            'base_location': request.httprequest.url_root.rstrip('/'),
            'HTTP_HOST': environ.get('HTTP_HOST'), 'REMOTE_ADDR': environ.get('REMOTE_ADDR')})
        if not uid:
            if getattr(request, 'pharmacy_switch_needs_code', False):
                return {'error': _('Type the code of your authenticator app (or a recovery '
                                   'code) too.') if not code else _('Wrong code.'),
                        'code': True}
            return {'error': _('Wrong login or password (or PIN).')}
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
