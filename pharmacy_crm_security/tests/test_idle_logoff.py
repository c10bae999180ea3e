# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Automatic logoff: the setting drives auth_session_timeout; an idle session is closed, polling
is no activity, a new visitor's public page opens; nothing a logged-in user loads is cached."""
import os
import time

import requests

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tests.common import HttpCase, PORT, at_install, get_db_name, post_install

from ..models.pharmacy_setting import DELAY_KEY


@at_install(False)
@post_install(True)
class TestIdleLogoff(HttpCase):

    def setUp(self):
        # last (after the test cursor's rollback): no cached delay of this test stays
        self.addCleanup(lambda: odoo.registry(get_db_name()).clear_caches())
        super().setUp()
        # what the served requests see: the test cursor (self.env has a transaction of its own)
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, {})
        self.env['pharmacy.setting'].set('idle_logoff_minutes', 2)
        self.base = 'http://127.0.0.1:%d' % PORT

    def _session_file(self):
        return odoo.http.root.session_store.get_session_filename(self.session_id)

    def _age_session(self, seconds):
        """The user's last activity was ``seconds`` ago."""
        then = time.time() - seconds
        os.utime(self._session_file(), (then, then))
        return then

    def test_setting_drives_the_delay(self):
        Param = self.env['ir.config_parameter'].sudo()
        self.assertEqual(Param.get_param(DELAY_KEY), '120')
        self.env['pharmacy.setting'].set('idle_logoff_minutes', 0.25)
        self.assertEqual(Param.get_param(DELAY_KEY), '15')
        self.assertEqual(Param._auth_timeout_get_parameter_delay(), 15)
        for path in ('/longpolling/poll', '/calendar/notify'):
            self.assertIn(path, Param.get_param('inactive_session_time_out_ignored_url'))

    def _call(self, path):
        payload = {'jsonrpc': '2.0', 'method': 'call', 'id': 1, 'params': {}}
        return self.opener.post(self.base + path, json=payload, timeout=60)

    def test_idle_session_goes_to_the_login_page(self):
        self.authenticate('demo', 'demo')
        response = self._call('/pharmacy_security/activity')
        self.assertEqual(response.json()['result'], True)
        self.assertEqual(response.headers.get('Cache-Control'), 'no-store')
        # the web client learns the delay (seconds)
        info = self._call('/web/session/get_session_info').json()['result']
        self.assertEqual(info['pharmacy_idle_logoff_seconds'], 120)
        # active 100 s ago: still in; 125 s ago: past the 2 minutes, even for the web
        # client's page (auth='none', which auth_session_timeout does not check)
        self._age_session(100)
        self.assertEqual(self._call('/pharmacy_security/activity').json()['result'], True)
        self._age_session(125)
        response = self.opener.get(self.base + '/web', allow_redirects=False, timeout=60)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn('/web/login', response.headers['Location'])
        self.assertFalse(odoo.http.root.session_store.get(self.session_id).uid)
        error = self._call('/pharmacy_security/activity').json()['error']
        self.assertEqual(error['data']['name'], 'odoo.http.SessionExpiredException')

    def test_polling_is_no_activity_a_click_is(self):
        self.authenticate('demo', 'demo')
        payload = {'jsonrpc': '2.0', 'method': 'call', 'id': 1,
                   'params': {'channels': [], 'last': 0}}
        # a session's first requests store what the website's routing keeps in it (e.g. the
        # visitor's geolocation), which rewrites the session file: the web client's first
        # calls after the login; then the steady state, which is what is measured
        self._call('/pharmacy_security/activity')
        self.opener.post(self.base + '/longpolling/poll', json=payload, timeout=60)
        then = self._age_session(60)
        self.opener.post(self.base + '/longpolling/poll', json=payload, timeout=60)
        self.assertAlmostEqual(os.path.getmtime(self._session_file()), then, delta=1)
        self.opener.post(self.base + '/pharmacy_security/activity',
                         json=dict(payload, params={}), timeout=60)
        self.assertGreater(os.path.getmtime(self._session_file()), time.time() - 5)

    def test_new_visitor_opens_a_public_page(self):
        """A patient's first visit (no session yet) to a public link: no login page, no
        error (auth_session_timeout alone redirects and logs a traceback)."""
        with self.assertNoLogs('odoo', level='ERROR'):
            response = requests.get(self.base + '/web/image/res.company/1/logo',
                                    allow_redirects=False, timeout=60)
        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(response.headers.get('Cache-Control'), 'no-store')
