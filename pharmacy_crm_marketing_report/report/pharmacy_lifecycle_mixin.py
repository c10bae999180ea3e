# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models, tools

from .pharmacy_retention_report import ACTIVE_MONTHS_SQL, COMPANY_TODAY_SQL, FILL_MONTHS_SQL

LIFECYCLE_STATES = [
    ('prospect', 'Prospect'),
    ('new', 'New'),
    ('active', 'Active'),
    ('synced', 'Synced'),
    ('lapsed', 'Lapsed'),
    ('transferred', 'Transferred out'),
    ('dismissed', 'Dismissed'),
    ('deceased', 'Deceased'),
]
LEFT_STATES = ('transferred', 'dismissed', 'deceased')


class PharmacyLifecycleMixin(models.AbstractModel):
    """The state of every patient at the end of every month since they were recorded (or
    first filled), as SQL: the lifecycle views count them (per month) and the moves between
    consecutive months.

    At a month's end (today for the current month), in this order of precedence:

    - *transferred out*, *dismissed*, *deceased*: the patient's status now, from the month it
      was last changed (the patient's tracked status change; without one, the month the
      patient record was last written);
    - *prospect*: recorded, no counted fill yet;
    - *new*: the first counted fill is in the month;
    - *lapsed*: no counted fill in the 90 days up to the month's end;
    - *synced*: active and enrolled in refill sync (``_lifecycle_synced_sql``: an addon that
      knows refill sync overrides it; none by default);
    - *active*: a counted fill in the 90 days up to the month's end.
    """

    _name = 'pharmacy.lifecycle.mixin'
    _description = 'Patient Lifecycle'

    def _create_view(self):
        """The state per patient and month is computed by a function of this view's own
        (``<table>_patient_months()``), which the view reads: PostgreSQL cannot estimate the
        rows of the per-patient month series, over-estimates the cost and, with JIT on (its
        default), spends seconds compiling a query that runs in milliseconds; the function
        runs its query with ``jit = off``."""
        cr = self.env.cr
        tools.drop_view_if_exists(cr, self._table)
        cr.execute('DROP FUNCTION IF EXISTS %s()' % self._lifecycle_function())
        cr.execute("""
            CREATE FUNCTION {function}()
            RETURNS TABLE (lc_patient integer, lc_company integer, lc_month date,
                           lc_state varchar)
            LANGUAGE sql STABLE SET jit = off AS $$
                WITH {patient_months}
                SELECT patient_id, company_id, month, state::varchar FROM patient_months
            $$
        """.format(function=self._lifecycle_function(),
                   patient_months=self._lifecycle_patient_months_sql()))
        return super()._create_view()

    def _lifecycle_function(self):
        return '%s_patient_months' % self._table

    def _lifecycle_patient_months_from(self):
        """The WITH clause ``patient_months`` of the views, read from the function."""
        return ('patient_months AS (SELECT lc_patient AS patient_id, lc_company AS company_id, '
                'lc_month AS month, lc_state AS state FROM %s())' % self._lifecycle_function())

    def _lifecycle_synced_sql(self):
        """SQL of ``(patient_id, date_from, date_to)``: the patient is synced at the dates from
        ``date_from`` (included) to ``date_to`` (excluded; NULL: still enrolled). Hook: none
        here; the refill sync glue gives the enrollments."""
        return ('SELECT NULL::integer AS patient_id, NULL::date AS date_from, '
                'NULL::date AS date_to WHERE false')

    def _lifecycle_patient_months_sql(self):
        """The WITH clauses ending in ``patient_months(patient_id, company_id, month,
        state)``."""
        return """
            company_today AS MATERIALIZED ({company_today}),
            fill_months AS ({fill_months}),
            first_fill AS (SELECT patient_id, min(month) AS first_month
                             FROM fill_months GROUP BY patient_id),
            active AS ({active}),
            synced AS ({synced}),
            status_changes AS (
                SELECT msg.res_id AS patient_id, max(msg.date) AS changed
                  FROM mail_message msg
                  JOIN mail_tracking_value track ON track.mail_message_id = msg.id
                 WHERE msg.model = 'res.partner' AND track.field = 'patient_state'
              GROUP BY msg.res_id),
            patients AS (
                SELECT p.id AS patient_id, p.company_id, ff.first_month,
                       LEAST(date_trunc('month', p.create_date)::date,
                             COALESCE(ff.first_month, 'infinity'::date)) AS start_month,
                       CASE WHEN p.patient_state IN {left} THEN p.patient_state END AS left_state,
                       date_trunc('month', COALESCE(sc.changed, p.write_date))::date AS left_month,
                       t.today
                  FROM res_partner p
                  JOIN company_today t ON t.company_id = p.company_id
             LEFT JOIN first_fill ff ON ff.patient_id = p.id
             LEFT JOIN status_changes sc ON sc.patient_id = p.id
                 WHERE p.is_patient AND p.company_id IS NOT NULL),
            grid AS (
                SELECT pt.*, m.month::date AS month,
                       LEAST((m.month + interval '1 month - 1 day')::date, pt.today) AS month_end
                  FROM patients pt
            CROSS JOIN LATERAL generate_series(pt.start_month,
                                               date_trunc('month', pt.today)::date,
                                               interval '1 month') m(month)),
            patient_months AS (
                SELECT g.patient_id, g.company_id, g.month,
                       CASE WHEN g.left_state IS NOT NULL AND g.month >= g.left_month
                                 THEN g.left_state
                            WHEN g.first_month IS NULL OR g.first_month > g.month THEN 'prospect'
                            WHEN g.first_month = g.month THEN 'new'
                            WHEN a.patient_id IS NULL THEN 'lapsed'
                            WHEN EXISTS (SELECT 1 FROM synced s
                                          WHERE s.patient_id = g.patient_id
                                            AND s.date_from <= g.month_end
                                            AND (s.date_to IS NULL OR s.date_to > g.month_end))
                                 THEN 'synced'
                            ELSE 'active' END AS state
                  FROM grid g
             LEFT JOIN active a ON a.patient_id = g.patient_id AND a.month = g.month)
        """.format(company_today=COMPANY_TODAY_SQL, fill_months=FILL_MONTHS_SQL,
                   active=ACTIVE_MONTHS_SQL,
                   synced=self._lifecycle_synced_sql(),
                   left="('%s')" % "', '".join(LEFT_STATES))
