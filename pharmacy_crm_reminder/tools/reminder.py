# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The rules of a reminder, without the ORM (the scheduled action says the same in SQL)."""
import re
from datetime import timedelta


def may_remind(sent_dates, today, gap_days=1, week_cap=3):
    """Whether a patient who was sent reminders on ``sent_dates`` may get one on ``today``.

    Caps: no reminder sent in the last ``gap_days`` days (dates d with today - gap < d <=
    today: 1 means at most one a day), and fewer than ``week_cap`` sent in the 7 days ending
    today (today - 7 < d <= today). Why both: the gap spreads reminders out, the week cap
    bounds what a patient with many prescriptions due at different dates receives.
    """
    recent = [d for d in sent_dates if today - timedelta(days=gap_days) < d <= today]
    week = [d for d in sent_dates if today - timedelta(days=7) < d <= today]
    return not recent and len(week) < week_cap


def mentions_any(text, names):
    """Whether ``text`` (a reminder's subject) mentions one of ``names`` (medication names),
    as a whole word and whatever the case: a subject is seen by whoever sees the inbox, so it
    never names a medication (e.g. "Atorvastatin" in "Your atorvastatin is due")."""
    text = text or ''
    return any(re.search(r'(?<!\w)%s(?!\w)' % re.escape(name.strip()), text, re.IGNORECASE)
               for name in names if name and name.strip())
