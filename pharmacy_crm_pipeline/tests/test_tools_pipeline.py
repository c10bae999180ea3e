# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The pipeline's pure helpers."""
import datetime
import unittest

from ..tools import season_start, sql_date_format


class TestToolsPipeline(unittest.TestCase):

    def test_sql_date_format(self):
        self.assertEqual(sql_date_format('%m/%d/%Y'), 'MM/DD/YYYY')
        self.assertEqual(sql_date_format('%d.%m.%Y'), 'DD.MM.YYYY')
        self.assertEqual(sql_date_format(None), 'YYYY-MM-DD')
        self.assertEqual(sql_date_format('%H'), 'YYYY-MM-DD')   # nothing of a date left

    def test_season_start(self):
        day = datetime.date
        self.assertEqual(season_start(day(2026, 8, 31), 9), day(2025, 9, 1))
        self.assertEqual(season_start(day(2026, 9, 1), 9), day(2026, 9, 1))
        self.assertEqual(season_start(day(2026, 12, 5), 1), day(2026, 1, 1))
