# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from ..models.mass_mailing import (MAILING_CONTACT, MAILING_CONTACT_TABLE,
                                   MAILING_STATISTICS_TABLE, MASS_MAILING)
from ..models.pharmacy_setting import CAMPAIGN_RETURN_DAYS
from ..tools.rates import campaign_return_points, rounded_rate

# the rates of a group of rows (a total, a month) from its summed counts
RATES = {
    'recipient_return_rate': (('recipient_return_count', 'recipient_count'), rounded_rate),
    'holdout_return_rate': (('holdout_return_count', 'holdout_count'), rounded_rate),
    'return_points': (('recipient_count', 'recipient_return_count', 'holdout_count',
                       'holdout_return_count'), campaign_return_points),
}


class PharmacyCampaignReturnReport(models.Model):
    """Campaign return, per mass mailing and pharmacy: how many patients the mailing was sent
    to came back to the counter (a counted fill dated, or a fill picked up, from the day after
    the send to the setting *Campaign Return Window* days after it: 30 by default; a fill
    later on the day of the send may have been on its way before the mail: not a return),
    against
    the same share in its hold-out group (recipients drawn at random and never sent it, dated
    by the first send), and the difference in percentage points
    (``tools.rates.campaign_return_points``). Counted set-based from the stored fills, which
    arrive mostly through the nightly import. Counts and rates only: no patient."""

    _name = 'pharmacy.campaign.return.report'
    _inherit = ['pharmacy.sql.view.mixin', 'pharmacy.company.rule.mixin',
                'pharmacy.rate.report.mixin']
    _pharmacy_rates = RATES
    _description = 'Campaign Return'
    _auto = False
    _pharmacy_counts_only = True   # read by anyone: see tests/pharmacy_models.py
    _order = 'sent_date desc, mailing_id, company_id'
    _rec_name = 'mailing_id'

    mailing_id = fields.Many2one(MASS_MAILING, readonly=True)
    sent_date = fields.Date(string='Sent', readonly=True,
                            help="The day the mailing was first sent (the pharmacy's date).")
    company_id = fields.Many2one('res.company', readonly=True)
    recipient_count = fields.Integer(string='Recipients', readonly=True,
                                     help='Patients the mailing was sent to.')
    recipient_return_count = fields.Integer(string='Recipients Who Came Back', readonly=True)
    recipient_return_rate = fields.Float(string='Recipients Came Back (%)', readonly=True,
                                         digits=(16, 1), group_operator='avg')
    holdout_count = fields.Integer(string='Held Out', readonly=True,
                                   help='Patients held out of the mailing (never sent it).')
    holdout_return_count = fields.Integer(string='Held Out Who Came Back', readonly=True)
    holdout_return_rate = fields.Float(string='Held Out Came Back (%)', readonly=True,
                                       digits=(16, 1), group_operator='avg')
    return_points = fields.Float(
        string='Campaign Return (points)', readonly=True, digits=(16, 1), group_operator='avg',
        help='Recipients who came back (%) minus held-out patients who came back (%): the '
             "mailing's effect beyond the patients who would have come anyway.")

    def _view_query(self):
        return """
            WITH window_days AS (
                     SELECT COALESCE((SELECT NULLIF(value, '')::integer FROM ir_config_parameter
                                       WHERE key = '{key}'), {default}) AS days),
                 reached AS (
                     SELECT s.mass_mailing_id AS mailing_id, s.sent AS moment,
                            CASE WHEN s.model = 'res.partner' THEN s.res_id
                                 ELSE c.pharmacy_patient_id END AS patient_id,
                            false AS held_out
                       FROM {statistics} s
                  LEFT JOIN {contacts} c ON s.model = '{contact_model}' AND c.id = s.res_id
                      WHERE s.sent IS NOT NULL AND s.mass_mailing_id IS NOT NULL
                  UNION ALL
                     SELECT h.mailing_id, h.date, h.patient_id, true
                       FROM pharmacy_mailing_holdout h),
                 people AS (
                     SELECT r.mailing_id, r.held_out, p.id AS patient_id, p.company_id,
                            ((r.moment AT TIME ZONE 'UTC') AT TIME ZONE
                              COALESCE(NULLIF(cp.tz, ''), 'UTC'))::date AS sent_on
                       FROM reached r
                       JOIN res_partner p ON p.id = r.patient_id AND p.is_patient
                       JOIN res_company co ON co.id = p.company_id
                       JOIN res_partner cp ON cp.id = co.partner_id),
                 outcomes AS (
                     SELECT pe.*, EXISTS (
                                SELECT 1 FROM pharmacy_fill f
                                 WHERE f.patient_id = pe.patient_id AND f.counts
                                   AND (f.fill_date BETWEEN pe.sent_on + 1
                                                        AND pe.sent_on + w.days
                                        OR f.pickup_date BETWEEN pe.sent_on + 1
                                                             AND pe.sent_on + w.days)
                            ) AS came_back
                       FROM people pe, window_days w),
                 counts AS (
                     SELECT mailing_id, company_id, min(sent_on) AS first_sent,
                            count(*) FILTER (WHERE NOT held_out) AS recipient_count,
                            count(*) FILTER (WHERE NOT held_out AND came_back)
                                AS recipient_return_count,
                            count(*) FILTER (WHERE held_out) AS holdout_count,
                            count(*) FILTER (WHERE held_out AND came_back) AS holdout_return_count
                       FROM outcomes
                   GROUP BY mailing_id, company_id),
                 rates AS (
                     SELECT counts.*,
                            100.0 * recipient_return_count / NULLIF(recipient_count, 0)
                                AS recipient_rate,
                            100.0 * holdout_return_count / NULLIF(holdout_count, 0)
                                AS holdout_rate
                       FROM counts)
            SELECT row_number() OVER (ORDER BY mailing_id, company_id) AS id,
                   mailing_id, first_sent AS sent_date, company_id,
                   recipient_count, recipient_return_count,
                   round(recipient_rate, 1) AS recipient_return_rate,
                   holdout_count, holdout_return_count,
                   round(holdout_rate, 1) AS holdout_return_rate,
                   round(recipient_rate - holdout_rate, 1) AS return_points
              FROM rates
        """.format(key=CAMPAIGN_RETURN_DAYS.key, default=int(CAMPAIGN_RETURN_DAYS.default),
                   statistics=MAILING_STATISTICS_TABLE, contacts=MAILING_CONTACT_TABLE,
                   contact_model=MAILING_CONTACT)
