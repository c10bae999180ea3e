# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Today is the pharmacy's today: with the clock frozen at chosen instants, users in no time
zone, in Brussels and in Los Angeles act on the same records of a pharmacy in New York and get
the same pharmacy date in every default, rule, worklist, SQL view and scheduled action."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError

from .common import PharmacyCase, frozen_clock, utc

# instant (UTC) -> the date in New York, worked out by hand
INSTANTS = [
    ('2026-12-04 23:30', '2026-12-04'),   # 18:30 EST: UTC is already tomorrow
    ('2026-12-05 04:30', '2026-12-04'),   # 23:30 EST: Brussels is at 05:30 on the 5th
    ('2026-03-09 04:30', '2026-03-09'),   # 00:30 EDT, the day after summer time starts
    ('2026-11-02 04:30', '2026-11-01'),   # 23:30 EST, the day winter time starts
]


class TestPharmacyDate(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref('base.main_company')
        cls.company.pharmacy_tz = 'America/New_York'
        cls.technician.tz = False
        cls.pharmacist.tz = 'Europe/Brussels'
        cls.manager.tz = 'America/Los_Angeles'
        cls.users = cls.technician | cls.pharmacist | cls.manager

    def _sql_today(self, company_id):
        self.env.cr.execute('SELECT pharmacy_today(%s)', [company_id])
        return str(self.env.cr.fetchone()[0])   # Odoo reads dates from SQL as text

    def test_one_date_for_every_user_and_its_sql_twin(self):
        for instant, expected in INSTANTS:
            with frozen_clock(self.env, utc(instant)):
                self.assertEqual(self.company.pharmacy_today(), expected, instant)
                self.assertEqual(self._sql_today(self.company.id), expected, instant)
                for user in self.users:
                    self.assertEqual(
                        self.env['res.company'].sudo(user).pharmacy_today(), expected,
                        '%s at %s' % (user.tz, instant))
        # without a time zone, the pharmacy's date is UTC's, in Python and in SQL alike
        self.company.pharmacy_tz = False
        with frozen_clock(self.env, utc('2026-12-04 23:30')):
            self.assertEqual(self.company.pharmacy_today(), '2026-12-04')
            self.assertEqual(self._sql_today(self.company.id), '2026-12-04')
        with frozen_clock(self.env, utc('2026-12-05 00:30')):
            self.assertEqual(self.company.pharmacy_today(), '2026-12-05')
            self.assertEqual(self._sql_today(self.company.id), '2026-12-05')

    def test_a_manager_sets_the_time_zone_in_the_settings(self):
        settings = self.env['res.config.settings'].sudo(self.manager).create({})
        self.assertEqual(settings.pharmacy_tz, 'America/New_York')
        settings.pharmacy_tz = 'America/Chicago'
        settings.execute()
        self.assertEqual(self.company.pharmacy_tz, 'America/Chicago')
        with frozen_clock(self.env, utc('2026-12-05 05:30')):   # 23:30 in Chicago
            self.assertEqual(self.company.pharmacy_today(), '2026-12-04')
            self.assertEqual(self._sql_today(self.company.id), '2026-12-04')

    def test_defaults_and_rules_on_the_same_records(self):
        """The manager (Los Angeles) writes a prescription, the technician (no time zone)
        fills it the same minute, the pharmacist (Brussels) may not date a fill tomorrow."""
        for instant, expected in INSTANTS:
            with frozen_clock(self.env, utc(instant)) as now:
                rx = self.env['pharmacy.patient.medication'].sudo(self.manager).create({
                    'patient_id': self.patient.id, 'medication_id': self.atorvastatin.id,
                    'prescriber_id': self.prescriber.id, 'rx_number': 'TZ%s' % instant,
                    'days_supply': 30, 'quantity': 30, 'refills_authorized': 5})
                self.assertEqual(rx.date_written, expected, instant)
                tomorrow = fields.Date.to_string(
                    fields.Date.from_string(expected) + timedelta(days=1))
                with self.assertRaisesRegex(ValidationError, 'is in the future'):
                    self.env['pharmacy.fill'].sudo(self.pharmacist).create({
                        'prescription_id': rx.id, 'quantity': 30, 'days_supply': 30,
                        'fill_date': tomorrow})
                fill = self.env['pharmacy.fill'].sudo(self.technician).create({
                    'prescription_id': rx.id, 'quantity': 30, 'days_supply': 30})
                self.assertEqual(fill.fill_date, expected, instant)
                fill.sudo(self.pharmacist).action_pick_up()
                self.assertEqual(fill.pickup_date, expected, instant)
                consent = self.env['pharmacy.consent'].sudo(self.manager).new({
                    'patient_id': self.patient.id, 'channel': 'sms', 'purpose': 'marketing',
                    'state': 'granted', 'source': 'in_store'})
                consent._onchange_state()
                self.assertEqual(consent.date, expected, instant)
                note = self.env['pharmacy.patient.note'].sudo(self.pharmacist).create({
                    'patient_id': self.patient.id, 'body': 'Frozen clock'})
                self.assertEqual(note.date, fields.Datetime.to_string(now), instant)
                rx.sudo().write({'active': False})   # the next instant writes its own

    def test_worklists_and_filters_use_the_pharmacy_date(self):
        """Due on the pharmacy's today: due today for everyone, ``due_in_days`` 0, in the
        "due within 7 days" filter; a fill dated today is 0 days old."""
        for instant, expected in INSTANTS:
            with frozen_clock(self.env, utc(instant)):
                today = fields.Date.from_string(expected)
                rx = self._prescription(date_written=fields.Date.to_string(
                    today - timedelta(days=40)), rx_number='DUE%s' % instant)
                fill = self._fill(rx, fields.Date.to_string(today - timedelta(days=30)))
                self.assertEqual(rx.next_due_date, expected)
                for user in self.users:
                    Rx = self.env['pharmacy.patient.medication'].sudo(user)
                    self.assertIn(rx, Rx.search([('is_due', '=', True)]), user.tz)
                    self.assertIn(rx, Rx.search([('due_in_days', '=', 0)]), user.tz)
                    self.assertNotIn(rx, Rx.search([('due_in_days', '<', 0)]), user.tz)
                    self.assertEqual(Rx.browse(rx.id).due_in_days, 0)
                    self.assertIn(self.patient, self.env['res.partner'].sudo(user).search(
                        [('due_in_days', '<=', 7)]), user.tz)
                    Fill = self.env['pharmacy.fill'].sudo(user)
                    self.assertIn(fill, Fill.search([('age_days', '=', 30)]), user.tz)
                    self.assertNotIn(fill, Fill.search([('age_days', '<', 30)]), user.tz)
                rx.sudo().write({'active': False})

    def test_access_log_today_is_the_pharmacy_day(self):
        """Logged at 18:30 in New York (23:30 UTC): still "today" at 23:30 there (04:30 UTC the
        next day), not from midnight there on."""
        Log = self.env['pharmacy.access.log']
        Log._append([{
            'date': '2026-12-04 23:30:00', 'event': 'view', 'user_id': self.manager.id,
            'login': 'manager', 'res_model': 'res.partner', 'res_id': self.patient.id,
            'record_name': 'Pat Test', 'company_id': self.company.id}])
        entry = Log.search([('res_id', '=', self.patient.id), ('res_model', '=', 'res.partner'),
                            ('date', '=', '2026-12-04 23:30:00')])
        self.assertEqual(len(entry), 1)
        for instant, expected in (('2026-12-05 04:30', True), ('2026-12-05 05:30', False)):
            with frozen_clock(self.env, utc(instant)):
                found = Log.sudo(self.manager).search([('age_days', '<=', 0),
                                                       ('res_id', '=', self.patient.id)])
                self.assertEqual(bool(found), expected, instant)
                entry.invalidate_cache()
                self.assertEqual(entry.age_days, 0 if expected else 1)
