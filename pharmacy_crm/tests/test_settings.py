# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The pharmacy settings: who saves them, what a bad value says, and the refill threshold's
effect on the stored refill-too-soon dates (set-based UPDATE) and on new fills (ORM)."""
from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import PharmacyCase

KEY = 'pharmacy_crm.refill_threshold'


class TestSettings(PharmacyCase):

    def _threshold(self):
        """The parameter as stored (not Odoo's cache)."""
        self.env.cr.execute('SELECT value FROM ir_config_parameter WHERE key = %s', [KEY])
        return self.env.cr.fetchone()[0]

    def _save(self, user, **values):
        settings = self.env['res.config.settings'].sudo(user).create(values)
        return settings.execute()

    def _dates(self, prescriptions):
        prescriptions.invalidate_cache()    # what is stored, not the cache
        return [rx.refill_eligible_date for rx in prescriptions]

    def test_the_demo_threshold_is_0_8(self):
        self.assertEqual(self._threshold(), '0.8')
        settings = self.env['res.config.settings'].sudo(self.manager).create({})
        self.assertEqual(settings.pharmacy_refill_threshold, 0.8)

    def test_a_manager_saves_a_new_threshold_and_every_date_follows(self):
        self.assertFalse(self.manager.has_group('base.group_system'))
        rx = {days: self._prescription(days_supply=days, date_written='2024-02-01')
              for days in (1, 7, 30, 90)}
        for days, prescription in rx.items():
            self._fill(prescription, '2024-03-01', days_supply=days)
        # by hand, threshold 0.8: ceil(0.8) = 1, ceil(5.6) = 6, 24, 72 days after March 1st
        ordered = rx[1] | rx[7] | rx[30] | rx[90]
        self.assertEqual(self._dates(ordered),
                         ['2024-03-02', '2024-03-07', '2024-03-25', '2024-05-12'])
        held = self._prescription(date_written='2024-02-01')
        self._fill(held, '2024-03-01')
        held.action_hold()
        unfilled = self._prescription(date_written='2024-02-01')

        action = self._save(self.manager, pharmacy_refill_threshold=0.75)

        self.assertEqual(action, {'type': 'ir.actions.client', 'tag': 'reload'})
        self.assertEqual(self._threshold(), '0.75')
        # ceil(0.75) = 1, ceil(5.25) = 6, ceil(22.5) = 23, ceil(67.5) = 68 days after March 1st
        self.assertEqual(self._dates(ordered),
                         ['2024-03-02', '2024-03-07', '2024-03-24', '2024-05-08'])
        self.assertEqual(rx[30].next_due_date, '2024-03-31')     # not the threshold's business
        self.assertEqual(self._dates(held | unfilled), [False, False])
        # the ORM computes what the UPDATE stored, and a new fill uses the new threshold
        held.action_resume()
        self.assertEqual(held.refill_eligible_date, '2024-03-24')
        self._fill(rx[30], '2024-03-25', days_supply=14)          # ceil(10.5) = 11
        self.assertEqual(self._dates(rx[30]), ['2024-04-05'])
        self.assertEqual(rx[30].last_fill_days_supply, 14)
        # the form shows the saved value
        settings = self.env['res.config.settings'].sudo(self.manager).create({})
        self.assertEqual(settings.pharmacy_refill_threshold, 0.75)

    def test_the_update_matches_the_orm_with_a_returned_fill(self):
        rx = self._prescription(date_written='2024-02-01')
        self._fill(rx, '2024-03-01', days_supply=30)
        self._fill(rx, '2024-03-20', days_supply=10,
                   early_refill_reason='other').action_return_to_stock()
        self.assertEqual((rx.last_fill_date, rx.last_fill_days_supply), ('2024-03-01', 30))
        self._save(self.manager, pharmacy_refill_threshold=0.85)
        self.assertEqual(self._dates(rx), ['2024-03-27'])           # ceil(25.5) = 26

    def test_an_unchanged_threshold_writes_nothing(self):
        self.env.cr.execute('SELECT write_date FROM ir_config_parameter WHERE key = %s', [KEY])
        written = self.env.cr.fetchone()[0]
        self._save(self.manager, pharmacy_refill_threshold=0.8)
        self.env.cr.execute('SELECT write_date FROM ir_config_parameter WHERE key = %s', [KEY])
        self.assertEqual(self.env.cr.fetchone()[0], written)

    def test_technicians_and_pharmacists_cannot_save(self):
        rx = self._prescription(date_written='2024-02-01')
        self._fill(rx, '2024-03-01')
        for user in (self.technician, self.pharmacist):
            settings = self.env['res.config.settings'].sudo(user).create(
                {'pharmacy_refill_threshold': 0.7})
            with self.assertRaises(AccessError) as err:
                settings.execute()
            self.assertIn('Only pharmacy managers and administrators can change the settings',
                          err.exception.name)
            for method in (settings.set_values, settings._set_pharmacy_values):
                with self.assertRaises(AccessError):
                    method()
        self.assertEqual(self._threshold(), '0.8')
        self.assertEqual(self._dates(rx), ['2024-03-25'])

    def test_others_cannot_even_open_the_settings(self):
        for user in (self.internal_user, self.portal_user):
            with self.assertRaises(AccessError):
                self.env['res.config.settings'].sudo(user).create(
                    {'pharmacy_refill_threshold': 0.7})
        self.assertEqual(self._threshold(), '0.8')

    def test_a_manager_changes_no_other_setting(self):
        group_user = self.env.ref('base.group_user')
        implied = group_user.implied_ids
        with self.assertRaises(AccessError) as err:
            self._save(self.manager, pharmacy_refill_threshold=0.7, group_multi_company=True)
        self.assertIn('A pharmacy manager changes only the Pharmacy settings. Ask an '
                      'administrator to change: Manage multiple companies.', err.exception.name)
        self.assertEqual(self._threshold(), '0.8')
        self.assertEqual(group_user.implied_ids, implied)
        with self.assertRaises(AccessError):   # the settings of Odoo apply for administrators
            self.env['res.config.settings'].sudo(self.manager).create({}).set_values()

    def test_an_administrator_saves_the_threshold_in_settings(self):
        sysadmin = self._user('sysadmin', self.env.ref('base.group_system'))
        self.assertFalse(sysadmin.has_group('pharmacy_crm.group_pharmacy_technician'))
        self._save(sysadmin, pharmacy_refill_threshold=0.9)
        self.assertEqual(self._threshold(), '0.9')

    def test_a_bad_threshold_names_the_field_and_the_range(self):
        for wrong in (0, 1.5, -0.2):
            with self.assertRaises(ValidationError) as err:
                self._save(self.manager, pharmacy_refill_threshold=wrong)
            self.assertIn('Refill Threshold must be more than 0 and at most 1', err.exception.name)
            self.assertIn('(got %s)' % float(wrong), err.exception.name)
        with self.assertRaises(ValidationError):    # any caller, not only the form
            self.env['pharmacy.setting'].set('refill_threshold', 1.01)
        self.assertEqual(self._threshold(), '0.8')

    def test_a_threshold_written_by_hand_is_refused_at_the_next_fill(self):
        self.env.cr.execute("UPDATE ir_config_parameter SET value = 'eighty' WHERE key = %s",
                            [KEY])
        rx = self._prescription(date_written='2024-02-01')
        with self.assertRaises(UserError) as err:
            self._fill(rx, '2024-03-01')
        self.assertEqual(
            err.exception.name, 'The system parameter pharmacy_crm.refill_threshold holds '
            '"eighty": Refill Threshold must be more than 0 and at most 1, with at most 2 '
            'decimals (got "eighty"). Set Refill Threshold in Pharmacy > Configuration > '
            'Settings.')

    def test_the_pharmacy_block_is_in_settings_and_alone_in_the_managers_form(self):
        Settings = self.env['res.config.settings']
        general = Settings.fields_view_get(view_type='form')
        self.assertEqual(general['view_id'], self.env.ref('base.res_config_settings_view_form').id)
        self.assertIn('data-key="pharmacy_crm"', general['arch'])
        self.assertIn('pharmacy_refill_threshold', general['fields'])
        action = self.env.ref('pharmacy_crm.res_config_settings_action')
        own = Settings.sudo(self.manager).fields_view_get(view_id=action.view_id.id)
        # the pharmacy settings only (each feature appends its own pharmacy_* fields)
        self.assertEqual(set(list(own['fields'])[:3]),
                         {'pharmacy_tz', 'pharmacy_refill_threshold',
                          'pharmacy_pickup_reminder_days'})
        self.assertEqual([name for name in own['fields'] if not name.startswith('pharmacy_')],
                         [])
        self.assertEqual(sorted(own['fields']),
                         sorted(name for name in Settings._fields if name.startswith('pharmacy_')))
        self.assertIn('pharmacy_pickup_reminder_days', own['fields'])
        # the managers' form shows the block of Settings (written once), every field in place
        block = "//div[@data-key='pharmacy_crm']//field/@name"
        self.assertEqual(etree.fromstring(own['arch']).xpath(block),
                         etree.fromstring(general['arch']).xpath(block))
        self.assertEqual(etree.fromstring(own['arch']).xpath(block)[:3],
                         ['pharmacy_tz', 'pharmacy_refill_threshold',
                          'pharmacy_pickup_reminder_days'])
        menu = self.env.ref('pharmacy_crm.res_config_settings_menu')
        self.assertEqual(menu.groups_id, self.group_manager)

    def test_saving_repairs_a_threshold_written_by_hand(self):
        self.env.cr.execute("UPDATE ir_config_parameter SET value = 'eighty' WHERE key = %s",
                            [KEY])
        with self.assertLogs('odoo.addons.pharmacy_crm.models.pharmacy_setting',
                             'WARNING') as logged:
            settings = self.env['res.config.settings'].sudo(self.manager).create({})
            self.assertEqual(settings.pharmacy_refill_threshold, 0.8)   # the default is offered
            settings.execute()
        self.assertIn("holds 'eighty', not a valid value: 0.8 used", logged.output[0])
        self.assertEqual(self._threshold(), '0.8')

    def test_a_manager_sets_the_days_before_waiting_for_pickup(self):
        Setting = self.env['pharmacy.setting']
        self.assertEqual(Setting.get('pickup_reminder_days'), 7)
        self._save(self.manager, pharmacy_pickup_reminder_days=10)
        self.assertEqual(Setting.get('pickup_reminder_days'), 10)
        self.assertEqual(self.env['res.config.settings'].sudo(self.manager).default_get(
            ['pharmacy_pickup_reminder_days']), {'pharmacy_pickup_reminder_days': 10})
        for days in (0, 366):
            with self.assertRaisesRegex(ValidationError, 'Waiting for Pickup After must be a '
                                                         'whole number of days from 1 to 365'):
                self._save(self.manager, pharmacy_pickup_reminder_days=days)
        self.assertEqual(Setting.get('pickup_reminder_days'), 10)
