# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The pharmacy's clock (tools/dates.py), with dates worked out by hand (pytest only).

New York is UTC-5 in winter (EST) and UTC-4 in summer (EDT); in 2026 summer time starts on
8 March at 2:00 and ends on 1 November at 2:00. Brussels is UTC+1 in winter.
"""
from datetime import date, datetime

import pytest

from ..tools.dates import fill_status, local_date, local_day_start, local_today, supply_run_out

NY = 'America/New_York'


@pytest.mark.parametrize('moment, tz, expected', [
    ('2026-12-04 23:30', NY, date(2026, 12, 4)),            # 18:30 EST: the evening shift
    ('2026-12-05 04:30', NY, date(2026, 12, 4)),            # 23:30 EST
    ('2026-12-05 05:00', NY, date(2026, 12, 5)),            # midnight EST
    ('2026-12-04 23:30', 'Europe/Brussels', date(2026, 12, 5)),   # 00:30 CET
    ('2026-12-04 23:30', 'America/Los_Angeles', date(2026, 12, 4)),
    ('2026-12-04 23:30', None, date(2026, 12, 4)),          # no time zone: UTC
    ('2026-03-08 04:30', NY, date(2026, 3, 7)),             # 23:30 EST, before the change
    ('2026-03-09 03:30', NY, date(2026, 3, 8)),             # 23:30 EDT, after it
    ('2026-03-09 04:30', NY, date(2026, 3, 9)),             # 00:30 EDT (EST would say 8 March)
    ('2026-11-01 03:30', NY, date(2026, 10, 31)),           # 23:30 EDT
    ('2026-11-02 04:30', NY, date(2026, 11, 1)),            # 23:30 EST (EDT would say 2 Nov)
])
def test_local_date(moment, tz, expected):
    moment = datetime.strptime(moment, '%Y-%m-%d %H:%M')
    assert local_date(moment, tz) == expected
    assert local_today(tz, now=moment) == expected


@pytest.mark.parametrize('day, expected', [
    (date(2026, 12, 4), datetime(2026, 12, 4, 5, 0)),      # EST
    (date(2026, 3, 8), datetime(2026, 3, 8, 5, 0)),        # the change is at 2:00: EST at 0:00
    (date(2026, 3, 9), datetime(2026, 3, 9, 4, 0)),        # EDT
    (date(2026, 11, 1), datetime(2026, 11, 1, 4, 0)),      # still EDT at 0:00
])
def test_local_day_start(day, expected):
    assert local_day_start(day, NY) == expected
    assert local_date(expected, NY) == day


# supply on hand carries over: each fill starts where the supply before it runs out
@pytest.mark.parametrize('fills, expected', [
    ([], None),
    # one fill: 1 Dec + 30 days
    ([(date(2026, 12, 1), 30)], date(2026, 12, 31)),
    # the montelukast of the sync example: 30 days filled 7 Nov run out 7 Dec; a 14-day sync
    # short fill recorded on 4 Dec starts on 7 Dec (3 days still at home) -> 21 Dec, the sync
    # date (counted from the fill date it would be 18 Dec)
    ([(date(2026, 11, 7), 30), (date(2026, 12, 4), 14)], date(2026, 12, 21)),
    # a chain of early fills, 30 days each: 1 Oct -> 31 Oct; filled 25 Oct starts 31 Oct ->
    # 30 Nov; filled 24 Nov starts 30 Nov -> 30 Dec; filled 22 Dec starts 30 Dec -> 29 Jan
    ([(date(2026, 10, 1), 30), (date(2026, 10, 25), 30), (date(2026, 11, 24), 30),
      (date(2026, 12, 22), 30)], date(2027, 1, 29)),
    # the order given does not matter
    ([(date(2026, 12, 22), 30), (date(2026, 10, 1), 30), (date(2026, 11, 24), 30),
      (date(2026, 10, 25), 30)], date(2027, 1, 29)),
    # a late fill loses nothing and gains nothing: the supply ran out on 31 Oct, the fill of
    # 5 Nov starts on 5 Nov -> 5 Dec
    ([(date(2026, 10, 1), 30), (date(2026, 11, 5), 30)], date(2026, 12, 5)),
    # a 90-day fill after a 30-day one: 30 days from 1 Oct run out 31 Oct; the 90 days filled
    # 26 Oct start on 31 Oct -> 29 Jan
    ([(date(2026, 10, 1), 30), (date(2026, 10, 26), 90)], date(2027, 1, 29)),
    # a vacation supply: 30 days on 1 Dec, 30 more on 10 Dec before a trip -> 31 Dec + 30
    ([(date(2026, 12, 1), 30), (date(2026, 12, 10), 30)], date(2027, 1, 30)),
    # two fills on one day add up: 1 Dec + 30 + 30
    ([(date(2026, 12, 1), 30), (date(2026, 12, 1), 30)], date(2027, 1, 30)),
])
def test_supply_run_out(fills, expected):
    assert supply_run_out(fills) == expected


D = date(2026, 12, 4)


@pytest.mark.parametrize('args, expected', [
    (('active', D, date(2027, 1, 1), 3, 2, date(2026, 12, 1)), 'fillable'),
    (('active', D, date(2027, 1, 1), 3, 2, date(2026, 12, 4)), 'fillable'),   # from that day
    (('active', D, date(2027, 1, 1), 3, 2, date(2026, 12, 5)), 'too_soon'),
    (('active', D, date(2026, 12, 4), 3, 2, None), 'fillable'),    # the expiry day itself
    (('active', D, date(2026, 12, 3), 3, 2, None), 'renewal'),     # expired
    (('active', D, date(2027, 1, 1), 0, 1, None), 'renewal'),      # no refill left
    (('active', D, date(2027, 1, 1), 0, 0, None), 'fillable'),     # never filled: first fill
    (('active', D, date(2026, 12, 3), 3, 2, date(2026, 12, 9)), 'renewal'),   # renewal first
    (('on_hold', D, date(2026, 12, 3), 0, 1, None), 'on_hold'),
    (('discontinued', D, None, 3, 1, None), 'discontinued'),
])
def test_fill_status(args, expected):
    assert fill_status(*args) == expected
