"""Refill synchronization arithmetic: the short fill that brings a prescription to the sync
day, and the sync day itself. Dates are ``datetime.date``; day counts are whole days."""
import calendar
import datetime
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

SYNC_CYCLES = (28, 30)   # the days between two sync dates that a cycle may have


def short_fill_quantity(quantity, days_supply, days_to_sync, unit=1):
    """Quantity that lasts until the sync date, so that the patient never runs out.

    daily = quantity / days_supply; result = daily x days_to_sync rounded UP to a multiple of
    ``unit`` (a pack size, 1 for single units); 0 when days_to_sync <= 0. Computed in decimal
    so that 30 / 30 x 7 is 7, not 7.000000000000001 rounded up to 8.
    """
    if days_to_sync <= 0 or not quantity:
        return 0
    if days_supply <= 0:
        raise ValueError('days_supply must be at least 1 (got %r)' % (days_supply,))
    if unit <= 0:
        raise ValueError('unit must be more than 0 (got %r)' % (unit,))
    needed = Decimal(str(quantity)) * Decimal(days_to_sync) / Decimal(days_supply)
    unit = Decimal(str(unit))
    packs = (needed / unit).to_integral_value(ROUND_CEILING)
    result = packs * unit
    return int(result) if result == result.to_integral_value() else float(result)


def sync_date_in_month(year, month, sync_day):
    """The sync day in a month, clamped to the month's last day (31 -> 30 April)."""
    return datetime.date(year, month, min(sync_day, calendar.monthrange(year, month)[1]))


def next_sync_date(after, sync_day=None, anchor=None, cycle_days=None):
    """The first sync date on or after ``after``.

    - ``sync_day`` (1-31): that day of ``after``'s month if not past, else of the next month;
      a day the month lacks is the month's last day (31 -> 30 April, 28 or 29 February).
    - ``anchor`` and ``cycle_days``: the first anchor + k x cycle_days (k a whole number, may be
      negative) on or after ``after``.
    """
    if sync_day:
        if not 1 <= sync_day <= 31:
            raise ValueError('sync_day must be from 1 to 31 (got %r)' % (sync_day,))
        date = sync_date_in_month(after.year, after.month, sync_day)
        if date >= after:
            return date
        year, month = (after.year + 1, 1) if after.month == 12 else (after.year, after.month + 1)
        return sync_date_in_month(year, month, sync_day)
    if anchor and cycle_days:
        if cycle_days <= 0:
            raise ValueError('cycle_days must be at least 1 (got %r)' % (cycle_days,))
        cycles = -((anchor - after).days // cycle_days)   # ceil((after - anchor) / cycle)
        return anchor + datetime.timedelta(days=cycles * cycle_days)
    raise ValueError('next_sync_date needs a sync_day, or an anchor and cycle_days')


def sync_date_after(after, sync_rule, sync_day=None, anchor=None, cycle_days=None):
    """The first sync date on or after ``after`` by an enrollment's rule, or None while the rule
    is incomplete.

    - ``sync_rule`` ``'day'``: ``next_sync_date(after, sync_day=sync_day)``, for a ``sync_day``
      from 1 to 31 (31 is the month's last day: after 1 February 2027, 28 February);
    - ``sync_rule`` ``'cycle'``: ``next_sync_date(after, anchor=anchor, cycle_days=cycle_days)``,
      for an ``anchor`` date and a cycle of ``SYNC_CYCLES`` days (28 or 30);
    - anything else (no day, day 0 or 32, no anchor, a 29-day cycle, no rule): None.

    The sync date after a sync date D is ``sync_date_after(D + 1 day, ...)``.
    """
    if sync_rule == 'day' and sync_day and 1 <= sync_day <= 31:
        return next_sync_date(after, sync_day=sync_day)
    if sync_rule == 'cycle' and anchor and cycle_days in SYNC_CYCLES:
        return next_sync_date(after, anchor=anchor, cycle_days=cycle_days)
    return None


def sync_day_options(lines, today):
    """Each day of the month worth proposing as the sync day, best first.

    ``lines``: (run-out date, refill-too-soon date or None) of each prescription to sync, the
    run-out being today when the supply already ran out (or there was none). A prescription
    whose run-out falls on the sync date needs nothing; any other needs a short fill now of
    (first sync date on or after its run-out - its run-out) days, its supply on hand carried
    over, and that short fill is a refill too soon when today is before its refill-too-soon
    date (a payer rejects it; a pharmacist must give an early refill reason).

    Only the run-out days are candidates: on any other day every prescription needs a short
    fill, so a run-out day is always better. Returns a list of dicts ``day``, ``short_fills``,
    ``too_soon``, ``days_short`` (the days of medication dispensed short, all lines together)
    and ``first_sync`` (the first sync date on or after the earliest run-out), sorted by
    (short fills + refills too soon, days short, first sync date): the fewest short fills and
    refills too soon, then the least medication dispensed short, then the soonest.
    """
    lines = list(lines)
    options = []
    for day in sorted({run_out.day for run_out, _eligible in lines}):
        short = too_soon = days_short = 0
        for run_out, eligible in lines:
            days = (next_sync_date(run_out, sync_day=day) - run_out).days
            if days > 0:
                short += 1
                days_short += days
                if eligible and today < eligible:
                    too_soon += 1
        first = next_sync_date(min(run_out for run_out, _eligible in lines), sync_day=day)
        options.append({'day': day, 'short_fills': short, 'too_soon': too_soon,
                        'days_short': days_short, 'first_sync': first})
    options.sort(key=lambda o: (o['short_fills'] + o['too_soon'], o['days_short'],
                                o['first_sync']))
    return options


def prorated_copay(copay, days, days_supply):
    """copay x days / days_supply, rounded to cents (half up); None without a copay."""
    if copay is None or copay is False or days_supply <= 0:
        return None
    value = Decimal(str(copay)) * Decimal(max(days, 0)) / Decimal(days_supply)
    return float(value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))
