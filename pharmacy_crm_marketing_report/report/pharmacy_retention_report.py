# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

ACTIVE_DAYS = 90

# Each pharmacy's today, computed once per company (``pharmacy_today`` per fill row would be
# called hundreds of thousands of times).
COMPANY_TODAY_SQL = """
    SELECT c.id AS company_id, pharmacy_today(c.id) AS today FROM res_company c
"""

# Per patient, company and month: the last counted fill of the month, the month of the
# patient's first counted fill, and the pharmacy's today. Shared by the retention and
# lifecycle views (after ``company_today``).
FILL_MONTHS_SQL = """
    SELECT grouped.*, min(grouped.month) OVER (PARTITION BY grouped.patient_id) AS first_month
      FROM (SELECT f.patient_id, f.company_id, date_trunc('month', f.fill_date)::date AS month,
                   max(f.fill_date) AS last_fill, t.today
              FROM pharmacy_fill f
              JOIN company_today t ON t.company_id = f.company_id
             WHERE f.counts
          GROUP BY f.patient_id, f.company_id, date_trunc('month', f.fill_date), t.today
           ) grouped
"""

# A patient is active at a month's end (today for the pharmacy's current month) when their
# last counted fill is at most 89 days before it: a 90-day window. A fill of month m can only
# make the patient active at the ends of months m to m+3, so each (patient, fill month) row
# gives at most 4 candidate months: no per-day or per-patient-month expansion.
ACTIVE_MONTHS_SQL = """
    SELECT DISTINCT fm.patient_id, fm.company_id, fm.first_month, fm.today, m.month
      FROM fill_months fm
CROSS JOIN LATERAL (
        SELECT (fm.month + k * interval '1 month')::date AS month
          FROM generate_series(0, 3) k) m
     WHERE m.month <= date_trunc('month', fm.today)::date
       AND fm.last_fill > LEAST((m.month + interval '1 month - 1 day')::date, fm.today)
                          - %(days)s
""" % {'days': ACTIVE_DAYS}


class PharmacyRetentionReport(models.Model):
    """Retention per month and pharmacy, counted from the stored fills (set-based SQL):

    - *active*: patients with a counted fill in the 90 days up to the month's end (up to today
      for the current month);
    - *new*: patients whose first counted fill ever is in the month;
    - *returned*: active at the month's end, not at the end of the month before, with a fill
      before this month (they had lapsed);
    - *lapsed*: active at the end of the month before, not at this month's end;
    - *churn*: lapsed / active at the end of the month before, in percent.

    So active = active the month before - lapsed + new + returned. Counts only: no patient."""

    _name = 'pharmacy.retention.report'
    _inherit = ['pharmacy.sql.view.mixin', 'pharmacy.company.rule.mixin']
    _description = 'Patient Retention per Month'
    _auto = False
    _pharmacy_counts_only = True   # read by anyone: see tests/pharmacy_models.py
    _order = 'month desc, company_id'
    _rec_name = 'month'

    month = fields.Date(readonly=True, help='First day of the month.')
    company_id = fields.Many2one('res.company', readonly=True)
    active_count = fields.Integer(
        string='Active', readonly=True,
        help="Patients with a counted fill in the 90 days up to the month's end.")
    previous_active_count = fields.Integer(
        string='Active the Month Before', readonly=True)
    new_count = fields.Integer(string='New', readonly=True,
                               help='Patients whose first counted fill is in the month.')
    returned_count = fields.Integer(
        string='Returned', readonly=True,
        help='Patients active again at the month end after they had lapsed.')
    lapsed_count = fields.Integer(
        string='Lapsed', readonly=True,
        help='Active at the end of the month before, no counted fill in the 90 days up to '
             "this month's end.")
    churn_rate = fields.Float(
        string='Churn (%)', readonly=True, digits=(16, 1), group_operator='avg',
        help='Lapsed out of the patients active at the end of the month before.')

    def _view_query(self):
        return """
            WITH company_today AS MATERIALIZED ({company_today}),
                 fill_months AS ({fill_months}),
                 active AS ({active}),
                 moves AS (
                     SELECT COALESCE(cur.patient_id, prev.patient_id) AS patient_id,
                            COALESCE(cur.company_id, prev.company_id) AS company_id,
                            COALESCE(cur.month, (prev.month + interval '1 month')::date) AS month,
                            COALESCE(cur.first_month, prev.first_month) AS first_month,
                            COALESCE(cur.today, prev.today) AS today,
                            cur.patient_id IS NOT NULL AS is_active,
                            prev.patient_id IS NOT NULL AS was_active
                       FROM active cur
                  FULL JOIN active prev
                         ON prev.patient_id = cur.patient_id
                        AND prev.company_id = cur.company_id
                        AND (prev.month + interval '1 month')::date = cur.month)
            SELECT row_number() OVER (ORDER BY m.month, m.company_id) AS id,
                   m.month, m.company_id,
                   count(*) FILTER (WHERE m.is_active) AS active_count,
                   count(*) FILTER (WHERE m.was_active) AS previous_active_count,
                   count(*) FILTER (WHERE m.is_active AND NOT m.was_active
                                      AND m.first_month = m.month) AS new_count,
                   count(*) FILTER (WHERE m.is_active AND NOT m.was_active
                                      AND m.first_month < m.month) AS returned_count,
                   count(*) FILTER (WHERE m.was_active AND NOT m.is_active) AS lapsed_count,
                   round(100.0 * count(*) FILTER (WHERE m.was_active AND NOT m.is_active)
                         / NULLIF(count(*) FILTER (WHERE m.was_active), 0), 1) AS churn_rate
              FROM moves m
             WHERE m.month <= date_trunc('month', m.today)::date
          GROUP BY m.month, m.company_id
        """.format(company_today=COMPANY_TODAY_SQL, fill_months=FILL_MONTHS_SQL,
                   active=ACTIVE_MONTHS_SQL)
