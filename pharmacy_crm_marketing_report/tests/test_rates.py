# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The reports' formulas on hand-computed cases."""
import unittest

from ..tools.rates import campaign_return_points, churn_rate, holdout_size, rate


class TestRates(unittest.TestCase):

    def test_campaign_return_in_points(self):
        # 4 of 10 recipients came back (40 %), 1 of 10 held out (10 %): +30 points
        self.assertEqual(campaign_return_points(10, 4, 10, 1), 30.0)
        # a mailing that did worse than nothing: 1/4 = 25 % against 2/5 = 40 %
        self.assertEqual(campaign_return_points(4, 1, 5, 2), -15.0)
        # no hold-out group: no comparison
        self.assertIsNone(campaign_return_points(10, 4, 0, 0))

    def test_churn_and_rates(self):
        self.assertEqual(churn_rate(1, 2), 50.0)
        self.assertEqual(churn_rate(1, 3), 33.3)
        self.assertIsNone(churn_rate(0, 0))
        self.assertIsNone(rate(1, 0))

    def test_holdout_size_rounds_half_up(self):
        self.assertEqual(holdout_size(20, 50), 10)
        self.assertEqual(holdout_size(25, 10), 3)    # 2.5
        self.assertEqual(holdout_size(24, 10), 2)    # 2.4
        self.assertEqual(holdout_size(1, 10), 0)
        self.assertEqual(holdout_size(0, 50), 0)
