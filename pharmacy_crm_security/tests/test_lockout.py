# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Lockout after failed logins: per address and per login, in a window, reset by a success;
the lock's access log entry and the managers' activity; no geolocation."""
from unittest import mock

from odoo import SUPERUSER_ID, api
from odoo.tests.common import HttpCase, at_install, post_install
from odoo.tools import mute_logger

from ..tools.lockout import failures_since_success

ATTEMPT = 'odoo.addons.pharmacy_crm_security.models.res_authentication_attempt'


@at_install(False)
@post_install(True)
class TestLockout(HttpCase):
    """HttpCase for its test cursor: the lock is reported in a cursor of its own, which in
    test mode is this same test cursor (rolled back at the end)."""

    def setUp(self):
        super().setUp()
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, {})
        self.Attempt = self.env['res.authentication.attempt']
        self.Attempt.search([]).unlink()
        self.env['pharmacy.setting'].set('lockout_attempts', 3)

    def _attempts(self, remote, login, results, minutes_ago=0):
        for result in results:
            attempt = self.Attempt.create({'remote': remote, 'login': login, 'result': result})
            self.env.cr.execute(
                "UPDATE res_authentication_attempt SET create_date = "
                "(now() AT TIME ZONE 'UTC') - interval '1 minute' * %s WHERE id = %s",
                [minutes_ago, attempt.id])

    def test_failures_since_success(self):
        self.assertEqual(failures_since_success([]), 0)
        self.assertEqual(failures_since_success(['failed', 'successful', 'failed', 'banned',
                                                 False]), 2)

    def _locks(self):
        return self.env['pharmacy.access.log'].search([('event', '=', 'login_locked')])

    @mute_logger(ATTEMPT)
    def test_lock_by_address_and_by_login(self):
        self._attempts('10.0.0.1', 'demo', ['failed', 'failed'])
        self.assertTrue(self.Attempt._trusted('10.0.0.1', 'demo'))
        self.assertFalse(self._locks())
        self._attempts('10.0.0.1', 'demo', ['failed'])
        self.assertFalse(self.Attempt._trusted('10.0.0.1', 'demo'))
        # the lock is reported: an access log entry, an activity for each pharmacy manager
        log = self._locks()
        self.assertEqual([(entry.login, entry.ip, entry.user_id.login) for entry in log],
                         [('demo', '10.0.0.1', 'demo')])
        activities = self.env['mail.activity'].search([('summary', '=', 'Login locked: demo')])
        managers = self.env.ref('pharmacy_crm.group_pharmacy_manager').users
        self.assertTrue(activities)
        self.assertEqual(activities.mapped('user_id'), managers)
        self.assertIn('3 failed logins from 10.0.0.1', activities[0].note)
        # that refusal is recorded as 'banned' (auth_brute_force): not reported again
        self._attempts('10.0.0.1', 'demo', ['banned'])
        self.assertFalse(self.Attempt._trusted('10.0.0.1', 'demo'))
        self.assertFalse(self.Attempt._trusted('10.0.0.2', 'demo'))     # the login, anywhere
        self.assertFalse(self.Attempt._trusted('10.0.0.1', 'admin'))    # the address
        self.assertTrue(self.Attempt._trusted('10.0.0.2', 'admin'))
        self.assertEqual(self._locks(), log)

    def test_success_and_time_unlock(self):
        self._attempts('10.0.0.3', 'demo', ['failed', 'failed', 'successful', 'failed'])
        self.assertTrue(self.Attempt._trusted('10.0.0.3', 'demo'))
        # three failures 16 minutes ago: past the 15-minute lockout
        self._attempts('10.0.0.4', 'admin', ['failed'] * 3, minutes_ago=16)
        self.assertTrue(self.Attempt._trusted('10.0.0.4', 'admin'))

    def test_no_geolocation(self):
        self._attempts('203.0.113.9', 'demo', ['failed'])
        with mock.patch('odoo.addons.auth_brute_force.models.res_authentication_attempt'
                        '.urlopen') as urlopen:
            self.assertFalse(self.Attempt.search([('remote', '=', '203.0.113.9')])
                             .remote_metadata)
        urlopen.assert_not_called()

    def test_attempts_read_by_administrators_only(self):
        demo = self.env.ref('base.user_demo')
        self.assertFalse(self.Attempt.sudo(demo).check_access_rights('read', False))
        self.assertTrue(self.Attempt.check_access_rights('read', False))
