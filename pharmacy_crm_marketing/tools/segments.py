# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""A segment's membership, as SQL over every patient at once (no ORM).

A segment's *candidates* are the patients of its pharmacy matching every criterion it sets
(``AND``). A candidate is a *member* unless excluded; the exclusions always apply, each
candidate counted once, for the first reason in this order:

``left``        dismissed, deceased or transferred out (no longer served);
``archived``    the contact is archived;
``no_email``    no valid email address (``local@domain.tld``, no space);
``opted_out``   the contact opted out (Odoo's ``opt_out``);
``no_consent``  no *granted* email marketing consent (``pharmacy.consent``).

Dates are the pharmacy's (``pharmacy_today(company_id)``), never the server's.
"""

SEGMENT_EXCLUSIONS = ('left', 'archived', 'no_email', 'opted_out', 'no_consent')

VALID_EMAIL_RE = r'^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$'

CRITERIA_SQL = {
    # takes an active medication of the therapeutic class
    'therapeutic_class': """EXISTS (
        SELECT 1 FROM pharmacy_patient_medication m
          JOIN pharmacy_medication d ON d.id = m.medication_id
         WHERE m.patient_id = p.id AND m.active AND m.state = 'active'
           AND d.therapeutic_class_id = %s)""",
    # value score in the top N % of the company's active patients (ties included)
    'top_percent': """p.id IN (
        SELECT r.id FROM (
            SELECT q.id, cume_dist() OVER (ORDER BY q.pharmacy_value_score DESC) AS share
              FROM res_partner q
             WHERE q.is_patient AND q.active AND q.company_id = %s
               AND COALESCE(q.patient_state, 'active') = 'active'
               AND q.pharmacy_value_score IS NOT NULL) r
         WHERE r.share <= %s / 100.0)""",
    # born in the pharmacy's current month
    'birthday_this_month': """(p.birthdate_date IS NOT NULL AND
        EXTRACT(MONTH FROM p.birthdate_date) = EXTRACT(MONTH FROM pharmacy_today(p.company_id)))""",
    # first counted fill within the last N days (a patient without a fill: created then)
    'new_within_days': """COALESCE(
        (SELECT MIN(f.fill_date) FROM pharmacy_fill f WHERE f.patient_id = p.id AND f.counts),
        (p.create_date AT TIME ZONE 'UTC')::date) > pharmacy_today(p.company_id) - %s""",
    # a counted fill once, none in the last N days
    'lapsed_days': """EXISTS (SELECT 1 FROM pharmacy_fill f
                               WHERE f.patient_id = p.id AND f.counts)
        AND NOT EXISTS (SELECT 1 FROM pharmacy_fill f WHERE f.patient_id = p.id AND f.counts
                           AND f.fill_date > pharmacy_today(p.company_id) - %s)""",
}


def candidates_query(conditions):
    """SQL selecting the ids of the patients of the company ``%s`` (first parameter) that
    meet every SQL condition of ``conditions`` (on ``res_partner p``)."""
    where = ''.join('\n   AND %s' % condition for condition in conditions)
    return 'SELECT p.id FROM res_partner p WHERE p.is_patient AND p.company_id = %s' + where


def classify_query(candidates_sql):
    """SQL returning ``(patient id, reason)`` for each candidate, reason NULL for a member."""
    return """
        SELECT p.id,
               CASE WHEN COALESCE(p.patient_state, 'active') <> 'active' THEN 'left'
                    WHEN NOT p.active THEN 'archived'
                    WHEN p.email IS NULL OR btrim(p.email) !~ '{email_re}' THEN 'no_email'
                    WHEN p.opt_out THEN 'opted_out'
                    WHEN NOT EXISTS (
                        SELECT 1 FROM pharmacy_consent c
                         WHERE c.patient_id = p.id AND c.channel = 'email'
                           AND c.purpose = 'marketing' AND c.state = 'granted')
                        THEN 'no_consent'
               END
          FROM res_partner p
         WHERE p.id IN ({candidates})
    """.format(email_re=VALID_EMAIL_RE, candidates=candidates_sql)


# a profile row counting fewer members than this describes a handful of identifiable patients
PROFILE_MIN_MEMBERS = 5


def shown_profile_rows(rows, total, minimum=PROFILE_MIN_MEMBERS):
    """The rows of "what the members have in common" that may be shown, and how many were
    left out: ``(rows, hidden)``.

    Nothing is shown for a segment of fewer than ``minimum`` members (``rows`` is None): with
    one member, every row at 100% is that patient's clinical profile. Among more members, a
    row counting fewer than ``minimum`` of them (a rare class, an age band of two) is hidden
    for the same reason; the shares of the others stay computed on every member.
    """
    if total < minimum:
        return None, len(rows)
    shown = [row for row in rows if row[2] >= minimum]
    return shown, len(rows) - len(shown)
