"""Refill dates. Dates are ``datetime.date``; day counts are whole days."""
import datetime
from decimal import ROUND_CEILING, Decimal

from dateutil.relativedelta import relativedelta


def next_due_date(last_fill, days_supply, lead_days=0):
    """Date the patient is due for a refill.

    run-out = last_fill + days_supply; due = run-out - lead_days.
    """
    return last_fill + datetime.timedelta(days=days_supply - lead_days)


def refill_eligible_date(last_fill, days_supply, threshold=0.8):
    """Earliest date a payer pays for the refill (the refill-too-soon date).

    last_fill + ceil(days_supply * threshold), computed in decimal so that 30 x 0.8 is 24, not
    the 24.000000000000004 of binary floating point.
    """
    days = (Decimal(days_supply) * Decimal(str(threshold))).to_integral_value(ROUND_CEILING)
    return last_fill + datetime.timedelta(days=int(days))


def prescription_expiry_date(date_written, schedule=None):
    """Date after which a prescription can no longer be filled.

    12 months after it was written; 6 months for controlled substances of schedules III to V.
    ``schedule`` is one of None/'none', '2', '3', '4', '5'. Month arithmetic is calendar
    arithmetic: 31 August + 6 months = 28 (or 29) February.
    """
    months = 6 if schedule in ('3', '4', '5') else 12
    return date_written + relativedelta(months=months)
