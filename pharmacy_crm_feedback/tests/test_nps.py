# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The Net Promoter Score on hand-computed answers."""
import unittest

from ..tools.nps import category, nps


class TestNps(unittest.TestCase):

    def test_five_promoters_three_passives_two_detractors(self):
        # (5 - 2) / 10 = +30
        self.assertEqual(nps([10, 9, 9, 10, 9, 8, 7, 7, 6, 0]), 30.0)

    def test_bounds(self):
        self.assertEqual([category(score) for score in (0, 6, 7, 8, 9, 10)],
                         ['detractor', 'detractor', 'passive', 'passive', 'promoter',
                          'promoter'])
        self.assertEqual(nps([3, 3]), -100.0)
        self.assertEqual(nps([7, 9, 2]), 0.0)
        self.assertIsNone(nps([]))
        with self.assertRaises(ValueError):
            category(11)
