# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The reports' formulas on hand-computed cases."""
import unittest

from ..tools.rates import (campaign_return_points, churn_rate, group_fields, holdout_size, rate,
                           regroup_rates, rounded_rate)


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

    def test_a_group_rate_is_from_its_summed_counts(self):
        formulas = {'rate': (('came_back', 'sent'), rounded_rate)}
        # asked alone (the pivot's measure), the rate brings its counts into the query
        self.assertEqual(group_fields(['rate:avg', 'month'], formulas),
                         ['rate:avg', 'month', 'came_back', 'sent'])
        self.assertEqual(group_fields(['sent'], formulas), ['sent'])
        self.assertEqual(group_fields([], formulas), [])
        # 4 of 5 and 9 of 16 came back: 13 of 21 (61.9 %), not the average 68.1 %
        groups = [{'rate': 68.1, 'came_back': 13, 'sent': 21},
                  {'rate': 0.0, 'came_back': 0, 'sent': 0}, {'sent': 3}]
        self.assertEqual(regroup_rates(groups, formulas), [
            {'rate': 61.9, 'came_back': 13, 'sent': 21},
            {'rate': None, 'came_back': 0, 'sent': 0}, {'sent': 3}])
