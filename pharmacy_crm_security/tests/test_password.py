# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Password rules of pharmacy staff: length, kinds of characters, no reuse, expiry."""
from odoo.exceptions import AccessDenied, UserError
from odoo.tests.common import SavepointCase

from ..tools.password import character_classes, password_problems


class TestPassword(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tech = cls.env['res.users'].create({
            'name': 'Pat Rules', 'login': 'pat.rules', 'password': 'Counter-Start-1',
            'groups_id': [(6, 0, [cls.env.ref('pharmacy_crm.group_pharmacy_technician').id])]})
        cls.office = cls.env['res.users'].create({
            'name': 'Office Rules', 'login': 'office.rules',
            'groups_id': [(6, 0, [cls.env.ref('base.group_user').id])]})

    def test_rules(self):
        self.assertEqual(character_classes('aB3 '), ['lowercase letters', 'uppercase letters',
                                                     'digits', 'symbols'])
        self.assertEqual(password_problems('Counter-2026', 12, 3), [])
        # 11 characters: one missing; lowercase and digits only: 2 kinds of 3
        self.assertEqual(password_problems('counter2026', 12, 3), [
            ('length', 1), ('classes', ['uppercase letters', 'symbols'])])
        self.assertEqual(password_problems('a long phrase at the counter', 12, 2), [])

    def test_staff_password_follows_the_rules(self):
        with self.assertRaisesRegex(UserError, 'at least 12 characters'):
            self.tech.write({'password': 'short-1A'})
        with self.assertRaisesRegex(UserError, 'at least 3 of these kinds'):
            self.tech.write({'password': 'onlylowercaseletters'})
        self.tech.write({'password': 'Refill-Sync-2026'})
        # other users: Odoo's own behaviour
        self.office.write({'password': 'office'})

    def test_no_reuse_of_the_last_passwords(self):
        self.env['pharmacy.setting'].set('password_history', 2)
        self.tech.write({'password': 'Second-Pass-22'})
        self.tech.write({'password': 'Third-Pass-333'})
        for old in ('Second-Pass-22', 'Third-Pass-333'):
            with self.assertRaisesRegex(UserError, 'last 2 passwords'):
                self.tech.write({'password': old})
        self.tech.write({'password': 'Counter-Start-1'})    # third from last: allowed

    def test_expiry(self):
        self.env.cr.execute("UPDATE pharmacy_password_history SET create_date = "
                            "create_date - interval '91 days' WHERE user_id = %s",
                            [self.tech.id])
        self.tech.sudo(self.tech).check_credentials('Counter-Start-1')    # off by default
        self.env['pharmacy.setting'].set('password_expiry_days', 90)
        with self.assertRaises(AccessDenied):
            self.tech.sudo(self.tech).check_credentials('Counter-Start-1')
        self.tech.write({'password': 'Brand-New-2026'})
        self.tech.sudo(self.tech).check_credentials('Brand-New-2026')
