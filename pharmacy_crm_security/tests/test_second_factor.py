# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Two factors and API keys where every RPC login passes (check_credentials, no web request):
who must use them, the password refused, a key accepted until revoked; recovery codes used
once, a TOTP code not replayed; the switch PIN stored hashed; the logoff delay per group."""
import time

import pyotp

from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.tests.common import SavepointCase

from ..tools.second_factor import (api_key_index, normalize_recovery_code, totp_step,
                                   valid_pin)

SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'


class TestSecondFactor(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Users = cls.env['res.users'].with_context(no_reset_password=True)
        cls.manager = Users.create({
            'name': 'Max Factor', 'login': 'max.factor', 'password': 'Manager-Pass-2026',
            'groups_id': [(6, 0, [cls.env.ref('pharmacy_crm.group_pharmacy_manager').id])]})
        cls.tech = Users.create({
            'name': 'Tia Factor', 'login': 'tia.factor', 'password': 'Counter-Pass-2026',
            'groups_id': [(6, 0, [cls.env.ref('pharmacy_crm.group_pharmacy_technician').id])]})
        cls.Setting = cls.env['pharmacy.setting']

    def _login(self, user, credential):
        """As XML-RPC and JSON-RPC check a credential (no web request)."""
        return self.env['res.users'].sudo(user).check_credentials(credential)

    def test_tools(self):
        # the code of step 2 (unix time 60-89), checked at unix time 95 (step 3): within one
        # step, accepted; replayed after step 2 was used, refused; two steps away, refused
        code = pyotp.TOTP(SECRET).at(60)
        self.assertEqual(totp_step(SECRET, code, 95), 2)
        self.assertIsNone(totp_step(SECRET, code, 95, last_step=2))
        self.assertIsNone(totp_step(SECRET, code, 125))
        self.assertIsNone(totp_step(SECRET, 'abcdef', 95))
        self.assertEqual(normalize_recovery_code(' abcde-fghij '), 'ABCDEFGHIJ')
        self.assertIsNone(api_key_index('phk_short_key'))
        self.assertEqual([valid_pin(pin) for pin in ('1234', '123', '12a4', '123456789')],
                         [True, False, False, False])

    def test_who_must_use_two_factors(self):
        # 1 (the default without demo data): managers; the password alone is refused over RPC
        self.Setting.set('two_factor_required', 1)
        self.assertTrue(self.manager.pharmacy_two_factor_required)
        with self.assertRaises(AccessDenied):
            self._login(self.manager, 'Manager-Pass-2026')
        self._login(self.tech, 'Counter-Pass-2026')
        self.Setting.set('two_factor_required', 2)
        with self.assertRaises(AccessDenied):
            self._login(self.tech, 'Counter-Pass-2026')
        self.Setting.set('two_factor_required', 0)
        self._login(self.manager, 'Manager-Pass-2026')
        # a user who turned it on must use it, whatever the setting
        self.tech._pharmacy_set_totp(SECRET)
        self.tech.invalidate_cache()
        self.assertTrue(self.tech.pharmacy_two_factor_required)
        with self.assertRaises(AccessDenied):
            self._login(self.tech, 'Counter-Pass-2026')

    def test_api_key(self):
        self.Setting.set('two_factor_required', 1)
        wizard = self.env['pharmacy.api.key.new'].sudo(self.manager).create(
            {'name': 'Nightly dispensing import'})
        wizard.action_generate()
        key = wizard.key
        self.assertTrue(api_key_index(key))
        self._login(self.manager, key)
        with self.assertRaises(AccessDenied):
            self._login(self.tech, key)      # another user's key
        # stored hashed, in no field; its name is its user's alone
        self.env.cr.execute("SELECT key_hash FROM pharmacy_api_key WHERE user_id = %s",
                            [self.manager.id])
        self.assertNotIn(key, self.env.cr.fetchone()[0])
        Key = self.env['pharmacy.api.key']
        self.assertEqual(Key.sudo(self.manager).search([]).mapped('name'),
                         ['Nightly dispensing import'])
        self.assertFalse(Key.sudo(self.tech).search([]))
        record = Key.sudo(self.manager).search([])
        with self.assertRaises(AccessError):
            record.sudo(self.tech).action_revoke()
        with self.assertRaises(AccessError):
            record.sudo(self.manager).write({'user_id': self.tech.id})
        self.assertTrue(record.sudo(self.manager).action_revoke())
        with self.assertRaises(AccessDenied):
            self._login(self.manager, key)

    def test_setup_recovery_codes_and_replay(self):
        wizard = self.env['pharmacy.totp.setup'].sudo(self.tech).create({})
        self.assertTrue(wizard.qr_code)
        wizard.write({'code': '000000'})
        with self.assertRaisesRegex(UserError, 'does not match'):
            wizard.action_confirm()
        wizard.write({'code': pyotp.TOTP(wizard.secret).now()})
        wizard.action_confirm()
        codes = wizard.recovery_codes.split('\n')
        self.assertEqual((wizard.state, wizard.secret, len(codes)), ('codes', False, 10))
        self.assertEqual(self.tech.pharmacy_recovery_codes_left, 10)
        # the code that set it up is used: not again
        self.assertFalse(self.tech._pharmacy_verify_code(pyotp.TOTP(SECRET).now()))
        self.assertTrue(self.tech._pharmacy_verify_code(codes[0].lower()))
        self.assertFalse(self.tech._pharmacy_verify_code(codes[0]))
        self.tech.invalidate_cache()
        self.assertEqual(self.tech.pharmacy_recovery_codes_left, 9)
        # a code of the app, once
        self.tech._pharmacy_set_totp(SECRET, step=int(time.time() // 30) - 2)
        code = pyotp.TOTP(SECRET).now()
        self.assertTrue(self.tech._pharmacy_verify_code(code))
        self.assertFalse(self.tech._pharmacy_verify_code(code))
        # only the user themself sets up their factors
        with self.assertRaises(AccessError):
            self.tech.sudo(self.manager).action_pharmacy_totp_setup()

    def test_pin_and_group_logoff(self):
        wizard = self.env['pharmacy.pin.setup'].sudo(self.tech).create(
            {'pin': '4821', 'pin_confirm': '4821'})
        wizard.action_save()
        self.env.cr.execute("SELECT pin_crypt FROM pharmacy_user_second_factor "
                            "WHERE user_id = %s", [self.tech.id])
        self.assertNotIn('4821', self.env.cr.fetchone()[0])
        self.assertTrue(self.tech._pharmacy_pin_matches('4821'))
        self.assertFalse(self.tech._pharmacy_pin_matches('4822'))
        with self.assertRaises(AccessDenied):
            self._login(self.tech, '4821')   # a PIN is for the quick switch only
        # the shortest delay that applies wins: 15 minutes for the pharmacy, 10 for the
        # technicians (managers are technicians too), 5 for the managers, 30 for all
        # employees (longer: no effect); a group's 0 is none
        self.Setting.set('idle_logoff_minutes', 15)
        self.assertEqual(self.tech._pharmacy_idle_logoff_seconds(), 900)
        self.env.ref('pharmacy_crm.group_pharmacy_technician').pharmacy_idle_logoff_minutes = 10
        self.env.ref('pharmacy_crm.group_pharmacy_manager').pharmacy_idle_logoff_minutes = 5
        self.env.ref('base.group_user').pharmacy_idle_logoff_minutes = 30
        self.assertEqual(self.tech._pharmacy_idle_logoff_seconds(), 600)
        self.assertEqual(self.manager._pharmacy_idle_logoff_seconds(), 300)
