# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The value score's formula on hand-computed cases."""
import unittest

from ..tools.value_score import value_score


class TestValueScoreFormula(unittest.TestCase):

    def test_every_part_known(self):
        # recency 1 - 73/365 = 0.8, frequency 12/24 = 0.5, maintenance 2/4 = 0.5,
        # tenure 365/1095 = 1/3, adherence 1: 24 + 12.5 + 10 + 5 + 10 = 61.5
        self.assertEqual(value_score(73, 12, 2, 365, 1.0), 61.5)

    def test_unknown_adherence_rescales_the_other_weights(self):
        # (24 + 12.5 + 10 + 5) / 90 x 100 = 57.222...
        self.assertEqual(value_score(73, 12, 2, 365), 57.22)

    def test_caps_and_no_fill(self):
        self.assertEqual(value_score(0, 48, 9, 5000, 1.0), 100.0)
        self.assertEqual(value_score(None, 0, 0, None), 0.0)
        self.assertEqual(value_score(400, 0, 0, 400, 0.0), 5.48)   # 15 x 400/1095 = 5.479
