# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The caps and the subject rule, on hand-computed cases."""
import unittest
from datetime import date

from ..tools.reminder import may_remind, mentions_any


class TestToolsReminder(unittest.TestCase):

    def test_caps(self):
        today = date(2025, 3, 10)
        self.assertTrue(may_remind([], today))
        self.assertFalse(may_remind([date(2025, 3, 10)], today))              # one a day
        self.assertTrue(may_remind([date(2025, 3, 9)], today))
        self.assertFalse(may_remind([date(2025, 3, 9)], today, gap_days=2))   # 9 > 10 - 2
        self.assertTrue(may_remind([date(2025, 3, 8)], today, gap_days=2))
        # the week: 4, 5, 6 March are > 10 - 7 = 3 March: three sent, capped
        week = [date(2025, 3, 4), date(2025, 3, 5), date(2025, 3, 6)]
        self.assertFalse(may_remind(week, today))
        self.assertTrue(may_remind(week, today, week_cap=4))
        self.assertTrue(may_remind([date(2025, 3, 3)] + week[1:], today))     # 3 March is out

    def test_subject_mentions(self):
        self.assertTrue(mentions_any('Your ATORVASTATIN refill', ['Atorvastatin']))
        self.assertTrue(mentions_any('Refill: Atorvastatin 20 mg', ['Atorvastatin 20 mg']))
        self.assertFalse(mentions_any('Your refill is due', ['Atorvastatin', '', False]))
        self.assertFalse(mentions_any('Insulinoma', ['Insulin']))          # a whole word
        self.assertFalse(mentions_any(False, ['Insulin']))
