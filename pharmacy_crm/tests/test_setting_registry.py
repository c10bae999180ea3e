# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The registry of the pharmacy settings (pharmacy.setting): what it lists, and that every way
of writing a setting's system parameter (the settings screen, the registry, set_param, write,
create, unlink) checks and applies it the same way, for a pharmacy manager and for an
administrator; that nobody else changes a setting by any of them."""
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .common import PharmacyCase

KEY = 'pharmacy_crm.refill_threshold'
PICKUP = 'pharmacy_crm.pickup_reminder_days'
REFILL_MESSAGE = ('Refill Threshold must be more than 0 and at most 1, with at most 2 decimals '
                  '(got %s).')
PICKUP_MESSAGE = ('Waiting for Pickup After must be a whole number of days from 1 to 365 (got '
                  '%s).')
# 30 and 7 days supply filled on 2024-03-01: refill too soon until + ceil(days x threshold)
DATES_08 = ['2024-03-07', '2024-03-25']     # ceil(5.6) = 6, ceil(24) = 24
DATES_05 = ['2024-03-05', '2024-03-16']     # ceil(3.5) = 4, ceil(15) = 15


class TestSettingRegistry(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sysadmin = cls._user('sysadmin', cls.env.ref('base.group_system'))
        cls.Setting = cls.env['pharmacy.setting']
        cls.Param = cls.env['ir.config_parameter']
        cls.week = cls._prescription(days_supply=7, date_written='2024-02-01')
        cls.month = cls._prescription(days_supply=30, date_written='2024-02-01')
        for rx in (cls.week, cls.month):
            cls._fill(rx, '2024-03-01')

    def _stored(self, key):
        """The parameter's text as stored (not Odoo's caches), None when there is none."""
        self.env.cr.execute('SELECT value FROM ir_config_parameter WHERE key = %s', [key])
        row = self.env.cr.fetchone()
        return row and row[0]

    def _dates(self):
        prescriptions = self.week | self.month
        prescriptions.invalidate_cache()
        return prescriptions.mapped('refill_eligible_date')

    def _param(self, key, user):
        return self.Param.sudo(user).search([('key', '=', key)])

    def _delete(self, key):
        self.env.cr.execute('DELETE FROM ir_config_parameter WHERE key = %s', [key])
        self.Param.invalidate_cache()
        self.Param.clear_caches()

    # each way of changing the setting stored in ``key`` to ``text``, as ``user``
    def _by_screen(self, user, key, text):
        spec = self.Setting._spec_of_key(key)
        values = {spec.field: float(text) if spec.kind == 'float' else int(text)}
        self.env['res.config.settings'].sudo(user).create(values).execute()

    def _by_registry(self, user, key, text):
        self.Setting.sudo(user).set(self.Setting._spec_of_key(key).name, text)

    def _by_set_param(self, user, key, text):
        self.Param.sudo(user).set_param(key, text)

    def _by_write(self, user, key, text):
        self._param(key, user).write({'value': text})

    def _by_create(self, user, key, text):
        self._delete(key)
        param = self.Param.sudo(user).create({'key': key, 'value': text})
        self.env.cr.execute('SELECT id FROM ir_config_parameter WHERE key = %s', [key])
        self.assertEqual(param.id, self.env.cr.fetchone()[0])

    # --- the registry ----------------------------------------------------------------------
    def test_the_registry_lists_every_setting_with_its_field(self):
        settings = self.Setting._pharmacy_settings()
        self.assertEqual(list(settings)[:2], ['refill_threshold', 'pickup_reminder_days'])
        refill, pickup = settings['refill_threshold'], settings['pickup_reminder_days']
        self.assertEqual(
            (refill.key, refill.field, refill.kind, refill.default, refill.minimum,
             refill.above_minimum, refill.maximum, refill.digits, refill.group, refill.label,
             refill.apply, refill.store),
            (KEY, 'pharmacy_refill_threshold', 'float', 0.8, 0, True, 1, 2,
             'pharmacy_crm.group_pharmacy_manager', 'Refill Threshold', None,
             '_store_refill_threshold'))
        self.assertEqual(
            (pickup.key, pickup.field, pickup.kind, pickup.default, pickup.minimum,
             pickup.maximum, pickup.days, pickup.group, pickup.label),
            (PICKUP, 'pharmacy_pickup_reminder_days', 'integer', 7, 1, 365, True,
             'pharmacy_crm.group_pharmacy_manager', 'Waiting for Pickup After'))
        # every installed addon's setting has its field on the settings screen, with its
        # label; every pharmacy field there but the time zone (the company's) is a setting
        Settings = self.env['res.config.settings']
        self.assertEqual({name for name in Settings._fields if name.startswith('pharmacy_')},
                         {spec.field for spec in settings.values()} | {'pharmacy_tz'})
        for name, spec in settings.items():
            self.assertEqual((spec.key, Settings._fields[spec.field].string),
                             ('pharmacy_crm.' + name, spec.label))
            self.assertEqual(self.Setting._spec_of_key(spec.key), spec)
        self.assertIsNone(self.Setting._spec_of_key('pharmacy_crm.bench_data'))
        with self.assertRaisesRegex(UserError, 'nothing is not a pharmacy setting; the '
                                               'pharmacy settings are refill_threshold, '
                                               'pickup_reminder_days'):
            self.Setting.get('nothing')

    def test_get_gives_the_typed_value_or_the_default(self):
        self.assertEqual(self.Setting.get('refill_threshold'), 0.8)
        self.Param.set_param(PICKUP, '12')
        self.assertEqual(self.Setting.get('pickup_reminder_days'), 12)
        self._delete(PICKUP)
        self.assertEqual(self.Setting.get('pickup_reminder_days'), 7)
        # only SQL can store what a setting refuses: the default, or with strict a UserError
        self.env.cr.execute("INSERT INTO ir_config_parameter (key, value) VALUES (%s, 'ten')",
                            [PICKUP])
        with mute_logger('odoo.addons.pharmacy_crm.models.pharmacy_setting'):
            self.assertEqual(self.Setting.get('pickup_reminder_days'), 7)
        with self.assertRaises(UserError) as err:
            self.Setting.get('pickup_reminder_days', strict=True)
        self.assertEqual(err.exception.name, 'The system parameter %s holds "ten": %s Set '
                         'Waiting for Pickup After in Pharmacy > Configuration > Settings.'
                         % (PICKUP, PICKUP_MESSAGE % '"ten"'))

    def test_the_caches_follow_every_change(self):
        self.assertEqual(self.Param.get_param(KEY), '0.8')     # now in Odoo's cache
        self.Setting.set('refill_threshold', 0.7)
        self.assertEqual(self.Param.get_param(KEY), '0.7')
        self.assertEqual(self._param(KEY, self.manager).value, '0.7')
        self.assertEqual(self.Setting.get('refill_threshold'), 0.7)

    # --- every way, the same checks and effect ---------------------------------------------
    def test_every_way_applies_the_refill_threshold(self):
        ways = [self._by_screen, self._by_registry, self._by_set_param, self._by_write,
                self._by_create]
        for user in (self.manager, self.sysadmin):
            for way in ways:
                with self.subTest(user=user.login, way=way.__name__):
                    self.Param.set_param(KEY, '0.8')
                    self.assertEqual(self._dates(), DATES_08)
                    way(user, KEY, '0.5')
                    self.assertEqual(self._stored(KEY), '0.5')
                    self.assertEqual(self._dates(), DATES_05)
                    self.assertEqual(self.Setting.get('refill_threshold'), 0.5)
            with self.subTest(user=user.login, way='unlink'):
                # deleting the parameter: back to the default, applied (the row stays, the
                # fills lock it)
                self._param(KEY, user).unlink()
                self.assertEqual(self._stored(KEY), '0.8')
                self.assertEqual(self._dates(), DATES_08)

    def test_a_threshold_of_2_decimals_give_or_take_float_noise(self):
        for text in ('0.35', '0.41', '0.57', '0.7', '0.82', '0.95', '1.0'):
            self._by_screen(self.manager, KEY, text)
            self.assertEqual((self._stored(KEY), self.Setting.get('refill_threshold')),
                             (text, float(text)))
        self.Setting.set('refill_threshold', 57 * 0.01)     # 0.5700000000000001
        self.assertEqual(self._stored(KEY), '0.57')
        # ceil(7 x 0.57) = ceil(3.99) = 4, ceil(30 x 0.57) = ceil(17.1) = 18
        self._by_screen(self.manager, KEY, '0.57')
        self.assertEqual(self._dates(), ['2024-03-05', '2024-03-19'])

    def test_every_way_sets_the_days_before_waiting_for_pickup(self):
        ways = [self._by_screen, self._by_registry, self._by_set_param, self._by_write,
                self._by_create]
        for user in (self.manager, self.sysadmin):
            for days, way in enumerate(ways, start=2):
                with self.subTest(user=user.login, way=way.__name__):
                    self.Param.set_param(PICKUP, '7')
                    way(user, PICKUP, ' %d ' % days)
                    self.assertEqual(self._stored(PICKUP), str(days))   # as the setting's text
                    self.assertEqual(self.Setting.get('pickup_reminder_days'), days)
            with self.subTest(user=user.login, way='unlink'):
                self._param(PICKUP, user).unlink()
                self.assertIsNone(self._stored(PICKUP))
                self.assertEqual(self.Setting.get('pickup_reminder_days'), 7)

    def test_what_a_setting_refuses_is_refused_whichever_way(self):
        ways = [self._by_registry, self._by_set_param, self._by_write, self._by_create]
        cases = [(KEY, '0.8', REFILL_MESSAGE, ('abc', '1.5', '', '-0.5', '0', '0.333', 'nan',
                                               '1e-1', '0,5')),
                 (PICKUP, '7', PICKUP_MESSAGE, ('abc', '1.5', '', '-5', '0', '366', '7 days'))]
        for key, valid, message, wrong_values in cases:
            self.Param.set_param(key, valid)
            for user in (self.manager, self.sysadmin):
                for way in ways:
                    for wrong in wrong_values:
                        with self.subTest(key=key, user=user.login, way=way.__name__,
                                          value=wrong):
                            with self.assertRaises(ValidationError) as err:
                                way(user, key, wrong)
                            self.assertEqual(err.exception.name, message % ('"%s"' % wrong))
                            self.assertEqual(self._stored(key), valid)
        self.assertEqual(self._dates(), DATES_08)
        with self.assertRaises(ValidationError) as err:      # the screen, typed
            self._by_screen(self.manager, KEY, '1.5')
        self.assertEqual(err.exception.name, REFILL_MESSAGE % 1.5)
        # a value nobody can type in a form, over RPC
        for wrong in (None, True, [0.5]):
            with self.assertRaises(ValidationError) as err:
                self.Setting.set('refill_threshold', wrong)
            self.assertEqual(err.exception.name, REFILL_MESSAGE % wrong)

    def test_an_unchanged_value_writes_nothing(self):
        self.env.cr.execute('SELECT write_date FROM ir_config_parameter WHERE key = %s', [KEY])
        written = self.env.cr.fetchone()[0]
        self.Param.sudo(self.manager).set_param(KEY, ' 0.80 ')
        self.Setting.sudo(self.manager).set('refill_threshold', 0.8)
        self.env.cr.execute('SELECT write_date FROM ir_config_parameter WHERE key = %s', [KEY])
        self.assertEqual(self.env.cr.fetchone()[0], written)
        # the default, when the parameter does not exist: none created
        self.assertIsNone(self._stored(PICKUP))
        self.Setting.sudo(self.manager).set('pickup_reminder_days', '7')
        self.assertIsNone(self._stored(PICKUP))

    # --- who ---------------------------------------------------------------------------------
    def test_nobody_else_changes_a_setting_by_any_way(self):
        param = self.Param.search([('key', '=', KEY)])
        for user in (self.technician, self.pharmacist, self.internal_user):
            ways = {
                'screen': lambda: self._by_screen(user, KEY, '0.5'),
                'registry': lambda: self._by_registry(user, KEY, '0.5'),
                'set_param': lambda: self._by_set_param(user, KEY, '0.5'),
                'write': lambda: param.sudo(user).write({'value': '0.5'}),
                'create': lambda: self._by_create(user, KEY, '0.5'),
                'unlink': lambda: param.sudo(user).unlink(),
            }
            for way, change in ways.items():
                with self.subTest(user=user.login, way=way):
                    with self.assertRaises(AccessError), mute_logger('odoo.models'):
                        change()
                    self.assertEqual(self._stored(KEY), '0.8')
        self.assertEqual(self._dates(), DATES_08)
        with self.assertRaises(AccessError) as err:
            self.Setting.sudo(self.technician).set('refill_threshold', 0.8)
        self.assertEqual(err.exception.name, 'Only administrators and Pharmacy / Manager may '
                                             'change the pharmacy setting Refill Threshold. '
                                             'Ask a pharmacy manager.')

    def test_a_manager_writes_the_pharmacy_settings_parameters_only(self):
        Param = self.Param.sudo(self.manager)
        self.Param.set_param(PICKUP, '9')
        keys = Param.search([]).mapped('key')
        self.assertEqual([key for key in keys if not key.startswith('pharmacy_crm.')], [])
        self.assertEqual(sorted(key for key in keys if key in (KEY, PICKUP)), [PICKUP, KEY])
        base_url = self.Param.search([('key', '=', 'web.base.url')])
        with self.assertRaises(AccessError), mute_logger('odoo.models'):
            base_url.sudo(self.manager).write({'value': 'http://example.com'})
        with self.assertRaises(AccessError), mute_logger('odoo.models'):
            Param.create({'key': 'web.other', 'value': 'x'})
        # the other parameters pharmacy_crm.*: administrators only
        with self.assertRaisesRegex(AccessError, 'Only administrators may change the system '
                                                 'parameter pharmacy_crm.bench_data'):
            Param.create({'key': 'pharmacy_crm.bench_data', 'value': '/tmp'})
        self.Param.sudo(self.sysadmin).create({'key': 'pharmacy_crm.bench_data',
                                               'value': '/tmp'})
        bench = self.Param.search([('key', '=', 'pharmacy_crm.bench_data')])
        for change in (lambda: bench.sudo(self.manager).write({'value': '/var'}),
                       lambda: bench.sudo(self.manager).unlink(),
                       lambda: Param.search([('key', '=', PICKUP)]).write(
                           {'key': 'pharmacy_crm.bench_data'})):
            with self.assertRaises(AccessError):
                change()
        # a setting's parameter keeps its key, and no parameter takes a setting's key
        for param, key in ((Param.search([('key', '=', PICKUP)]), 'pharmacy_crm.other'),
                           (bench.sudo(self.sysadmin), PICKUP)):
            with self.assertRaisesRegex(ValidationError, 'the system parameter of a pharmacy '
                                                         'setting keeps its key'):
                param.sudo(self.sysadmin).write({'key': key})
        with self.assertRaisesRegex(ValidationError, 'Refill Threshold: the system parameter '
                                                     'pharmacy_crm.refill_threshold exists '
                                                     'already; change its value.'):
            Param.create({'key': KEY, 'value': '0.5'})
        self.assertEqual((self._stored(KEY), self._stored(PICKUP), bench.value),
                         ('0.8', '9', '/tmp'))
        # a write of several parameters: each as itself, nothing when a setting refuses it
        both = (bench | Param.search([('key', '=', PICKUP)])).sudo(self.sysadmin)
        with self.assertRaisesRegex(ValidationError, 'Waiting for Pickup After'):
            both.write({'value': '/var'})
        both.write({'value': '10'})
        self.assertEqual((self._stored('pharmacy_crm.bench_data'), self._stored(PICKUP)),
                         ('10', '10'))
