# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo.exceptions import UserError, ValidationError

from .common import PharmacyCase


class TestFill(PharmacyCase):

    def test_short_fill_is_fewer_days_than_prescribed(self):
        rx = self._prescription(days_supply=30)
        self.assertFalse(self._fill(rx, '2024-01-05').is_short_fill)
        self.assertTrue(self._fill(rx, '2024-02-04', days_supply=12).is_short_fill)

    def test_returned_fill_counts_for_nothing_but_stays_in_history(self):
        rx = self._prescription()
        self._fill(rx, '2024-01-05')
        late = self._fill(rx, '2024-02-04')
        late.action_return_to_stock()
        self.assertEqual(late.state, 'returned')
        self.assertFalse(late.counts)
        self.assertEqual(rx.next_due_date, '2024-02-04')   # from Jan 5 + 30
        self.assertEqual(len(rx.fill_ids), 2)
        late.action_undo_return()
        self.assertEqual(rx.next_due_date, '2024-03-05')   # Feb 4 + 30 (leap February)

    def test_supply_on_hand_carries_over(self):
        """An early fill starts where the supply before it runs out; the refill-too-soon date
        stays the payer's, from the fill date; a returned fill carries nothing."""
        rx = self._prescription()
        self._fill(rx, '2024-01-05')                          # runs out Feb 4
        early = self._fill(rx, '2024-01-30', days_supply=90)  # day 25 of 30: not too soon
        # Feb 4 + 90 days (29 days of a leap February) = May 4, not Jan 30 + 90 = Apr 29
        self.assertEqual(rx.next_due_date, '2024-05-04')
        self.assertEqual(rx.refill_eligible_date, '2024-04-11')   # Jan 30 + 72 days
        early.action_return_to_stock()
        self.assertEqual(rx.next_due_date, '2024-02-04')

    def test_no_fill_beyond_the_refills(self):
        rx = self._prescription(refills_authorized=1, rx_number='R1')
        self._fill(rx, '2024-01-05')
        self._fill(rx, '2024-02-04')
        with self.assertRaises(ValidationError) as err:
            self._fill(rx, '2024-03-05')
        self.assertIn('Prescription R1 has no refills left: 1 refill(s) authorized, so at '
                      'most 2 fills', err.exception.name)
        # a returned fill frees its refill
        rx.fill_ids[0].action_return_to_stock()
        self._fill(rx, '2024-03-05')
        # and cannot come back while the refills are used up
        with self.assertRaises(ValidationError):
            rx.fill_ids.filtered(lambda f: f.state == 'returned').action_undo_return()

    def test_fill_dates_within_the_prescription(self):
        rx = self._prescription(rx_number='R2', date_written='2024-01-02')
        with self.assertRaises(ValidationError) as err:
            self._fill(rx, '2024-01-01')
        # dates in the user's format (en_US), never ISO
        self.assertIn('Fill date 01/01/2024 of R2 is before the prescription was written '
                      '(01/02/2024)', err.exception.name)
        with self.assertRaises(ValidationError) as err:
            self._fill(rx, '2025-01-03')
        self.assertIn('after the prescription expired (01/02/2025)', err.exception.name)
        self._fill(rx, '2025-01-02')  # the expiry day itself is fine

    def test_quantity_and_days_must_be_positive(self):
        rx = self._prescription(rx_number='R3')
        with self.assertRaises(ValidationError) as err:
            self._fill(rx, '2024-01-05', quantity=0)
        self.assertIn('Quantity of the fill of R3 must be more than 0', err.exception.name)
        with self.assertRaises(ValidationError) as err:
            self._fill(rx, '2024-01-05', days_supply=-5)
        self.assertIn('Days supply of the fill of R3 must be at least 1 day (got -5)',
                      err.exception.name)

    def test_pickup_flow(self):
        fill = self._fill(self._prescription(), '2024-01-05')
        fill.action_ready()
        fill.action_pick_up()
        self.assertEqual(fill.state, 'picked_up')
        self.assertEqual(fill.pickup_date, fill.env['res.company'].pharmacy_today())
        with self.assertRaises(UserError):
            fill.action_return_to_stock()
        with self.assertRaises(ValidationError) as err:
            self._fill(fill.prescription_id, '2024-02-05', state='picked_up')
        self.assertIn('Pickup date', err.exception.name)
