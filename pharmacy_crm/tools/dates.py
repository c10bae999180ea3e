"""The pharmacy's clock and refill dates. Dates are ``datetime.date``; day counts are whole
days; moments are naive ``datetime.datetime`` in UTC, as Odoo stores them."""
import datetime
from decimal import ROUND_CEILING, Decimal

import pytz
from dateutil.relativedelta import relativedelta


def utcnow():
    """The current moment in UTC: the one clock every pharmacy date is read from.

    Tests freeze it (``pharmacy_crm.tests.common.frozen_clock``) together with its SQL twin
    ``pharmacy_today(company_id)``, which reads the same instant from the setting
    ``pharmacy.utcnow`` when a test sets it.
    """
    return datetime.datetime.utcnow()


def local_date(moment, tz_name):
    """The date it is in the time zone ``tz_name`` at the UTC ``moment``.

    date = (moment as UTC) converted to tz_name, its calendar date. An empty ``tz_name`` means
    UTC. Daylight saving time is the time zone's own: 2026-03-09 04:30 UTC is 00:30 on 9 March
    in New York (EDT, UTC-4), not 23:30 on 8 March (EST, UTC-5).
    """
    zone = pytz.timezone(tz_name) if tz_name else pytz.utc
    return pytz.utc.localize(moment).astimezone(zone).date()


def local_today(tz_name, now=None):
    """The date it is now (``now``: a UTC moment, default the clock) in ``tz_name``.

    "Today" is the pharmacy's date, never the user's or the database server's: a fill recorded
    at 8 pm in Pennsylvania is dated that day, although UTC is already tomorrow.
    """
    return local_date(now or utcnow(), tz_name)


def local_day_start(day, tz_name):
    """The UTC moment at which ``day`` starts (local midnight) in ``tz_name``: to compare a
    stored moment with a pharmacy date ("logged today", "in the last 7 days")."""
    zone = pytz.timezone(tz_name) if tz_name else pytz.utc
    midnight = zone.localize(datetime.datetime.combine(day, datetime.time.min), is_dst=None)
    return midnight.astimezone(pytz.utc).replace(tzinfo=None)


def next_due_date(last_fill, days_supply, lead_days=0):
    """Date the patient is due for a refill.

    run-out = last_fill + days_supply; due = run-out - lead_days.
    """
    return last_fill + datetime.timedelta(days=days_supply - lead_days)


def supply_run_out(fills):
    """Date the supply of a prescription's fills runs out, supply on hand carried over.

    ``fills``: (fill date, days supply) of the fills that count (a fill returned to stock is
    not passed), in any order. Each fill starts where the supply before it runs out, if that is
    later than its fill date (the rule of PQA's proportion of days covered): fills sorted by
    date, start = max(fill date, previous run-out), run-out = start + days supply. Unrolled,
    run-out = max over the fills f of (f's date + the days supply of every fill dated on or
    after f's date), which is the form the SQL twin computes. None without a fill.

    Why: a refill picked up 3 days early still leaves 3 days of tablets at home; counting its
    days from the fill date would make the patient due 3 days too soon, and a sync short fill
    recorded today would land before the sync date.
    """
    run_out = None
    for fill_date, days_supply in sorted(fills):
        start = max(fill_date, run_out) if run_out else fill_date
        run_out = start + datetime.timedelta(days=days_supply)
    return run_out


def refill_eligible_date(last_fill, days_supply, threshold=0.8):
    """Earliest date a payer pays for the refill (the refill-too-soon date).

    last_fill + ceil(days_supply * threshold), computed in decimal so that 30 x 0.8 is 24, not
    the 24.000000000000004 of binary floating point.
    """
    days = (Decimal(days_supply) * Decimal(str(threshold))).to_integral_value(ROUND_CEILING)
    return last_fill + datetime.timedelta(days=int(days))


def fill_status(state, today, date_expiry=None, refills_remaining=0, fill_count=0,
                refill_eligible_date=None):
    """Whether a prescription can be filled ``today``, as the server's fill rules decide:

    - ``'on_hold'`` / ``'discontinued'``: its state is not active;
    - ``'renewal'``: expired (today > expiry date) or no refill left after a fill (refills
      remaining 0 and at least one fill): a new prescription is needed;
    - ``'too_soon'``: today < the refill-too-soon date (a payer rejects the claim; a pharmacist
      may still fill it with an early refill reason);
    - ``'fillable'``: otherwise.
    The order is the order in which staff must act: a renewal first, then the date.
    """
    if state != 'active':
        return 'discontinued' if state == 'discontinued' else 'on_hold'
    if (date_expiry and today > date_expiry) or (fill_count and not refills_remaining):
        return 'renewal'
    if refill_eligible_date and today < refill_eligible_date:
        return 'too_soon'
    return 'fillable'


