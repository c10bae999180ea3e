# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The web login's steps over HTTP: the second factor set up at the first login then asked
(a recovery code works once), an expired password changed at the login, the quick switch with
a PIN recorded under the second user, a group's shorter logoff."""
import os
import re
import time

import pyotp
import requests

import odoo
from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessDenied
from odoo.tests.common import HttpCase, PORT, at_install, post_install
from odoo.tools import mute_logger

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SECRET = re.compile(r'o_pharmacy_totp_secret">([A-Z2-7]+)<')


@at_install(False)
@post_install(True)
class TestLoginSteps(HttpCase):

    @classmethod
    def setUpClass(cls):
        """The login pages' style sheets are generated once, as a served database does, and
        kept (outside the tests' rolled-back transaction): else each test compiles them again
        (10 s)."""
        super().setUpClass()
        requests.get('http://127.0.0.1:%d/web/login' % PORT, timeout=120)

    def setUp(self):
        super().setUp()
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, {})
        self.base = 'http://127.0.0.1:%d' % PORT
        Users = self.env['res.users'].with_context(no_reset_password=True)
        self.manager = Users.create({
            'name': 'Max Steps', 'login': 'max.steps', 'password': 'Manager-Pass-2026',
            'groups_id': [(6, 0, [self.env.ref('pharmacy_crm.group_pharmacy_manager').id])]})
        self.env['pharmacy.setting'].set('two_factor_required', 1)
        self._use_session(self.session_id)

    def _use_session(self, sid):
        """The session cookie as the server sets it (HttpCase sets one for no domain, which the
        server's new session after a login would not replace)."""
        self.opener.cookies.clear()
        self.opener.cookies.set('session_id', sid, domain='127.0.0.1', path='/')

    def _checkpoint(self):
        """Keep what the test wrote so far (its users, settings) for the requests that follow.

        The served requests share the test's cursor, whose commit is a savepoint and whose
        rollback goes back to the last one. A website route (``/web/login`` once website is
        installed, ``/web/login/verify``) opens the request's cursor before its controller
        (languages, the website) and Odoo rolls it back just before calling the controller
        (``checked_call``): without this savepoint the user created in ``setUp`` vanished
        and the right password got "Wrong login/password". Everything is still rolled back
        when the test ends."""
        with self.registry.cursor():
            pass

    def _get(self, path, **kw):
        self._checkpoint()
        return self.opener.get(self.base + path, timeout=60, **kw)

    def _post(self, path, **data):
        page = self._get(path)
        data['csrf_token'] = CSRF.search(page.text).group(1)
        return self.opener.post(self.base + path, data=data, allow_redirects=False,
                                timeout=60)

    def _uid(self):
        return odoo.http.root.session_store.get(
            self.opener.cookies.get('session_id', domain='127.0.0.1')).uid

    def _access_log(self, event):
        return self.env['pharmacy.access.log'].search([('event', '=', event),
                                                       ('user_id', '=', self.manager.id)])

    @mute_logger('odoo.addons.pharmacy_crm_security.models.res_authentication_attempt')
    def test_second_factor_at_the_web_login(self):
        response = self._post('/web/login', login='max.steps', password='Manager-Pass-2026')
        self.assertTrue(response.headers['Location'].endswith('/web/login/verify'))
        self.assertFalse(self._uid())
        # no second factor yet: set it up now (QR code and key), a wrong code refused
        page = self._get('/web/login/verify').text
        self.assertIn('o_pharmacy_totp_qr', page)
        secret = SECRET.search(page).group(1)
        response = self._post('/web/login/verify', code='000000')
        self.assertIn('Wrong code', response.text)
        self.assertFalse(self._uid())
        response = self._post('/web/login/verify', code=pyotp.TOTP(secret).now())
        codes = re.findall(r'\b[A-Z2-7]{5}-[A-Z2-7]{5}\b', response.text)
        self.assertEqual(len(codes), 10)
        self.assertEqual(self._uid(), self.manager.id)
        # the right password was no failed login; the wrong code was
        self.assertEqual(len(self._access_log('login_failed')), 1)
        # next time: password, then a recovery code, once
        for code, uid in ((codes[0], self.manager.id), (codes[0], False)):
            self._get('/web/session/logout')
            self._post('/web/login', login='max.steps', password='Manager-Pass-2026')
            self._post('/web/login/verify', code=code)
            self.assertEqual(self._uid(), uid)
        # logged in, they confirm their old password alone to change it (Odoo's dialog)
        Users = self.env['res.users'].sudo(self.manager)
        self.assertTrue(Users.change_password('Manager-Pass-2026', 'Manager-Pass-2027'))
        with self.assertRaises(AccessDenied):
            Users.change_password('wrong', 'Manager-Pass-2028')

    def test_expired_password_is_changed_at_the_login(self):
        self.env['pharmacy.setting'].set('two_factor_required', 0)
        self.env['pharmacy.setting'].set('password_expiry_days', 90)
        self.env.cr.execute("UPDATE pharmacy_password_history SET create_date = "
                            "create_date - interval '91 days' WHERE user_id = %s",
                            [self.manager.id])
        response = self._post('/web/login', login='max.steps', password='Manager-Pass-2026')
        self.assertTrue(response.headers['Location'].endswith('/web/login/password'))
        response = self._post('/web/login/password', password='short', confirm='short')
        self.assertIn('at least 12 characters', response.text)
        self.assertFalse(self._uid())
        self._post('/web/login/password', password='Brand-New-Pass-27',
                   confirm='Brand-New-Pass-27')
        self.assertEqual(self._uid(), self.manager.id)

    def _switch(self, login, password):
        payload = {'jsonrpc': '2.0', 'method': 'call', 'id': 1,
                   'params': {'login': login, 'password': password}}
        self._checkpoint()
        return self.opener.post(self.base + '/pharmacy_security/switch_user', json=payload,
                                timeout=60).json()['result']

    @mute_logger('odoo.addons.pharmacy_crm_security.models.res_authentication_attempt')
    def test_pin_switch_and_group_logoff(self):
        tech = self.env.ref('base.user_demo')
        pharmacist = self.env['res.users'].with_context(no_reset_password=True).create({
            'name': 'Pia Pin', 'login': 'pia.pin', 'password': 'Pharma-Pass-2026',
            'groups_id': [(6, 0, [self.env.ref('pharmacy_crm.group_pharmacy_pharmacist').id])]})
        pharmacist._pharmacy_set_pin('4821')
        self.authenticate('demo', 'demo')
        self._use_session(self.session_id)
        self.assertIn('error', self._switch('pia.pin', '4822'))
        self.assertEqual(self._switch('pia.pin', '4821'), {'uid': pharmacist.id})
        self.assertEqual(self._uid(), pharmacist.id)
        [entry] = self.env['pharmacy.access.log'].search([('event', '=', 'user_switch'),
                                                          ('user_id', '=', pharmacist.id)])
        self.assertEqual(entry.record_name, tech.login)
        self.assertTrue(self.env['pharmacy.access.log'].search([
            ('event', '=', 'login_failed'), ('user_id', '=', pharmacist.id)]))
        # the pharmacists' shorter delay (1 minute; the pharmacy's: 15): idle 70 s, logged off
        self.env['pharmacy.setting'].set('idle_logoff_minutes', 15)
        self.env.ref('pharmacy_crm.group_pharmacy_pharmacist').pharmacy_idle_logoff_minutes = 1
        path = odoo.http.root.session_store.get_session_filename(
            self.opener.cookies.get('session_id', domain='127.0.0.1'))
        then = time.time() - 70
        os.utime(path, (then, then))
        response = self._get('/web', allow_redirects=False)
        self.assertIn('/web/login', response.headers['Location'])
