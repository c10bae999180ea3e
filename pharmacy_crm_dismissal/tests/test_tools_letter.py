# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The letter's pure helpers (no database)."""
import unittest
from datetime import date

from ..tools.letter import address_lines, long_date, paragraphs


class TestLetterTools(unittest.TestCase):

    def test_address_lines_as_the_post_office_writes_them(self):
        self.assertEqual(address_lines('12 Main St', None, 'Lewisburg', 'PA', '17837'),
                         ['12 Main St', 'Lewisburg, PA 17837'])
        # no city: no stray comma ("PA, 17844 ," was printed)
        self.assertEqual(address_lines('1 Elm St ', ' Apt  2', None, 'PA', '17844'),
                         ['1 Elm St', 'Apt 2', 'PA 17844'])
        self.assertEqual(address_lines(None, None, 'Milton', None, None, 'Canada'),
                         ['Milton', 'Canada'])
        self.assertEqual(address_lines(), [])

    def test_long_dates_in_the_readers_language(self):
        day = date(2026, 12, 4)
        self.assertEqual(long_date(day, 'en_US'), 'December 4, 2026')
        self.assertEqual(long_date(day, 'es_ES'), '4 de diciembre de 2026')
        self.assertEqual(long_date(day, 'xx_YY'), 'December 4, 2026')

    def test_paragraphs_split_on_blank_lines(self):
        self.assertEqual(paragraphs('One\ntwo.\n\n\n Three. \n'), ['One two.', 'Three.'])
        self.assertEqual(paragraphs(None), [])
