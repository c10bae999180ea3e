# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Refill sync formulas of pharmacy_crm/tools/sync.py, values computed by hand (pytest only)."""
from datetime import date, timedelta

import pytest

from ..tools import (SYNC_CYCLES, next_sync_date, prorated_copay, short_fill_quantity,
                     sync_date_after, sync_day_options)


@pytest.mark.parametrize('quantity, days_supply, days_to_sync, unit, expected', [
    (30, 30, 10, 1, 10),     # 1 a day x 10 days
    (30, 30, 10, 7, 14),     # 10 tablets rounded up to a pack of 7: 2 packs
    (28, 28, 7, 7, 7),       # exactly one pack: not rounded up to two
    (60, 30, 11, 1, 22),     # 2 a day x 11 days
    (45, 30, 5, 1, 8),       # 1.5 a day x 5 = 7.5: rounded up, never short
    (90, 90, 17, 1, 17),     # a 90-day supply, 1 a day
    (45, 90, 17, 1, 9),      # a 90-day supply, half a tablet a day: 8.5 -> 9
    (180, 90, 17, 7, 35),    # a 90-day supply, 2 a day: 34 -> 5 packs of 7
    (30, 30, 0, 1, 0),       # already on the sync day
    (30, 30, -3, 7, 0),      # due after the sync day: no short fill
    (10, 30, 5, 0.5, 2),     # 1/3 a day x 5 = 1.67 -> 2.0 in halves
])
def test_short_fill_quantity(quantity, days_supply, days_to_sync, unit, expected):
    assert short_fill_quantity(quantity, days_supply, days_to_sync, unit) == expected


def test_short_fill_quantity_is_exact_in_decimal():
    # 0.1 x 3 is 0.30000000000000004 in binary floating point: rounded up it would be 0.4
    assert short_fill_quantity(3, 30, 3, 0.1) == 0.3


def test_short_fill_quantity_refuses_nonsense():
    with pytest.raises(ValueError, match='days_supply'):
        short_fill_quantity(30, 0, 5)
    with pytest.raises(ValueError, match='unit'):
        short_fill_quantity(30, 30, 5, unit=0)


@pytest.mark.parametrize('after, sync_day, expected', [
    (date(2027, 1, 10), 15, date(2027, 1, 15)),    # later this month
    (date(2027, 1, 15), 15, date(2027, 1, 15)),    # on the day: that day
    (date(2027, 1, 16), 15, date(2027, 2, 15)),    # past: next month
    (date(2026, 12, 20), 5, date(2027, 1, 5)),     # across the year end
    # month ends: the 31st is the month's last day
    (date(2027, 1, 31), 31, date(2027, 1, 31)),
    (date(2027, 2, 1), 31, date(2027, 2, 28)),
    (date(2027, 3, 1), 31, date(2027, 3, 31)),
    (date(2027, 4, 1), 31, date(2027, 4, 30)),
    (date(2028, 2, 1), 31, date(2028, 2, 29)),     # leap year
    (date(2028, 2, 1), 30, date(2028, 2, 29)),
    (date(2027, 2, 28), 30, date(2027, 2, 28)),
    (date(2027, 3, 1), 29, date(2027, 3, 29)),
])
def test_next_sync_date_day_of_month(after, sync_day, expected):
    assert next_sync_date(after, sync_day=sync_day) == expected


def test_next_sync_date_month_ends_in_sequence():
    """Jan 31 -> Feb 28 -> Mar 31: each next date the day after the previous one."""
    dates, after = [], date(2027, 1, 1)
    for _ in range(3):
        found = next_sync_date(after, sync_day=31)
        dates.append(found)
        after = date.fromordinal(found.toordinal() + 1)
    assert dates == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]


