# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .common import PharmacyCase


class TestPrescription(PharmacyCase):

    def test_expiry_is_12_months_or_6_for_schedules_3_to_5(self):
        self.assertEqual(self._prescription(date_written='2024-02-29').date_expiry, '2025-02-28')
        rx = self._prescription(medication_id=self.alprazolam.id, date_written='2023-08-31')
        self.assertEqual(rx.date_expiry, '2024-02-29')
        rx.date_written = '2023-03-31'
        self.assertEqual(rx.date_expiry, '2023-09-30')

    def test_due_and_refill_too_soon_dates_follow_the_last_counted_fill(self):
        rx = self._prescription()
        self.assertFalse(rx.next_due_date)
        self._fill(rx, '2024-01-31')
        self.assertEqual(rx.last_fill_date, '2024-01-31')
        self.assertEqual(rx.next_due_date, '2024-03-01')        # Jan 31 + 30 days (leap year)
        self.assertEqual(rx.refill_eligible_date, '2024-02-24')  # Jan 31 + ceil(30 x 0.8) = 24
        self._fill(rx, '2024-02-29', days_supply=14)             # a short fill
        # it starts when the supply on hand runs out (Mar 1): Mar 1 + 14 days
        self.assertEqual(rx.next_due_date, '2024-03-15')
        self.assertEqual(rx.refill_eligible_date, '2024-03-12')  # ceil(14 x 0.8) = ceil(11.2)

    def test_refill_threshold_is_a_setting(self):
        rx = self._prescription(days_supply=90, date_written='2023-12-01')
        self._fill(rx, '2023-12-20')
        self.assertEqual(rx.refill_eligible_date, '2024-03-01')  # Dec 20 + ceil(72.0), leap Feb
        # a new threshold saved in the pharmacy settings applies at once to existing ones
        self.env['res.config.settings'].sudo(self.manager).create(
            {'pharmacy_refill_threshold': 0.75}).execute()
        rx.invalidate_cache()   # read what was stored, not the cache
        self.assertEqual(rx.refill_eligible_date, '2024-02-26')  # ceil(67.5) = 68 days

    def test_refills_remaining_counts_fills_after_the_first(self):
        rx = self._prescription(refills_authorized=2)
        self.assertEqual(rx.refills_remaining, 2)
        self._fill(rx, '2024-01-05')
        self.assertEqual(rx.refills_remaining, 2)   # the first fill is the original
        fill = self._fill(rx, '2024-02-04')
        self.assertEqual(rx.refills_remaining, 1)
        fill.action_return_to_stock()
        self.assertEqual((rx.refills_remaining, rx.fill_count), (2, 1))

    def test_schedule_2_cannot_be_refilled(self):
        with self.assertRaises(ValidationError) as err:
            self._prescription(medication_id=self.oxycodone.id, refills_authorized=1,
                               rx_number='CII-1')
        self.assertIn('Refills authorized of CII-1 must be 0', err.exception.name)
        self.assertIn('schedule II', err.exception.name)
        rx = self._prescription(medication_id=self.oxycodone.id, refills_authorized=0)
        self.assertEqual(rx.schedule, '2')

    def test_schedules_3_to_5_allow_5_refills_at_most(self):
        self._prescription(medication_id=self.alprazolam.id, refills_authorized=5)
        with self.assertRaises(ValidationError) as err:
            self._prescription(medication_id=self.alprazolam.id, refills_authorized=6)
        self.assertIn('must be 5 or fewer', err.exception.name)

    def test_quantities_must_be_positive(self):
        with self.assertRaises(ValidationError) as err:
            self._prescription(days_supply=0, rx_number='R0')
        self.assertIn('Days supply of R0 must be at least 1 day (got 0)', err.exception.name)
        with self.assertRaises(ValidationError) as err:
            self._prescription(refills_authorized=-1, rx_number='R-1')
        self.assertIn('Refills authorized of R-1 cannot be negative (got -1)', err.exception.name)
        with self.assertRaises(ValidationError) as err:
            self._prescription(quantity=-30, rx_number='R-Q')
        self.assertIn('Quantity of R-Q cannot be negative (got -30.0)', err.exception.name)

    def test_discontinuing_stops_the_due_date_and_is_reversible(self):
        rx = self._prescription()
        self._fill(rx, '2024-01-31')
        wizard = self.env['pharmacy.prescription.discontinue'].sudo(self.pharmacist).create({
            'prescription_ids': [(6, 0, rx.ids)], 'reason': 'adverse_effect',
            'date': '2024-02-10', 'note': 'Myalgia'})
        wizard.action_confirm()
        self.assertEqual((rx.state, rx.discontinue_reason, rx.discontinue_date),
                         ('discontinued', 'adverse_effect', '2024-02-10'))
        self.assertFalse(rx.next_due_date)
        self.assertFalse(self.patient.next_due_date)
        self.assertEqual(len(rx.fill_ids), 1)       # history kept
        rx.sudo(self.pharmacist).action_resume()
        self.assertEqual(rx.state, 'active')
        self.assertEqual(rx.next_due_date, '2024-03-01')

    def test_only_pharmacists_discontinue(self):
        rx = self._prescription()
        with self.assertRaises(AccessError) as err:
            rx.sudo(self.technician).action_discontinue()
        self.assertIn('Only pharmacists may discontinue', err.exception.name)
        with self.assertRaises(AccessError):
            rx.sudo(self.technician)._discontinue('other', '2024-02-01')
        action = rx.sudo(self.pharmacist).action_discontinue()
        self.assertEqual(action['res_model'], 'pharmacy.prescription.discontinue')
        # putting on hold is a technician's call
        rx.sudo(self.technician).action_hold()
        self.assertEqual(rx.state, 'on_hold')
        self.assertFalse(rx.next_due_date)

    def test_discontinue_requires_a_reason(self):
        rx = self._prescription(rx_number='R-NR')
        with self.assertRaises(ValidationError) as err:
            rx._pharmacy_server_write({'state': 'discontinued'})
        self.assertIn('Discontinue reason of R-NR is required', err.exception.name)

    def test_call_prescriber_dials_the_phone(self):
        rx = self._prescription()
        action = rx.action_call_prescriber()
        self.assertEqual(action['url'], 'tel:+155501001234')
        self.prescriber.phone = False
        with self.assertRaises(UserError):
            rx.action_call_prescriber()

    def test_changes_are_tracked_in_the_chatter(self):
        rx = self._prescription().with_context(tracking_disable=False)
        rx.write({'dose': '2 tablets'})
        tracked = rx.message_ids.mapped('tracking_value_ids')
        self.assertEqual(tracked.mapped('field'), ['dose'])
        self.assertEqual(tracked.new_value_char, '2 tablets')

    def test_rx_number_unique_per_company(self):
        self._prescription(rx_number='DUP')
        with mute_logger('odoo.sql_db'), self.assertRaises(IntegrityError):
            self._prescription(rx_number='DUP')
