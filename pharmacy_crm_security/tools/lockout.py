# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The lockout rule after failed logins, without the ORM.

A login attempt is refused when, among the attempts of the last ``minutes`` (the lockout
window), the attempts that did not succeed since the last successful one (from the same
address, or for the same login) number ``limit`` or more. Counting within a window makes the
refusal last a time, not for ever (OCA auth_brute_force bans until an administrator lifts
the ban); counting since the last success lets a user who mistyped once or twice start again
after signing in. An attempt whose password was right and whose login went on to a second
step ('second_factor': the code of an authenticator app, or a new password) neither counts nor
resets the count: the code guessed wrong after it does count.
"""
from datetime import timedelta


def window_start(now, minutes):
    """The first moment of the lockout window ending at ``now`` (a datetime)."""
    return now - timedelta(minutes=minutes)


def failures_since_success(results):
    """The number of unsuccessful attempts after the last successful one, ``results`` being
    the results of the attempts in the window, oldest first ('successful', 'failed',
    'banned', 'second_factor' or empty while an attempt runs).

    >>> failures_since_success(['failed', 'successful', 'failed', 'second_factor', 'banned'])
    2
    """
    count = 0
    for result in results:
        if result == 'successful':
            count = 0
        elif result and result != 'second_factor':
            count += 1
    return count