@pytest.mark.parametrize('after, expected', [
    (date(2026, 12, 10), date(2026, 12, 10)),   # the anchor itself
    (date(2026, 12, 11), date(2027, 1, 7)),     # 10 Dec + 28 = 7 Jan, across the year end
    (date(2027, 1, 7), date(2027, 1, 7)),
    (date(2027, 1, 8), date(2027, 2, 4)),       # + 56
    (date(2026, 11, 1), date(2026, 11, 12)),    # before the anchor: 10 Dec - 28 = 12 Nov
])
def test_next_sync_date_28_day_cycle(after, expected):
    assert next_sync_date(after, anchor=date(2026, 12, 10), cycle_days=28) == expected


def test_next_sync_date_30_day_cycle():
    assert next_sync_date(date(2027, 3, 2), anchor=date(2027, 1, 1), cycle_days=30) == \
        date(2027, 3, 2)    # 1 Jan + 60 days
    assert next_sync_date(date(2027, 3, 3), anchor=date(2027, 1, 1), cycle_days=30) == \
        date(2027, 4, 1)    # + 90 days


def test_next_sync_date_needs_a_rule():
    with pytest.raises(ValueError, match='sync_day'):
        next_sync_date(date(2027, 1, 1), sync_day=32)
    with pytest.raises(ValueError, match='anchor'):
        next_sync_date(date(2027, 1, 1))


@pytest.mark.parametrize('after, sync_rule, sync_day, anchor, cycle_days, expected', [
    # the last day of the month: 31 January, then 28 February (29 in a leap year), 31 March
    (date(2027, 1, 31), 'day', 31, None, 0, date(2027, 1, 31)),
    (date(2027, 2, 1), 'day', 31, None, 0, date(2027, 2, 28)),
    (date(2028, 2, 1), 'day', 31, None, 0, date(2028, 2, 29)),
    (date(2027, 3, 1), 'day', 31, None, 0, date(2027, 3, 31)),
    (date(2027, 4, 1), 'day', 31, None, 0, date(2027, 4, 30)),
    (date(2027, 2, 1), 'day', 30, None, 0, date(2027, 2, 28)),
    (date(2027, 3, 1), 'day', 30, None, 0, date(2027, 3, 30)),
    (date(2026, 12, 16), 'day', 15, None, 0, date(2027, 1, 15)),    # across the year end
    # a cycle from 31 January: + 28 days is 28 February, + 30 days 2 March (1 March in 2028)
    (date(2027, 2, 1), 'cycle', 0, date(2027, 1, 31), 28, date(2027, 2, 28)),
    (date(2028, 2, 1), 'cycle', 0, date(2028, 1, 31), 28, date(2028, 2, 28)),
    (date(2027, 2, 1), 'cycle', 0, date(2027, 1, 31), 30, date(2027, 3, 2)),
    (date(2028, 2, 1), 'cycle', 0, date(2028, 1, 31), 30, date(2028, 3, 1)),
    (date(2027, 3, 3), 'cycle', 0, date(2027, 1, 31), 30, date(2027, 4, 1)),   # + 60 days
    (date(2027, 2, 1), 'cycle', 0, date(2027, 3, 1), 28, date(2027, 2, 1)),    # before it
    # an incomplete rule: no sync date
    (date(2027, 2, 1), 'day', 0, None, 0, None),
    (date(2027, 2, 1), 'day', 32, None, 0, None),
    (date(2027, 2, 1), 'day', None, None, 28, None),
    (date(2027, 2, 1), 'cycle', 15, None, 28, None),                  # no anchor
    (date(2027, 2, 1), 'cycle', 0, date(2027, 1, 31), 29, None),      # not a cycle offered
    (date(2027, 2, 1), 'cycle', 0, date(2027, 1, 31), 0, None),
    (date(2027, 2, 1), False, 15, date(2027, 1, 31), 28, None),       # no rule chosen
])
def test_sync_date_after(after, sync_rule, sync_day, anchor, cycle_days, expected):
    assert sync_date_after(after, sync_rule, sync_day, anchor, cycle_days) == expected


