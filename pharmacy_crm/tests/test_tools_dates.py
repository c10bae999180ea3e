# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The pharmacy's clock (tools/dates.py), with dates worked out by hand (pytest only).

New York is UTC-5 in winter (EST) and UTC-4 in summer (EDT); in 2026 summer time starts on
8 March at 2:00 and ends on 1 November at 2:00. Brussels is UTC+1 in winter.
"""
from datetime import date, datetime

import pytest

from ..tools.dates import local_date, local_day_start, local_today

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
