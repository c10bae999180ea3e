# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Refill synchronisation (#10): eligibility, the alignment plan, the appointment flow, the
scheduled action, drop-outs, one open enrolment, access."""
import random
from datetime import timedelta
from unittest.mock import patch

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger
from odoo.tools.misc import format_date

from odoo.addons.pharmacy_crm.tests.common import (PATIENT_PROFILE, PharmacyCase, frozen_clock,
                                                   utc)

from ..models.pharmacy_sync_enrollment import sync_date_of

SYNC_MODELS = ['pharmacy.sync.enrollment', 'pharmacy.sync.appointment',
               'pharmacy.sync.appointment.line', 'pharmacy.sync.due.together',
               'pharmacy.sync.report']


def iso(date):
    return fields.Date.to_string(date)


class TestSync(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.from_string(cls.env['res.company'].pharmacy_today())
        cls.Enrollment = cls.env['pharmacy.sync.enrollment']
        cls.Appointment = cls.env['pharmacy.sync.appointment']

    @classmethod
    def _prescription(cls, **values):
        """Written 10 days ago unless said otherwise (the common default has expired)."""
        values.setdefault('date_written', iso(cls.today - timedelta(days=10)))
        return super()._prescription(**values)

    def _patient(self, name):
        return self.env['res.partner'].create(dict(PATIENT_PROFILE, name=name, is_patient=True))

    def _days(self, days):
        return iso(self.today + timedelta(days=days))

    def _enroll(self, patient, **values):
        vals = {'patient_id': patient.id, 'sync_rule': 'cycle',
                'anchor_date': self._days(20), 'cycle_days': 28, 'consent_source': 'in_store'}
        vals.update(values)
        return self.Enrollment.create(vals)

    # --- eligibility -------------------------------------------------------------------------
    def test_eligibility_rules_and_reasons(self):
        Medication = self.env['pharmacy.medication']
        insulin = Medication.create({'name': 'Insulin glargine', 'is_maintenance': True,
                                     'dosage_form': 'injection'})
        acute = Medication.create({'name': 'Amoxicillin', 'dosage_form': 'capsule'})
        cases = [
            (self._prescription(), True, False),
            (self._prescription(is_prn=True), False, 'taken as needed (PRN)'),
            (self._prescription(medication_id=insulin.id), False,
             'dosage form injection is excluded'),
            (self._prescription(medication_id=acute.id), False, 'not a maintenance medication'),
            (self._prescription(medication_id=self.alprazolam.id, refills_authorized=0), False,
             'not a maintenance medication, controlled substance'),
            (self._prescription(state='on_hold'), False, 'not active'),
        ]
        for rx, eligible, reason in cases:
            self.assertEqual((rx.sync_eligible, rx.sync_ineligible_reason), (eligible, reason),
                             rx.medication_id.name)
        # the excluded forms are a setting: injections allowed, capsules excluded
        self.env['ir.config_parameter'].set_param('pharmacy_crm.sync_excluded_forms', 'capsule')
        insulin_rx = cases[2][0]
        insulin_rx.invalidate_cache()
        self.assertTrue(insulin_rx.sync_eligible)

    # --- the alignment plan -----------------------------------------------------------------
    def test_plan_of_three_lines(self):
        """Cycle anchored 20 days from today, 28 days. Hand-computed:

        A 30 tablets / 30 days, filled 25 days ago: runs out in 5 days, syncs in 20: 15 days,
          15 tablets; 0 refills authorised and one fill: no refills left.
        B 60 / 30 days (2 a day), copay 9.00, filled 20 days ago: runs out in 10 days: 10 days,
          20 tablets, copay 9 x 10 / 30 = 3.00; refill too soon until 20 - 24 = 4 days from now.
        C alprazolam 90 / 90 days, written 170 days ago (expires after 6 months, before the sync
          date), filled 80 days ago: runs out in 10 days: 10 days, 10 tablets; schedule IV.
        """
        patient = self._patient('Sync Plan Patient')
        a = self._prescription(patient_id=patient.id, refills_authorized=0,
                               date_written=self._days(-40))
        b = self._prescription(patient_id=patient.id, quantity=60, monthly_copay=9.0,
                               date_written=self._days(-40))
        c = self._prescription(patient_id=patient.id, medication_id=self.alprazolam.id,
                               quantity=90, days_supply=90, refills_authorized=2,
                               date_written=self._days(-170))
        self._fill(a, self._days(-25))
        self._fill(b, self._days(-20))
        self._fill(c, self._days(-80))
        action = self.env['pharmacy.sync.plan'].sudo(self.technician).action_open(patient)
        plan = self.env['pharmacy.sync.plan'].sudo(self.technician).browse(action['res_id'])
        self.assertEqual(plan.line_ids.mapped('selected'), [True, True, False])  # C proposed? no
        plan.write({'sync_rule': 'cycle', 'anchor_date': self._days(20), 'cycle_days': 28,
                    'consent_source': 'phone'})
        expiry = iso(fields.Date.from_string(self._days(-170)) + relativedelta(months=6))
        expected = {
            a: (self._days(5), self._days(20), 15, 15.0, 0.0, 'no refills left'),
            b: (self._days(10), self._days(20), 10, 20.0, 3.0,
                'refill too soon until %s' % format_date(self.env, self._days(4))),
            c: (self._days(10), self._days(20), 10, 10.0, 0.0,
                'expires %s, before the sync date, Schedule IV' % format_date(self.env, expiry)),
        }
        for line in plan.line_ids:
            self.assertEqual((line.run_out_date, line.sync_date, line.days_to_sync,
                              line.short_quantity, line.copay_hint, line.warnings),
                             expected[line.prescription_id], line.prescription_id.rx_number)
        # apply: all three synced, C's short fill ticked (the only one recorded)
        plan.line_ids.filtered(lambda line: line.prescription_id == c).write(
            {'selected': True, 'fill_short': True})
        result = plan.action_apply()
        enrollment = self.Enrollment.search([('patient_id', '=', patient.id)])
        self.assertEqual((enrollment.state, enrollment.enrolled_by, enrollment.consent_source),
                         ('enrolled', self.technician, 'phone'))
        self.assertEqual((a | b | c).mapped('sync_opt_in'), [True, True, True])
        short = c.fill_ids.sorted('id')[-1]
        self.assertEqual((short.fill_date, short.quantity, short.days_supply,
                          short.is_short_fill), (iso(self.today), 10.0, 10, True))
        self.assertEqual((len(a.fill_ids), len(b.fill_ids)), (1, 1))   # nothing else filled
        # the short fill starts where C's supply runs out (in 10 days): due on the sync date
        self.assertEqual(c.next_due_date, self._days(20))
        appointment = enrollment.appointment_ids
        self.assertEqual(result['res_id'], appointment.id)
        self.assertEqual((appointment.date, appointment.state,
                          appointment.line_ids.mapped('prescription_id')),
                         (self._days(20), 'to_confirm', a | b | c))
        # the call: 7 days before the sync date, for the responsible user
        self.assertEqual(appointment.activity_ids.mapped(
            lambda act: (act.activity_type_id, act.date_deadline, act.user_id)),
            [(self.env.ref('mail.mail_activity_data_call'), self._days(13), self.technician)])
        # the patient's profile shows it
        self.assertEqual(patient.sudo(self.technician).sync_next_date, self._days(20))

    def test_fill_now_lands_on_the_sync_date_montelukast(self):
        """The issue's example: a 30-day supply filled 27 days ago runs out in 3 days; another
        prescription runs out in 17 days. The plan proposes that day (one short fill, not too
        soon, instead of one too soon the other way); Fill Now records 14 days today, which
        start when the 3 days on hand run out: due in 17 days, on the sync date."""
        patient = self._patient('Montelukast Patient')
        montelukast = self._prescription(patient_id=patient.id, date_written=self._days(-60))
        other = self._prescription(patient_id=patient.id, date_written=self._days(-60))
        self._fill(montelukast, self._days(-27))
        self._fill(other, self._days(-13))
        Plan = self.env['pharmacy.sync.plan'].sudo(self.technician)
        plan = Plan.browse(Plan.action_open(patient)['res_id'])
        day = fields.Date.from_string(self._days(17)).day
        self.assertEqual((plan.sync_rule, plan.sync_day, plan.best_sync_day,
                          plan.anchor_prescription_id), ('day', day, day, other))
        self.assertEqual(plan.sync_day_options.splitlines()[0],
                         'Day %d: 1 short fill(s), 0 refill(s) too soon, 14 day(s) dispensed '
                         'short (best)' % day)
        self.assertIn('1 refill(s) too soon', plan.sync_day_options.splitlines()[1])
        line = plan.line_ids.filtered(lambda line: line.prescription_id == montelukast)
        self.assertEqual((line.sync_date, line.days_to_sync), (self._days(17), 14))
        line.write({'fill_short': True})
        plan.write({'consent_source': 'in_store'})
        plan.action_apply()
        self.assertEqual((montelukast.next_due_date, other.next_due_date),
                         (self._days(17), self._days(17)))

    def test_the_plan_lands_every_synced_prescription_on_a_sync_date(self):
        """Generated patients (a seeded generator): 2 to 4 prescriptions of 30 or 90 days,
        last filled 1 to 110 days ago (overdue ones too), some after an early refill (supply
        carried over). The plan proposes the best day of the month; every line that needs it
        gets its short fill (a pharmacist's early refill reason where too soon); after
        applying, every synced prescription falls due on its line's sync date (an overdue one
        whose sync date is today stays due today), a sync date of
        the enrolment, and no run-out day would have needed fewer short fills and refills too
        soon than the day proposed."""
        rng = random.Random(19)
        Plan = self.env['pharmacy.sync.plan'].sudo(self.pharmacist)
        checked = 0
        for n in range(6):
            patient = self._patient('Generated Sync Patient %d' % n)
            for _k in range(rng.randint(2, 4)):
                days = rng.choice((30, 30, 90))
                rx = self._prescription(patient_id=patient.id, days_supply=days,
                                        quantity=days, refills_authorized=11,
                                        date_written=self._days(-250))
                last = rng.randint(1, days + 20)
                if rng.random() < 0.4:      # an early refill before it: supply carried over
                    self._fill(rx, self._days(-last - days + rng.randint(0, 5)))
                self._fill(rx, self._days(-last))
            plan = Plan.browse(Plan.action_open(patient)['res_id'])
            options = [line.split(':')[1] for line in plan.sync_day_options.splitlines()]
            score = [int(text.split()[0]) + int(text.split(',')[1].split()[0])
                     for text in options]
            self.assertEqual(score[0], min(score))
            self.assertEqual(plan.sync_day, plan.best_sync_day)
            expected = {}
            for line in plan.line_ids:
                self.assertTrue(line.selected)
                expected[line.prescription_id] = line.sync_date
                if line.days_to_sync > 0:
                    rx = line.prescription_id
                    reason = 'other' if rx.refill_eligible_date > self._days(0) else False
                    line.write({'fill_short': True, 'early_refill_reason': reason})
            plan.write({'consent_source': 'in_store'})
            plan.action_apply()
            enrollment = self.Enrollment.search([('patient_id', '=', patient.id)])
            for rx, sync_date in expected.items():
                # due on the sync date (overdue ones: due now, filled at today's sync)
                self.assertEqual(max(rx.next_due_date, self._days(0)), sync_date, rx.rx_number)
                self.assertEqual(iso(sync_date_of(enrollment, fields.Date.from_string(
                    sync_date))), sync_date)
                checked += 1
        self.assertGreater(checked, 12)

    # --- the appointment flow ---------------------------------------------------------------
    def test_appointment_flow_and_therapy_changes(self):
        patient = self._patient('Sync Flow Patient')
        rx1 = self._prescription(patient_id=patient.id, sync_opt_in=True)
        rx2 = self._prescription(patient_id=patient.id, sync_opt_in=True)
        enrollment = self._enroll(patient, sync_rule='day', sync_day=self.today.day,
                                  anchor_date=False)
        [appointment] = enrollment.sudo(self.technician)._schedule_next_appointment()
        self.assertEqual((appointment.date, appointment.line_count, appointment.line_summary),
                         (iso(self.today), 2, 'Atorvastatin 20 mg, Atorvastatin 20 mg'))
        line1, line2 = [appointment.line_ids.filtered(lambda line: line.prescription_id == rx)
                        for rx in (rx1, rx2)]
        with self.assertRaisesRegex(UserError, 'Confirm the sync appointment'):
            line1.action_fill()
        line2.write({'therapy_change': 'dose_changed', 'change_note': '40 mg from now on'})
        appointment.action_confirm()
        self.assertEqual((appointment.state, appointment.confirmed_by, appointment.confirmed_on,
                          appointment.activity_ids), ('confirmed', self.technician,
                                                      iso(self.today), self.env['mail.activity']))
        self.assertEqual((line2.therapy_change, line2.change_note),
                         ('dose_changed', '40 mg from now on'))
        with self.assertRaisesRegex(UserError, '%s, %s' % tuple(
                appointment.line_ids.mapped('prescription_id.rx_number'))):
            appointment.action_filled()
        line1.action_fill()
        line2.action_fill()
        self.assertEqual(line1.fill_id.prescription_id, rx1)
        self.assertEqual(line2.fill_id.quantity, 30.0)
        appointment.action_filled()
        appointment.action_ready()
        self.assertEqual(appointment.line_ids.mapped('fill_id.state'), ['ready', 'ready'])
        appointment.action_pick_up()
        self.assertEqual((appointment.state, appointment.line_ids.mapped('fill_id.state')),
                         ('picked_up', ['picked_up', 'picked_up']))
        # the next cycle's appointment, one month on, is planned at pickup
        self.assertEqual(enrollment.appointment_ids.mapped('date'), [
            iso(self.today), iso(self.today + relativedelta(months=1))])
        with self.assertRaisesRegex(UserError, 'changes only through its actions, and none '
                                               'makes it To confirm'):
            appointment.write({'state': 'to_confirm'})
        with self.assertRaisesRegex(UserError, 'does not apply .* from Cancelled, Confirmed, '
                                               'Missed only'):
            appointment.action_back_to_confirm()

    def test_cron_twice_creates_one_next_appointment(self):
        patient = self._patient('Sync Cron Patient')
        self._prescription(patient_id=patient.id, sync_opt_in=True)
        enrollment = self._enroll(patient, anchor_date=self._days(-28))
        first = self.Appointment.create({'enrollment_id': enrollment.id,
                                         'date': self._days(-28)})
        first._pharmacy_server_write({'state': 'picked_up'})
        self.Enrollment._cron_schedule_appointments()
        self.Enrollment._cron_schedule_appointments()
        self.assertEqual(enrollment.appointment_ids.mapped('date'),
                         [first.date, iso(self.today)])   # -28 + 28
        self.assertEqual(len(enrollment.appointment_ids[-1].activity_ids), 1)
        # the database refuses a second appointment on the same date
        with self.assertRaises(psycopg2.IntegrityError), mute_logger('odoo.sql_db'):
            with self.env.cr.savepoint():
                self.Appointment.create({'enrollment_id': enrollment.id,
                                         'date': iso(self.today)})

    # --- drop-out and one open enrolment ----------------------------------------------------
    def test_drop_out_with_reason_and_one_open_enrolment(self):
        patient = self._patient('Sync Dropout Patient')
        self._prescription(patient_id=patient.id, sync_opt_in=True)
        enrollment = self._enroll(patient).sudo(self.technician)
        with self.assertRaisesRegex(ValidationError, 'already has an open refill sync'):
            self._enroll(patient)
        enrollment.action_pause()
        with self.assertRaisesRegex(ValidationError, 'already has an open refill sync'):
            self._enroll(patient)
        [appointment] = enrollment.sudo()._schedule_next_appointment() or [None]
        self.assertFalse(appointment)    # paused: no appointment planned
        enrollment.action_resume()
        [appointment] = enrollment._schedule_next_appointment()
        with self.assertRaisesRegex(ValidationError, 'Drop-out Reason of .* is required'):
            enrollment.action_confirm_drop_out()
        enrollment.write({'dropout_reason': 'missed_pickups', 'dropout_note': 'Twice'})
        enrollment.action_confirm_drop_out()
        self.assertEqual((enrollment.state, enrollment.dropout_date, appointment.state,
                          enrollment.next_sync_date),
                         ('dropped', iso(self.today), 'cancelled', False))
        # dropped out: the patient may enrol again
        self.assertEqual(self._enroll(patient).state, 'enrolled')
        report = self.env['pharmacy.sync.report'].search([('patient_id', '=', patient.id)])
        self.assertEqual(sorted(report.mapped('state')), ['dropped', 'enrolled'])
        self.assertEqual(report.filtered(lambda r: r.state == 'dropped').dropout_reason,
                         'missed_pickups')
        # the database itself refuses two open enrolments
        with self.assertRaises(psycopg2.IntegrityError), mute_logger('odoo.sql_db'):
            with self.env.cr.savepoint():
                self.env.cr.execute("""
                    INSERT INTO pharmacy_sync_enrollment
                           (patient_id, sync_rule, sync_day, enrolled_on, consent_source, state)
                    VALUES (%s, 'day', 1, pharmacy_today(NULL), 'in_store', 'enrolled')""",
                                    [patient.id])

    def test_no_enrolment_offered_to_a_patient_leaving(self):
        """A patient leaving the pharmacy (the core's hook, e.g. a dismissal approved) is not
        offered refill sync: the button is hidden and the server refuses."""
        patient = self._patient('Sync Leaving Patient')
        Partner = type(self.env['res.partner'])

        def leaving(partners):
            for partner in partners:
                partner.pharmacy_leaving = partner == patient
        with patch.object(Partner, '_compute_pharmacy_leaving', leaving):
            patient.invalidate_cache()
            with self.assertRaisesRegex(UserError, 'is leaving the pharmacy'):
                patient.sudo(self.technician).action_sync_enroll()
        view = self.env.ref('pharmacy_crm_sync.res_partner_patient_view_form_sync')
        self.assertIn("('pharmacy_leaving', '=', True)", view.arch)

    def test_sync_rule_is_checked(self):
        patient = self._patient('Sync Rule Patient')
        with self.assertRaisesRegex(ValidationError, 'Sync Day of .* from 1 to 31'):
            self._enroll(patient, sync_rule='day', sync_day=32)
        with self.assertRaisesRegex(ValidationError, 'Cycle of 28 or 30'):
            self._enroll(patient, cycle_days=31)

    # --- due together -------------------------------------------------------------------------
    def test_due_together(self):
        patient = self._patient('Due Together Patient')
        rxs = [self._prescription(patient_id=patient.id, date_written=self._days(-60))
               for _i in range(3)]
        # due in 3, 9 and 40 days: the first two are within 7 days of each other
        for rx, filled in zip(rxs, (-27, -21, 10 - 30 + 30 - 20)):
            self._fill(rx, self._days(filled))
        row = self.env['pharmacy.sync.due.together'].sudo(self.technician).search(
            [('patient_id', '=', patient.id)])
        self.assertEqual((row.prescription_count, row.first_due_date, row.last_due_date,
                          row.due_dates),
                         (2, self._days(3), self._days(9), '%s (Rx %s) %s, %s (Rx %s) %s' % (
                             rxs[0].medication_id.display_name, rxs[0].rx_number,
                             format_date(self.env, self._days(3)),
                             rxs[1].medication_id.display_name, rxs[1].rx_number,
                             format_date(self.env, self._days(9)))))
        self.assertNotIn(self._days(3), row.due_dates)   # never ISO
        self._enroll(patient)   # enrolled patients are not listed
        self.assertFalse(self.env['pharmacy.sync.due.together'].search(
            [('patient_id', '=', patient.id)]))

    def test_due_together_page_reads_its_medications_at_once(self):
        """The Due Together column of a page reads the medications of every row in one
        query, whatever their number (one query per row before: 94 queries a page of 80 on
        the 2,000-patient bench)."""
        Medication = self.env['pharmacy.medication']
        patients = self.env['res.partner']
        for index in range(3):
            patient = self._patient('Due Together Page %d' % index)
            patients |= patient
            for number, filled in enumerate((-27, -25)):   # due in 3 and 5 days
                medication = Medication.create({
                    'name': 'Page drug %d-%d' % (index, number), 'is_maintenance': True})
                self._fill(self._prescription(patient_id=patient.id,
                                              medication_id=medication.id,
                                              date_written=self._days(-60)),
                           self._days(filled))
        View = self.env['pharmacy.sync.due.together'].sudo(self.technician)
        View.search([('patient_id', 'in', patients.ids)]).read(['due_dates'])   # warm caches
        queries = []
        for size in (1, 3):
            rows = View.search([('patient_id', 'in', patients[:size].ids)])
            self.assertEqual(len(rows), size)
            self.env.clear()
            count = self.env.cr.sql_log_count
            rows.read(['due_dates'])
            queries.append(self.env.cr.sql_log_count - count)
        self.assertEqual(queries[0], queries[1], 'queries to read 1 row and 3 rows')

    def test_calendar_reads_its_appointments_at_once(self):
        """The calendar's fields (the title, the patient's name, the number of prescriptions)
        of 1 or 3 appointments cost the same queries: the patients' names and the lines are
        counted in one query (through the ORM: every column of each patient and every line,
        2 queries more per 1,000 appointments: 88 queries for a month of 8,572 at 100,000
        patients)."""
        appointments = self.Appointment
        for index in range(3):
            patient = self._patient('Sync Calendar Patient %d' % index)
            for _rx in range(index + 1):
                self._prescription(patient_id=patient.id, sync_opt_in=True)
            appointments |= self._enroll(
                patient, sync_rule='day', sync_day=self.today.day,
                anchor_date=False).sudo(self.technician)._schedule_next_appointment()
        view = self.env.ref('pharmacy_crm_sync.pharmacy_sync_appointment_view_calendar')
        self.assertIn('<field name="calendar_patient_name"/>', view.arch)
        names = ['display_name', 'date', 'state', 'calendar_patient_name', 'line_count']
        Appointment = self.Appointment.sudo(self.technician)
        Appointment.browse(appointments.ids).read(names)   # warm caches
        queries = []
        for size in (1, 3):
            self.env.clear()
            count = self.env.cr.sql_log_count
            rows = Appointment.browse(appointments[:size].ids).read(names)
            queries.append(self.env.cr.sql_log_count - count)
        self.assertEqual(queries[0], queries[1], 'queries to read 1 and 3 appointments')
        date = format_date(self.env, self.today)
        self.assertEqual(
            [(row['calendar_patient_name'], row['line_count'], row['display_name'])
             for row in rows],
            [('Sync Calendar Patient %d' % index, index + 1,
              'Sync Calendar Patient %d, %s' % (index, date)) for index in range(3)])

    def test_due_together_view_reads_the_frozen_pharmacy_date(self):
        """Due Together lists prescriptions due from 7 days before the pharmacy's today (New
        York's, whatever UTC says)."""
        self.env.ref('base.main_company').pharmacy_tz = 'America/New_York'
        self.env['ir.config_parameter'].set_param('pharmacy_crm.sync_due_window_days', '7')
        patient = self._patient('Due Together Frozen')
        for number in (1, 2):
            rx = self._prescription(patient_id=patient.id, date_written='2026-09-01',
                                    rx_number='TOGETHER%d' % number)
            self._fill(rx, '2026-10-28')   # due on 27 November
        View = self.env['pharmacy.sync.due.together']
        with frozen_clock(self.env, utc('2026-12-05 04:30')):   # New York: 4 December
            self.assertTrue(View.search([('patient_id', '=', patient.id)]))
        with frozen_clock(self.env, utc('2026-12-05 05:30')):   # New York: 5 December
            self.assertFalse(View.search([('patient_id', '=', patient.id)]))

    # --- access -------------------------------------------------------------------------------
    def test_access_matrix(self):
        """Staff read, write and create the enrolments, appointments and their lines; nobody
        deletes them; outsiders nothing."""
        for model in SYNC_MODELS[:3]:
            for user in (self.technician, self.pharmacist, self.manager, self.internal_user,
                         self.portal_user):
                staff = user in (self.technician, self.pharmacist, self.manager)
                for operation in ('read', 'write', 'create', 'unlink'):
                    self.assertEqual(self.env[model].sudo(user).check_access_rights(
                        operation, raise_exception=False), staff and operation != 'unlink',
                        '%s %s %s' % (user.login, operation, model))

    def test_access(self):
        for model in SYNC_MODELS:
            for user in (self.technician, self.pharmacist, self.manager):
                self.assertTrue(self.env[model].sudo(user).check_access_rights(
                    'read', raise_exception=False), '%s %s' % (user.login, model))
            for user in (self.internal_user, self.portal_user):
                for operation in ('read', 'write', 'create', 'unlink'):
                    self.assertFalse(self.env[model].sudo(user).check_access_rights(
                        operation, raise_exception=False), '%s %s' % (user.login, model))
        patient = self._patient('Sync Access Patient')
        enrollment = self._enroll(patient)
        for user in (self.internal_user, self.portal_user):
            with self.assertRaises(AccessError):
                enrollment.sudo(user).read(['patient_id'])
            with self.assertRaises(AccessError):
                patient.sudo(user).read(['sync_next_date'])
        with self.assertRaisesRegex(UserError, 'never deleted'):
            enrollment.sudo(self.manager).unlink()

    # --- report and settings ------------------------------------------------------------------
    def test_report_trips_per_month_before_and_after(self):
        """Enrolled 60 days ago. Before: pickups 130, 100 (two fills), 70 days ago: 3 days in the
        90 days before enrolment / 3 = 1.0 a month. After: pickups 55, 25 and 5 days ago: 3
        days in the 60 days since / 2 months = 1.5 a month."""
        patient = self._patient('Sync Report Patient')
        for days_ago in (130, 100, 100, 70, 55, 25, 5):
            rx = self._prescription(patient_id=patient.id, date_written=self._days(-140))
            self._fill(rx, self._days(-days_ago), state='picked_up',
                       pickup_date=self._days(-days_ago))
        enrollment = self._enroll(patient, enrolled_on=self._days(-60))
        row = self.env['pharmacy.sync.report'].sudo(self.technician).browse(enrollment.id)
        self.assertEqual((row.trips_before, row.trips_after, row.enrollment_count),
                         (1.0, 1.5, 1))

    def test_a_manager_sets_the_sync_settings(self):
        settings = self.env['res.config.settings'].sudo(self.manager).create({
            'pharmacy_sync_activity_days': 3, 'pharmacy_sync_excluded_forms': 'drops, cream',
            'pharmacy_sync_due_window_days': 10})
        settings.execute()
        Setting = self.env['pharmacy.setting']
        self.assertEqual(Setting.get('sync_activity_days'), 3)
        self.assertEqual(Setting.get('sync_excluded_forms'), ['drops', 'cream'])
        self.assertEqual(self.env['res.config.settings']._get_pharmacy_values()[
            'pharmacy_sync_due_window_days'], 10)
        with self.assertRaisesRegex(ValidationError, 'Dosage Forms Not Synced: pill is not '
                                                     'among capsule, cream, drops'):
            self.env['res.config.settings'].sudo(self.manager).create(
                {'pharmacy_sync_excluded_forms': 'tablet,pill'})
        # nothing excluded: every form is proposed
        self.env['res.config.settings'].sudo(self.manager).create(
            {'pharmacy_sync_excluded_forms': ''}).execute()
        self.assertEqual(Setting.get('sync_excluded_forms'), [])
        self.assertEqual(self.env['ir.config_parameter'].get_param(
            'pharmacy_crm.sync_excluded_forms'), 'none')

    def test_the_sync_settings_are_registered_and_checked_whichever_way(self):
        Setting = self.env['pharmacy.setting']
        settings = Setting._pharmacy_settings()
        self.assertEqual(
            [(spec.key, spec.kind, spec.default, spec.minimum, spec.maximum, spec.selection)
             for spec in (settings['sync_activity_days'], settings['sync_excluded_forms'],
                          settings['sync_due_window_days'])],
            [('pharmacy_crm.sync_activity_days', 'integer', 7, 0, 60, None),
             ('pharmacy_crm.sync_excluded_forms', 'keys',
              ('injection', 'drops', 'solution', 'suspension'), None, None,
              ('pharmacy.medication', 'dosage_form')),
             ('pharmacy_crm.sync_due_window_days', 'integer', 7, 1, 60, None)])
        Param = self.env['ir.config_parameter'].sudo(self.manager)
        forms = 'pharmacy_crm.sync_excluded_forms'
        self.assertEqual(Setting.get('sync_excluded_forms'),
                         ['injection', 'drops', 'solution', 'suspension'])
        Param.set_param(forms, ' capsule, tablet,capsule ')
        self.assertEqual((Param.get_param(forms), Setting.get('sync_excluded_forms')),
                         ('capsule,tablet', ['capsule', 'tablet']))
        Param.set_param(forms, 'none')
        self.assertEqual((Param.get_param(forms), Setting.get('sync_excluded_forms')),
                         ('none', []))
        with self.assertRaises(ValidationError) as err:
            Param.set_param(forms, 'tablet, pill')
        self.assertEqual(err.exception.name, 'Dosage Forms Not Synced: pill is not among '
                         'capsule, cream, drops, inhaler, injection, other, patch, solution, '
                         'suspension, tablet; write keys separated by commas, or "none" (got '
                         '"tablet, pill").')
        Param.search([('key', '=', forms)]).unlink()
        self.assertEqual(Setting.get('sync_excluded_forms'),
                         ['injection', 'drops', 'solution', 'suspension'])
        for key, wrong, message in (
                ('pharmacy_crm.sync_activity_days', '61', 'Call Before a Sync Date must be a '
                 'whole number of days from 0 to 60 (got "61").'),
                ('pharmacy_crm.sync_due_window_days', '0', 'Due Together Within must be a '
                 'whole number of days from 1 to 60 (got "0").')):
            with self.assertRaises(ValidationError) as err:
                Param.create({'key': key, 'value': wrong})
            self.assertEqual(err.exception.name, message)
        Param.create({'key': 'pharmacy_crm.sync_activity_days', 'value': '0'})
        self.assertEqual(Setting.get('sync_activity_days'), 0)
        with self.assertRaises(AccessError), mute_logger('odoo.models'):
            self.env['ir.config_parameter'].sudo(self.technician).set_param(forms, 'tablet')
        with self.assertRaises(AccessError):
            Setting.sudo(self.technician).set('sync_due_window_days', 10)
        self.assertIsNone(Param.get_param('pharmacy_crm.sync_due_window_days', None))

    def test_a_patient_who_leaves_drops_out_and_plans_are_cancelled(self):
        """The core's hooks (called e.g. by a dismissal): appointments from the date on are
        cancelled, earlier ones stay; when the patient leaves, the enrolment drops out."""
        patient = self._patient('Leaving Patient')
        enrollment = self.env['pharmacy.sync.enrollment'].create({
            'patient_id': patient.id, 'sync_rule': 'cycle',
            'anchor_date': fields.Date.to_string(self.today + timedelta(days=5)),
            'cycle_days': 28, 'consent_source': 'in_store'})
        Appointment = self.env['pharmacy.sync.appointment']
        day = lambda n: fields.Date.to_string(self.today + timedelta(days=n))  # noqa: E731
        during = Appointment.create({'enrollment_id': enrollment.id, 'date': day(5)})
        after = Appointment.create({'enrollment_id': enrollment.id, 'date': day(33)})
        self.assertIs(patient._pharmacy_cancel_plans(day(30)), True)
        self.assertEqual((during.state, after.state), ('to_confirm', 'cancelled'))
        self.assertEqual(enrollment.state, 'enrolled')
        self.assertIs(patient._pharmacy_patient_left('dismissed'), True)
        self.assertEqual((enrollment.state, enrollment.dropout_reason, during.state),
                         ('dropped', 'dismissed', 'cancelled'))