def prescription_expiry_date(date_written, schedule=None):
    """Date after which a prescription can no longer be filled.

    12 months after it was written; 6 months for controlled substances of schedules III to V.
    ``schedule`` is one of None/'none', '2', '3', '4', '5'. Month arithmetic is calendar
    arithmetic: 31 August + 6 months = 28 (or 29) February.
    """
    months = 6 if schedule in ('3', '4', '5') else 12
    return date_written + relativedelta(months=months)


# --- SQL twins ------------------------------------------------------------------------------
# The same formulas as SQL expressions, for the set-based code that computes them over many
# rows at once (e.g. an import). Each function takes SQL expressions (column names, query
# parameters such as ``%(threshold)s``, or literals) and returns an SQL expression of the
# value the Python function above gives; never pass it text from a user. ``pharmacy_crm``'s
# tests (test_dates_sql.py) run each twin in PostgreSQL against its Python formula.
def next_due_date_sql(last_fill, days_supply, lead_days=None):
    """SQL twin of ``next_due_date``: a ``date``.

    due = last_fill + days_supply - lead_days (``date + integer`` is a date in PostgreSQL).
    """
    if lead_days is None:
        return '({last} + {days})'.format(last=last_fill, days=days_supply)
    return '({last} + ({days} - {lead}))'.format(last=last_fill, days=days_supply,
                                                 lead=lead_days)


def supply_run_out_sql(fill_date, days_supply, partition):
    """SQL twin of ``supply_run_out``, as a window expression over the counted fills: for each
    fill, its date + the days supply of the fills of the same ``partition`` (e.g.
    ``prescription_id``) dated on or after it; the run-out is the ``max`` of it over the
    partition (take it in an outer query: a window cannot be aggregated in place). The window
    orders by date descending with the default RANGE frame, so that fills of the same date are
    all included (the order of same-day fills does not change the run-out).
    """
    return ('({date} + sum({days}) OVER (PARTITION BY {partition} ORDER BY {date} DESC)::int)'
            .format(date=fill_date, days=days_supply, partition=partition))


def refill_eligible_date_sql(last_fill, days_supply, threshold):
    """SQL twin of ``refill_eligible_date``: a ``date``.

    last_fill + ceil(days_supply x threshold), in ``numeric`` (exact decimal, as the Python
    twin's ``Decimal``): pass the threshold as text, e.g. the parameter ``str(threshold)``
    (``'0.8'``), so that 30 x 0.8 is 24 and not a binary float's 24.000000000000004.
    """
    return '({last} + ceil({days}::numeric * ({threshold})::numeric)::int)'.format(
        last=last_fill, days=days_supply, threshold=threshold)


def prescription_expiry_date_sql(date_written, schedule):
    """SQL twin of ``prescription_expiry_date``: a ``date``.

    date_written + 6 months for schedules '3', '4' and '5', + 12 months otherwise (NULL or
    'none' or '2'). PostgreSQL's month arithmetic is calendar arithmetic that keeps the day
    within the month, as ``relativedelta``: 31 August + 6 months = 28 (or 29) February.
    """
    return ("({written} + CASE WHEN {schedule} IN ('3', '4', '5') THEN interval '6 months' "
            "ELSE interval '12 months' END)::date").format(written=date_written,
                                                           schedule=schedule)


def fill_status_sql(state, today, date_expiry, refills_remaining, fill_count,
                    refill_eligible_date):
    """SQL twin of ``fill_status``: a ``varchar``, the same keys in the same order."""
    return ("(CASE WHEN {state} = 'discontinued' THEN 'discontinued' "
            "WHEN {state} <> 'active' THEN 'on_hold' "
            "WHEN {today} > {expiry} OR (COALESCE({fills}, 0) > 0 "
            "AND COALESCE({remaining}, 0) = 0) THEN 'renewal' "
            "WHEN {today} < {eligible} THEN 'too_soon' ELSE 'fillable' END)").format(
        state=state, today=today, expiry=date_expiry, fills=fill_count,
        remaining=refills_remaining, eligible=refill_eligible_date)
