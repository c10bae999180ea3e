# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Proportion of days covered (PDC), the Pharmacy Quality Alliance's adherence measure.

This is the specification of ``pharmacy.adherence.recompute_period``, which computes the same
figure in PostgreSQL for every patient and therapeutic class at once.
"""
from collections import defaultdict
from datetime import timedelta


def shifted_intervals(fills, period_start, period_end):
    """The days each fill covers, as ``(drug_key, fill_date, days_supply, start, end)``
    sorted by start, for the fills dated from ``period_start`` to ``period_end`` inclusive.

    Fills of one drug (same ``drug_key``) are taken by date: a fill starts on its date, or
    the day after the previous fill's supply ends if that is later (shifted),
    start_i = max(fill_date_i, end_(i-1) + 1), end_i = start_i + days_supply_i - 1, then cut
    off at ``period_end`` (an interval starting after it covers nothing and is left out).
    Fills of different drugs are not shifted.
    """
    by_drug = defaultdict(list)
    for drug_key, fill_date, days_supply in _counted(fills):
        if period_start <= fill_date <= period_end:
            by_drug[drug_key].append((fill_date, days_supply))
    intervals = []
    for drug_key, drug_fills in by_drug.items():
        previous_end = None
        for fill_date, days_supply in sorted(drug_fills):
            start = fill_date
            if previous_end is not None and previous_end + timedelta(days=1) > start:
                start = previous_end + timedelta(days=1)
            previous_end = start + timedelta(days=days_supply - 1)
            if start <= period_end:
                intervals.append((drug_key, fill_date, days_supply, start,
                                  min(previous_end, period_end)))
    intervals.sort(key=lambda i: (i[3], i[4], i[0], i[1]))
    return intervals


def _counted(fills):
    """The fills as (drug_key, fill_date, days_supply), without those returned to stock (a
    fourth element, true when the fill was returned)."""
    return [tuple(fill[:3]) for fill in fills if len(fill) < 4 or not fill[3]]


def pdc(fills, period_start, period_end):
    """PDC of one patient for one therapeutic class over a period.

    ``fills``: iterable of ``(drug_key, fill_date, days_supply)`` in any order, the drug key
    being the active ingredient (lower-cased by the caller, so a brand and its generic are one
    drug), dates as ``datetime.date``; a fourth element ``returned``, when true, marks a fill
    returned to stock, which never counts.

    - only fills dated from ``period_start`` to ``period_end`` inclusive count;
    - index date = the first such fill; treatment period = index date .. ``period_end``;
    - fills of one drug are shifted so they do not overlap (``shifted_intervals``); a day
      covered by two drugs counts once; supply past ``period_end`` is cut off;
    - PDC = covered days / (period_end - index date + 1 days), or None when the fills fall on
      fewer than two distinct dates.
    """
    fills = _counted(fills)
    dates = {f[1] for f in fills if period_start <= f[1] <= period_end}
    if len(dates) < 2:
        return None
    index_date = min(dates)
    return covered_days(shifted_intervals(fills, period_start, period_end)) / (
        (period_end - index_date).days + 1)


def covered_days(intervals):
    """Number of days in the union of ``intervals`` (as ``shifted_intervals`` returns them)."""
    covered = 0
    reached = None      # last day covered so far; intervals come sorted by start
    for _key, _date, _days, start, end in intervals:
        if reached is not None and start <= reached:
            start = reached + timedelta(days=1)
        if end >= start:
            covered += (end - start).days + 1
        reached = end if reached is None else max(reached, end)
    return covered
