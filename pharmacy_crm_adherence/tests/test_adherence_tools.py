# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The PDC formula (tools/adherence.py) with values computed by hand (pytest only)."""
from datetime import date

import pytest

from ..tools import pdc
from ..tools.adherence import shifted_intervals

START, END = date(2025, 1, 1), date(2025, 12, 31)     # 365 days
D = date


def test_gaps():
    # index 2025-10-03 -> 90 days to 12-31; 30 + 30 covered, a gap in between
    fills = [('atorvastatin', D(2025, 10, 3), 30), ('atorvastatin', D(2025, 11, 17), 30)]
    assert pdc(fills, START, END) == pytest.approx(60 / 90, abs=1e-12)


def test_same_drug_overlap_is_shifted():
    # 12-01 + 30 days covers to 12-30; a refill on 12-10 starts 12-31: 31 days of 31 covered
    fills = [('atorvastatin', D(2025, 12, 1), 30), ('atorvastatin', D(2025, 12, 10), 30)]
    assert pdc(fills, START, END) == 1.0
    assert [i[3:] for i in shifted_intervals(fills, START, END)] == [
        (D(2025, 12, 1), D(2025, 12, 30)), (D(2025, 12, 31), D(2025, 12, 31))]


def test_shift_carries_over_several_fills():
    # three 10-day fills on 12-01: 12-01..10, 12-11..20, 12-21..30; index 12-01 -> 31 days
    # (two dates needed: the fourth fill on 12-02 shifts to 12-31)
    fills = [('x', D(2025, 12, 1), 10)] * 3 + [('x', D(2025, 12, 2), 10)]
    assert pdc(fills, START, END) == 1.0


def test_two_drugs_of_one_class_overlapping_are_not_shifted():
    # statin A 12-01..12-10, statin B 12-05..12-14: union 12-01..12-14 = 14 of 31 days
    fills = [('atorvastatin', D(2025, 12, 1), 10), ('simvastatin', D(2025, 12, 5), 10)]
    assert pdc(fills, START, END) == pytest.approx(14 / 31, abs=1e-12)


def test_supply_past_period_end_is_cut_off():
    # 12-01 10 days, 12-22 90 days: 10 + 10 (12-22..12-31) = 20 of 31
    fills = [('metformin', D(2025, 12, 1), 10), ('metformin', D(2025, 12, 22), 90)]
    assert pdc(fills, START, END) == pytest.approx(20 / 31, abs=1e-12)


def test_one_fill_is_none():
    assert pdc([('lisinopril', D(2025, 6, 1), 90)], START, END) is None


def test_two_fills_on_one_date_are_none():
    fills = [('lisinopril', D(2025, 6, 1), 30), ('losartan', D(2025, 6, 1), 30)]
    assert pdc(fills, START, END) is None


def test_fill_before_the_period_is_ignored():
    # the 2024-12-20 fill neither sets the index date nor covers days; it also leaves the
    # remaining fills on one date -> None, and with a second in-period date: 20 of 31
    before = ('metformin', D(2024, 12, 20), 90)
    assert pdc([before, ('metformin', D(2025, 12, 1), 10)], START, END) is None
    fills = [before, ('metformin', D(2025, 12, 1), 10), ('metformin', D(2025, 12, 22), 10)]
    assert pdc(fills, START, END) == pytest.approx(20 / 31, abs=1e-12)


def test_fill_after_the_period_is_ignored():
    fills = [('metformin', D(2025, 12, 1), 10), ('metformin', D(2026, 1, 2), 10)]
    assert pdc(fills, START, END) is None


def test_returned_fill_is_ignored():
    # the 12-11 fill was returned to stock: counted, it would cover 12-11..12-20 (30 of 31)
    fills = [('atorvastatin', D(2025, 12, 1), 10), ('atorvastatin', D(2025, 12, 11), 10, True),
             ('atorvastatin', D(2025, 12, 22), 10, False)]
    assert pdc(fills, START, END) == pytest.approx(20 / 31, abs=1e-12)
    # returned, it is no fill date either: one date left
    assert pdc(fills[:2], START, END) is None
    assert pdc([f[:3] for f in fills], START, END) == pytest.approx(30 / 31, abs=1e-12)


def test_brand_and_generic_of_one_ingredient_are_one_drug():
    # Lipitor and atorvastatin: one key, so the generic fill is shifted after the brand's
    # 12-01..12-10 to 12-11..12-20: 20 of 31; as two drugs they would overlap (15 of 31)
    one_drug = [('atorvastatin', D(2025, 12, 1), 10), ('atorvastatin', D(2025, 12, 6), 10)]
    assert pdc(one_drug, START, END) == pytest.approx(20 / 31, abs=1e-12)
    two_drugs = [('lipitor', D(2025, 12, 1), 10), ('atorvastatin', D(2025, 12, 6), 10)]
    assert pdc(two_drugs, START, END) == pytest.approx(15 / 31, abs=1e-12)


def test_unsorted_input():
    fills = [('x', D(2025, 12, 22), 10), ('y', D(2025, 12, 5), 10), ('x', D(2025, 12, 1), 10),
             ('x', D(2025, 12, 3), 10)]
    # x: 12-01..10, 12-11..20, 12-22..31; y: 12-05..14 inside x: 30 of 31
    assert pdc(fills, START, END) == pytest.approx(30 / 31, abs=1e-12)
    assert pdc(list(reversed(fills)), START, END) == pdc(fills, START, END)


def test_full_year_of_90_day_fills():
    fills = [('lisinopril', D(2025, 1, 1), 90), ('lisinopril', D(2025, 3, 25), 90),
             ('lisinopril', D(2025, 6, 20), 90), ('lisinopril', D(2025, 9, 15), 90)]
    # shifted: 01-01..03-31, 04-01..06-29, 06-30..09-27, 09-28..12-26 -> 360 of 365
    assert pdc(fills, START, END) == pytest.approx(360 / 365, abs=1e-12)
