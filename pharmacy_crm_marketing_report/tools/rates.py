# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The rates of the marketing reports, pure (no ORM). The SQL views compute the same figures
set-based; these functions are their specification."""


def rate(part, whole):
    """``part`` out of ``whole`` in percent, or None when ``whole`` is 0 (no rate, rather than a
    misleading 0 %)."""
    if not whole:
        return None
    return 100.0 * part / whole


def campaign_return_points(recipients, recipients_returned, held_out, held_out_returned):
    """The campaign's return in percentage points: the share of recipients who came back
    (a counted fill or a pickup in the window after the send) minus the same share in the
    hold-out group, who were chosen at random among the same recipients and never sent the
    mailing.

    Why a difference: patients come back to the counter anyway (their refills are due); only
    the excess over a comparable group that was not mailed is the mailing's effect. None when
    either group is empty.

    >>> campaign_return_points(10, 4, 10, 1)
    30.0
    """
    sent_rate, held_rate = rate(recipients_returned, recipients), rate(held_out_returned,
                                                                       held_out)
    if sent_rate is None or held_rate is None:
        return None
    return round(sent_rate - held_rate, 1)


def churn_rate(lapsed, active_before):
    """Monthly churn in percent: patients who lapsed during the month (active at the end of the
    month before, no counted fill in the 90 days before this month's end) out of the patients
    active at the end of the month before. None without active patients the month before."""
    value = rate(lapsed, active_before)
    return None if value is None else round(value, 1)


def holdout_size(recipients, percent):
    """How many of ``recipients`` a hold-out of ``percent`` % keeps from a mailing: rounded
    half up, so 10 % of 25 holds 3 out (2.5 rounds up) and a percentage above 0 of a single
    recipient holds none out until the share reaches half a recipient."""
    return int(recipients * percent / 100.0 + 0.5)


def rounded_rate(part, whole):
    """``rate`` rounded to one decimal, as the reports show it; None when ``whole`` is 0."""
    value = rate(part, whole)
    return None if value is None else round(value, 1)


def group_fields(fields, formulas):
    """The fields a grouped read must sum for the rates it asks for: ``fields`` (a
    ``read_group`` fields list, ``name`` or ``name:agg``) plus every count a requested rate of
    ``formulas`` is computed from. ``formulas`` maps a rate field to ``(counts, function)``."""
    asked = {spec.split(':')[0] for spec in fields}
    extra = []
    for name, (counts, _function) in formulas.items():
        if name in asked or not fields:
            extra.extend(count for count in counts if count not in asked
                         and count not in extra)
    return list(fields) + extra if fields else fields


def regroup_rates(groups, formulas):
    """Recompute the rates of grouped rows (totals, months, mailings...) from their summed
    counts, in place: a rate of a group is its numerator's sum over its denominator's sum
    (13 of 21 recipients came back: 61.9 %), never the average of the rows' rates (the
    average of 4/5 and 9/16 is 68.1 %, which describes no group of patients).
    ``formulas`` maps a rate field to ``(counts, function)``: ``function(*counts)`` gives the
    rate or None (no rate: an empty denominator). Returns ``groups``."""
    for group in groups:
        for name, (counts, function) in formulas.items():
            if name in group and all(count in group for count in counts):
                group[name] = function(*(group[count] or 0 for count in counts))
    return groups