def test_sync_date_after_steps_from_date_to_date():
    """Each next sync date is the first after the previous one: the 31st gives every month's
    last day, a 28-day cycle 28 days each time, a 30-day cycle 30."""
    def steps(**rule):
        dates, after = [], date(2028, 1, 1)
        for _i in range(4):
            found = sync_date_after(after, **rule)
            dates.append(found)
            after = found + timedelta(days=1)
        return dates

    assert steps(sync_rule='day', sync_day=31) == [
        date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31), date(2028, 4, 30)]
    assert steps(sync_rule='cycle', anchor=date(2028, 1, 31), cycle_days=28) == [
        date(2028, 1, 3), date(2028, 1, 31), date(2028, 2, 28), date(2028, 3, 27)]
    assert steps(sync_rule='cycle', anchor=date(2028, 1, 31), cycle_days=30) == [
        date(2028, 1, 1), date(2028, 1, 31), date(2028, 3, 1), date(2028, 3, 31)]
    assert SYNC_CYCLES == (28, 30)


@pytest.mark.parametrize('copay, days, days_supply, expected', [
    (10.0, 10, 30, 3.33),     # 3.333...
    (20.0, 5, 30, 3.33),      # 3.333...
    (25.0, 1, 30, 0.83),      # 0.8333...
    (15.0, 9, 30, 4.5),
    (0.5, 1, 2, 0.25),
    (0.05, 1, 2, 0.03),       # 0.025: half up
    (12.0, 0, 30, 0.0),
    (None, 10, 30, None),
])
def test_prorated_copay(copay, days, days_supply, expected):
    assert prorated_copay(copay, days, days_supply) == expected


def _summary(options):
    return [(o['day'], o['short_fills'], o['too_soon'], o['days_short'], o['first_sync'])
            for o in options]


def test_sync_day_options_the_montelukast_example():
    """Today 4 Dec. Montelukast runs out 7 Dec (too soon until 1 Dec: past); lisinopril runs
    out 21 Dec (too soon until 15 Dec). The 7th: lisinopril short 21 Dec -> 7 Jan, 17 days,
    too soon. The 21st: montelukast short 7 -> 21 Dec, 14 days, not too soon: the best."""
    today = date(2026, 12, 4)
    options = sync_day_options([(date(2026, 12, 7), date(2026, 12, 1)),
                                (date(2026, 12, 21), date(2026, 12, 15))], today)
    assert _summary(options) == [(21, 1, 0, 14, date(2026, 12, 21)),
                                 (7, 1, 1, 17, date(2026, 12, 7))]


def test_sync_day_options_ties_go_to_the_least_dispensed_short():
    """A runs out 7 Dec (eligible 1 Dec), B 21 Dec (15 Dec), C 28 Dec (22 Dec); today 4 Dec.
    7th:  B -> 7 Jan 17 days (too soon), C -> 7 Jan 10 days (too soon): 2 + 2, 27 days;
    21st: A -> 21 Dec 14 days, C -> 21 Jan 24 days (too soon): 2 + 1, 38 days;
    28th: A -> 28 Dec 21 days, B -> 28 Dec 7 days (too soon): 2 + 1, 28 days: the best."""
    today = date(2026, 12, 4)
    options = sync_day_options([(date(2026, 12, 7), date(2026, 12, 1)),
                                (date(2026, 12, 21), date(2026, 12, 15)),
                                (date(2026, 12, 28), date(2026, 12, 22))], today)
    assert _summary(options) == [(28, 2, 1, 28, date(2026, 12, 28)),
                                 (21, 2, 1, 38, date(2026, 12, 21)),
                                 (7, 2, 2, 27, date(2026, 12, 7))]


def test_sync_day_options_one_day_needs_nothing():
    """Both run out on the 10th (one in January): the 10th needs no short fill."""
    today = date(2026, 12, 4)
    options = sync_day_options([(date(2026, 12, 10), None), (date(2027, 1, 10), None)], today)
    assert _summary(options) == [(10, 0, 0, 0, date(2026, 12, 10))]
