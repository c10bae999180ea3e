# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Adherence (PDC): the stored figures equal tools.adherence.pdc, who may read and recompute
them, the threshold setting, the outreach log, the therapeutic classes."""
from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from . import adherence_data
from odoo.addons.pharmacy_crm.tests.common import PharmacyCase, frozen_clock, utc


class TestAdherence(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Adherence = cls.env['pharmacy.adherence']
        cls.statin_class = cls.env.ref('pharmacy_crm.therapeutic_class_statin')
        cls.lipitor = cls.env['pharmacy.medication'].create({
            'name': 'Lipitor', 'generic_name': 'Atorvastatin', 'strength': '20 mg',
            'drug_type': 'brand', 'therapeutic_class_id': cls.statin_class.id})
        cls.atorvastatin.generic_name = 'atorvastatin'
        cls.rx = cls._prescription(date_written='2025-01-02', refills_authorized=11)
        cls.rx_brand = cls._prescription(date_written='2025-01-02', refills_authorized=11,
                                         medication_id=cls.lipitor.id)
        # atorvastatin 30 days on 10-03, Lipitor (same ingredient) on 10-20: shifted to
        # 11-02..12-01; a returned fill on 12-05; a fill before the period (2025-06-01)
        cls._fill(cls.rx, '2025-06-01', state='picked_up', pickup_date='2025-06-01')
        cls._fill(cls.rx, '2025-10-03', state='picked_up', pickup_date='2025-10-03')
        cls._fill(cls.rx_brand, '2025-10-20', state='picked_up', pickup_date='2025-10-20',
                  early_refill_reason='vacation')
        cls._fill(cls.rx, '2025-12-05', state='returned')
        cls.start, cls.end = '2025-07-01', '2025-12-31'
        # the demo's figures (later periods) would be the latest period
        cls.env.cr.execute('DELETE FROM pharmacy_adherence')

    def _row(self):
        return self.Adherence.search([('patient_id', '=', self.patient.id),
                                      ('date_start', '=', self.start),
                                      ('date_end', '=', self.end)])

    def test_recompute_stores_the_hand_computed_figure(self):
        self.Adherence.sudo(self.pharmacist).recompute_period(self.start, self.end)
        row = self._row()
        # index 10-03 -> 90 days; covered 10-03..11-01 and 11-02..12-01 = 60 days
        self.assertEqual(
            (row.class_id, row.index_date, row.covered_days, row.period_days, row.fill_count,
             row.last_fill_date, row.next_due_date, row.adherent, row.adherent_share),
            (self.statin_class, '2025-10-03', 60, 90, 2, '2025-10-20', '2025-12-02', False,
             0.0))
        # PDC = 60 / 90 = 66.7%, as a percentage everywhere (list, Trends pivot)
        self.assertEqual((round(row.pdc_percent, 1), row.pdc_display), (66.7, '66.7%'))
        self.env.cr.execute('SELECT pdc_percent FROM pharmacy_adherence WHERE id = %s',
                            [row.id])
        self.assertAlmostEqual(float(self.env.cr.fetchone()[0]), 66.67, places=1)
        self.assertAlmostEqual(row.pdc, 60 / 90, places=12)
        # in the user's date format (admin: English, MM/DD/YYYY)
        self.assertIn('11/02/2025 &#8594; 12/01/2025 (shifted)', row.explanation)
        self.assertIn('12/02/2025 &#8594; 12/31/2025: 30 days without supply', row.explanation)
        self.assertIn('PDC = 60 covered days / 90 days from the first fill (10/03/2025) to '
                      '12/31/2025 = 66.7%', row.explanation)
        # twice: the same rows, replaced
        values = row.read(['pdc', 'covered_days', 'period_days'])[0]
        count = self.Adherence.recompute_period(self.start, self.end)
        again = self._row()
        self.assertEqual(len(again), 1)
        self.assertEqual(again.read(['pdc', 'covered_days', 'period_days'])[0],
                         dict(values, id=again.id))
        self.assertEqual(self.Adherence.search_count([('date_start', '=', self.start),
                                                      ('date_end', '=', self.end)]), count)

    def test_sql_equals_the_formula_on_generated_data(self):
        start, end = adherence_data.PERIOD
        groups, fills = adherence_data.generate(
            self.env, self.rx.id, self.patient.company_id.id, 250, start, end)
        expected = adherence_data.expected(groups, start, end)
        self.assertGreater(len(expected), 300)
        self.assertGreater(fills, 2000)
        self.Adherence.recompute_period(str(start), str(end))
        self.env.cr.execute("""
            SELECT patient_id, class_id, pdc FROM pharmacy_adherence
             WHERE date_start = %s AND date_end = %s AND patient_id = ANY(%s)""",
                            [start, end, list({p for p, _c in groups})])
        stored = {(p, c): value for p, c, value in self.env.cr.fetchall()}
        self.assertEqual(set(stored), set(expected))
        worst = max(abs(stored[key] - expected[key]) for key in expected)
        self.assertLess(worst, 1e-9)
        # some groups below and some above the threshold, some fully covered
        self.assertTrue(0 < sum(v >= 0.8 for v in stored.values()) < len(stored))

    def test_access(self):
        self.Adherence.recompute_period(self.start, self.end)
        self.assertTrue(self.Adherence.sudo(self.technician).search(
            [('patient_id', '=', self.patient.id)]))
        with self.assertRaisesRegex(AccessError, 'Only pharmacists may recompute'):
            self.Adherence.sudo(self.technician).recompute_period(self.start, self.end)
        with self.assertRaises(AccessError), mute_logger('odoo.models'):
            self._row().sudo(self.technician).write({'pdc': 1.0})
        for user in (self.internal_user, self.portal_user):
            with self.assertRaises(AccessError), mute_logger('odoo.models'):
                self.Adherence.sudo(user).search([])
            with self.assertRaises(AccessError):
                self.Adherence.sudo(user).recompute_period(self.start, self.end)
        self.assertGreaterEqual(
            self.Adherence.sudo(self.manager).recompute_period(self.start, self.end), 1)

    def test_bad_period_is_refused(self):
        with self.assertRaisesRegex(ValidationError, 'Period of the adherence'):
            self.Adherence.recompute_period('2025-12-31', '2025-01-01')
        with self.assertRaisesRegex(ValidationError, 'Period of the adherence'):
            self.Adherence.recompute_period('yesterday', '2025-01-01')

    def test_threshold_setting_reclassifies(self):
        self.Adherence.recompute_period(self.start, self.end)
        settings = self.env['res.config.settings'].sudo(self.manager).create(
            {'pharmacy_adherence_threshold': 0.6})
        settings.execute()
        self.assertEqual(self.env['pharmacy.setting'].get('adherence_threshold'), 0.6)
        self.assertEqual((self._row().adherent, self._row().adherent_share), (True, 100.0))
        with self.assertRaisesRegex(ValidationError, 'Adherence Threshold'):
            self.env['res.config.settings'].sudo(self.manager).create(
                {'pharmacy_adherence_threshold': 1.5})

    def test_the_threshold_is_a_registered_setting(self):
        spec = self.env['pharmacy.setting']._pharmacy_settings()['adherence_threshold']
        self.assertEqual(
            (spec.key, spec.field, spec.kind, spec.default, spec.minimum, spec.above_minimum,
             spec.maximum, spec.digits, spec.group, spec.apply),
            ('pharmacy_crm.adherence_threshold', 'pharmacy_adherence_threshold', 'float', 0.8,
             0, True, 1, 2, 'pharmacy_crm.group_pharmacy_manager',
             '_apply_adherence_threshold'))

    def test_every_way_of_changing_the_threshold_reclassifies(self):
        """The settings screen, the registry, and the system parameter itself (set_param,
        write, create, unlink), as a manager and as an administrator: each checks the value
        and reclassifies the stored rows (PDC 60/90: adherent from a threshold of 0.66)."""
        key = 'pharmacy_crm.adherence_threshold'
        Param = self.env['ir.config_parameter']
        Setting = self.env['pharmacy.setting']
        sysadmin = self._user('sysadmin', self.env.ref('base.group_system'))
        self.Adherence.recompute_period(self.start, self.end)

        def stored():
            self.env.cr.execute('SELECT value FROM ir_config_parameter WHERE key = %s', [key])
            row = self.env.cr.fetchone()
            return row and row[0]

        def classified():
            row = self._row()
            row.invalidate_cache()
            return row.adherent, row.adherent_share

        def param(user):
            return Param.sudo(user).search([('key', '=', key)])

        def create(user, value):
            Param.search([('key', '=', key)]).unlink()      # back to 0.80, applied
            self.assertEqual((stored(), classified()), (None, (False, 0.0)))
            Param.sudo(user).create({'key': key, 'value': value})

        ways = {
            'screen': lambda user, value: self.env['res.config.settings'].sudo(user).create(
                {'pharmacy_adherence_threshold': float(value)}).execute(),
            'registry': lambda user, value: Setting.sudo(user).set('adherence_threshold', value),
            'set_param': lambda user, value: Param.sudo(user).set_param(key, value),
            'write': lambda user, value: param(user).write({'value': value}),
            'create': create,
        }
        for user in (self.manager, sysadmin):
            for way, change in ways.items():
                with self.subTest(user=user.login, way=way):
                    Param.set_param(key, '0.8')
                    self.assertEqual(classified(), (False, 0.0))
                    change(user, '0.66')
                    self.assertEqual((stored(), classified()), ('0.66', (True, 100.0)))
                    self.assertEqual(Setting.get('adherence_threshold'), 0.66)
                    change(user, '0.67')                     # 0.6667 < 0.67
                    self.assertEqual((stored(), classified()), ('0.67', (False, 0.0)))
                    # the screen sends numbers (rounded to 2 decimals), the others texts
                    wrong_values = ((1.5, -0.5, 0.0) if way == 'screen' else
                                    ('"abc"', '"1.5"', '""', '"-0.5"', '"0.667"'))
                    for wrong in wrong_values:
                        with self.assertRaises(ValidationError) as err:
                            change(user, wrong.strip('"') if way != 'screen' else wrong)
                        self.assertEqual(err.exception.name, 'Adherence Threshold must be more '
                                         'than 0 and at most 1, with at most 2 decimals (got '
                                         '%s).' % wrong)
                    self.assertEqual((stored(), classified()), ('0.67', (False, 0.0)))
            with self.subTest(user=user.login, way='unlink'):
                Param.set_param(key, '0.6')
                self.assertEqual(classified(), (True, 100.0))
                param(user).unlink()
                self.assertEqual((stored(), classified()), (None, (False, 0.0)))
        # nobody else
        for user in (self.technician, self.pharmacist):
            for way, change in ways.items():
                with self.subTest(user=user.login, way=way):
                    with self.assertRaises(AccessError), mute_logger('odoo.models'):
                        change(user, '0.6')
                    self.assertEqual((stored(), classified()), (None, (False, 0.0)))

    def test_the_threshold_is_in_the_managers_pharmacy_settings(self):
        """The core's settings form for managers shows this addon's setting too."""
        action = self.env.ref('pharmacy_crm.res_config_settings_action')
        own = self.env['res.config.settings'].sudo(self.manager).fields_view_get(
            view_id=action.view_id.id)
        self.assertIn('pharmacy_adherence_threshold', own['fields'])
        self.assertIn('name="pharmacy_adherence_threshold"', own['arch'])

    def test_log_outreach_on_the_patient_and_worklist_filters(self):
        self.Adherence.recompute_period(self.start, self.end)
        row = self._row()
        worklist = [('is_latest', '=', True), ('adherent', '=', False),
                    ('contacted_recently', '=', False)]
        Tech = self.Adherence.sudo(self.technician)
        self.assertIn(row, Tech.search(worklist))
        wizard = self.env['pharmacy.adherence.outreach'].sudo(self.technician).create({
            'adherence_id': row.id, 'outcome': 'reached', 'barrier': 'cost',
            'note': 'Asks for a 90-day supply.'})
        wizard.action_log()
        message = self.patient.message_ids[0]
        self.assertEqual(message.mail_activity_type_id,
                         self.env.ref(
                             'pharmacy_crm_adherence.mail_activity_type_adherence_outreach'))
        self.assertIn('Outcome: Reached. Barrier: Cost. Asks for a 90-day supply.',
                      message.body)
        self.assertNotIn(row, Tech.search(worklist))
        self.assertIn(row, Tech.search([('contacted_recently', '=', True)]))
        self.assertFalse(self.patient.activity_ids)   # done: no activity left open

    def test_badges_on_the_patient(self):
        self.Adherence.recompute_period(self.start, self.end)
        # a later period becomes the latest
        self.Adherence.recompute_period('2025-01-01', '2026-01-31')
        badges = self.patient.sudo(self.technician).adherence_badges
        self.assertIn('label-danger', badges)
        # index 06-01: 30 + 30 + 30 covered of 245 days to 2026-01-31 = 36.7%
        self.assertIn('Statins 37%', badges)

    def test_rolling_period(self):
        self.assertEqual(self.Adherence._rolling_period(date(2026, 11, 26)),
                         (date(2025, 11, 1), date(2026, 10, 31)))
        self.assertEqual(self.Adherence._rolling_period(date(2026, 1, 1)),
                         (date(2025, 1, 1), date(2025, 12, 31)))
        self.assertEqual(self.Adherence._rolling_period(date(2026, 3, 31)),
                         (date(2025, 3, 1), date(2026, 2, 28)))

    def test_the_monthly_run_uses_the_pharmacy_date(self):
        """The monthly PDC run at 04:30 UTC on 1 December is still 30 November in New York:
        its 12 months end on 31 October; from 05:00 UTC they end on 30 November."""
        self.env.ref('base.main_company').pharmacy_tz = 'America/New_York'
        with frozen_clock(self.env, utc('2026-12-01 04:30')):
            self.assertEqual(self.Adherence._rolling_period(),
                             (date(2025, 11, 1), date(2026, 10, 31)))
        with frozen_clock(self.env, utc('2026-12-01 05:00')):
            self.assertEqual(self.Adherence._rolling_period(),
                             (date(2025, 12, 1), date(2026, 11, 30)))

    def test_managers_add_classes(self):
        beta = self.env['pharmacy.therapeutic.class'].sudo(self.manager).create({
            'name': 'Beta blockers', 'code': 'beta_blocker', 'measure_adherence': True})
        self.assertTrue(beta.measure_adherence)
        with self.assertRaises(AccessError), mute_logger('odoo.models'):
            self.env['pharmacy.therapeutic.class'].sudo(self.pharmacist).create({
                'name': 'Anticoagulants', 'code': 'anticoagulant'})
        self.assertEqual(self.lipitor.therapeutic_class_id.code, 'statin')
        self.assertEqual(self.oxycodone.therapeutic_class_id.code, 'other')   # the default

    def test_worklist_and_badges_read_in_constant_queries(self):
        start, end = adherence_data.PERIOD
        adherence_data.generate(self.env, self.rx.id, self.patient.company_id.id, 60, start,
                                end)
        self.Adherence.recompute_period(str(start), str(end))
        rows = self.Adherence.sudo(self.technician).search(
            [('date_start', '=', str(start)), ('is_latest', '=', True)], order='id')
        self.assertGreater(len(rows), 40)
        fields_ = ['patient_id', 'class_id', 'pdc_percent', 'last_fill_date', 'next_due_date',
                   'days_late', 'patient_phone', 'patient_contact_channel',
                   'contacted_recently', 'is_latest']

        def queries(records, names):
            records.invalidate_cache()
            before = self.cr.sql_log_count
            records.read(names)
            return self.cr.sql_log_count - before

        queries(rows[:3], fields_)   # warm the caches of access rights and record rules
        self.assertEqual(queries(rows[:3], fields_), queries(rows, fields_))
        patients = rows.mapped('patient_id').sudo(self.technician)
        queries(patients[:3], ['adherence_badges'])
        self.assertEqual(queries(patients[:3], ['adherence_badges']),
                         queries(patients, ['adherence_badges']))
