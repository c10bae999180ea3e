# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Pure helpers of the pharmacy pipeline (no ORM)."""
import datetime

# strftime directives PostgreSQL's to_char spells otherwise (Odoo languages use these)
_TO_CHAR = (('%Y', 'YYYY'), ('%m', 'MM'), ('%d', 'DD'), ('%y', 'YY'), ('%b', 'Mon'),
            ('%B', 'FMMonth'), ('%e', 'FMDD'))


def sql_date_format(strftime_format):
    """The ``to_char`` pattern of a language's date format (``%m/%d/%Y`` -> ``MM/DD/YYYY``),
    so that the reason a lead was proposed, written by one SQL statement for thousands of
    patients, shows its dates as the user's language does. A directive without a twin is
    dropped rather than shown raw (ISO is used when nothing is left)."""
    pattern = strftime_format or '%Y-%m-%d'
    for directive, twin in _TO_CHAR:
        pattern = pattern.replace(directive, twin)
    while '%' in pattern:
        index = pattern.index('%')
        pattern = pattern[:index] + pattern[index + 2:]
    return pattern if any(c in pattern for c in 'YMD') else 'YYYY-MM-DD'


def season_start(today, start_month):
    """The first day of the current season (e.g. flu) that starts on the 1st of
    ``start_month`` each year: this year's start when ``today`` is on or after it, else last
    year's. A flu season starting in September: on 2026-08-31 the season began on 2025-09-01,
    on 2026-09-01 it begins that day. One lead per patient and season, so the rule needs the
    season's first day."""
    start = datetime.date(today.year, start_month, 1)
    return start if today >= start else datetime.date(today.year - 1, start_month, 1)
