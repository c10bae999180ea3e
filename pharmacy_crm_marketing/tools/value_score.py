# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""A patient's value to the pharmacy, from 0 to 100 (no ORM).

score = 100 x (sum of weight x part) / (sum of the weights of the parts known), each part in
[0, 1]:

============  ======  =====================================================================
part          weight  value
============  ======  =====================================================================
recency       30      1 - days since the last counted fill / 365, at least 0 (no fill: 0)
frequency     25      counted fills in the last 365 days / 24 (two a month), at most 1
maintenance   20      active maintenance prescriptions / 4, at most 1
tenure        15      days since the first counted fill / 1095 (three years), at most 1
adherence     10      share of the patient's classes adherent in the latest period; unknown
                      (no adherence feature, no row): left out, the other weights rescaled
============  ======  =====================================================================

Why: a pharmacy's best customers fill often and recently, keep maintenance therapy (the
revenue that repeats), have stayed for years and take their medication as prescribed; recency
weighs most because a patient who stopped filling is no longer a customer, whatever the past.
"""

WEIGHTS = (('recency', 30), ('frequency', 25), ('maintenance', 20), ('tenure', 15),
           ('adherence', 10))
RECENCY_DAYS = 365
FILLS_FULL = 24
MAINTENANCE_FULL = 4
TENURE_DAYS = 1095


def value_parts(days_since_last_fill, fills_12m, maintenance_rx, tenure_days,
                adherent_share=None):
    """The parts of the score, each in [0, 1] (adherence None when unknown)."""
    return {
        'recency': (0.0 if days_since_last_fill is None
                    else max(0.0, 1.0 - days_since_last_fill / RECENCY_DAYS)),
        'frequency': min(fills_12m / FILLS_FULL, 1.0),
        'maintenance': min(maintenance_rx / MAINTENANCE_FULL, 1.0),
        'tenure': min((tenure_days or 0) / TENURE_DAYS, 1.0),
        'adherence': adherent_share,
    }


def value_score(days_since_last_fill, fills_12m, maintenance_rx, tenure_days,
                adherent_share=None):
    """The score from 0 to 100, rounded to 2 decimals (see the module's docstring)."""
    parts = value_parts(days_since_last_fill, fills_12m, maintenance_rx, tenure_days,
                        adherent_share)
    known = [(weight, parts[name]) for name, weight in WEIGHTS if parts[name] is not None]
    return round(100.0 * sum(w * v for w, v in known) / sum(w for w, _v in known), 2)


def value_score_sql(last_days, fills_12m, maintenance, tenure_days, adherence):
    """The same formula as a SQL expression over SQL expressions (adherence may be NULL)."""
    parts = {
        'recency': 'COALESCE(GREATEST(0, 1 - (%s)::float / %d), 0)' % (last_days, RECENCY_DAYS),
        'frequency': 'LEAST((%s)::float / %d, 1)' % (fills_12m, FILLS_FULL),
        'maintenance': 'LEAST((%s)::float / %d, 1)' % (maintenance, MAINTENANCE_FULL),
        'tenure': 'LEAST(COALESCE((%s)::float, 0) / %d, 1)' % (tenure_days, TENURE_DAYS),
    }
    known = ' + '.join('%d * %s' % (weight, parts[name]) for name, weight in WEIGHTS
                       if name != 'adherence')
    weight_known = sum(weight for name, weight in WEIGHTS if name != 'adherence')
    adherence_weight = dict(WEIGHTS)['adherence']
    return ('ROUND((100 * (%(known)s + COALESCE(%(aw)d * (%(adh)s), 0)) / '
            '(%(wk)d + CASE WHEN (%(adh)s) IS NULL THEN 0 ELSE %(aw)d END))::numeric, 2)' % {
                'known': known, 'aw': adherence_weight, 'adh': adherence, 'wk': weight_known})
