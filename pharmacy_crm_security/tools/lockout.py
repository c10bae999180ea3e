# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The lockout rule after failed logins, without the ORM.

A login attempt is refused when, among the attempts of the last ``minutes`` (the lockout
window), the attempts that did not succeed since the last successful one (from the same
address, or for the same login) number ``limit`` or more. Counting within a window makes the
refusal last a time, not for ever (OCA auth_brute_force bans until an administrator lifts
the ban); counting since the last success lets a user who mistyped once or twice start again
after signing in.
"""
from datetime import timedelta


def window_start(now, minutes):
    """The first moment of the lockout window ending at ``now`` (a datetime)."""
    return now - timedelta(minutes=minutes)


def failures_since_success(results):
    """The number of unsuccessful attempts after the last successful one, ``results`` being
    the results of the attempts in the window, oldest first ('successful', 'failed',
    'banned' or empty while an attempt runs).

    >>> failures_since_success(['failed', 'successful', 'failed', 'banned'])
    2
    """
    count = 0
    for result in results:
        count = 0 if result == 'successful' else count + (1 if result else 0)
    return count
