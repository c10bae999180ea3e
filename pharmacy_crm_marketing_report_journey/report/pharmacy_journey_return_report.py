# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from odoo.addons.pharmacy_crm_marketing_report.models.pharmacy_setting import (
    CAMPAIGN_RETURN_DAYS)
from odoo.addons.pharmacy_crm_marketing_report.report.pharmacy_campaign_return_report import (
    RATES)


class PharmacyJourneyReturnReport(models.Model):
    """Campaign return of the customer journeys, per journey, mail step and pharmacy, as for
    mass mailings: the participants a step's mail was sent to (the journey's history, outcome
    *Mail sent*, dated by the pharmacy) and how many came back to the counter (a counted fill
    dated, or a fill picked up, from the day after the send to the setting *Campaign Return
    Window* days after it), against the same share among the participants held out of the
    journey who reached that step (outcome *Held out*, dated the day the mail would have been
    sent), and the difference in percentage points
    (``pharmacy_crm_marketing_report.tools.rates.campaign_return_points``). Counts only."""

    _name = 'pharmacy.journey.return.report'
    _inherit = ['pharmacy.sql.view.mixin', 'pharmacy.company.rule.mixin',
                'pharmacy.rate.report.mixin']
    _pharmacy_rates = RATES
    _description = 'Journey Campaign Return'
    _auto = False
    _pharmacy_counts_only = True   # read by anyone: see tests/pharmacy_models.py
    _order = 'journey_id, step_id, company_id'
    _rec_name = 'journey_id'

    journey_id = fields.Many2one('pharmacy.journey', readonly=True)
    step_id = fields.Many2one('pharmacy.journey.step', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    recipient_count = fields.Integer(string='Participants Sent', readonly=True)
    recipient_return_count = fields.Integer(string='Came Back', readonly=True)
    recipient_return_rate = fields.Float(string='Came Back (%)', readonly=True,
                                         digits=(16, 1), group_operator='avg')
    holdout_count = fields.Integer(
        string='Held Out', readonly=True,
        help='Participants held out of the journey who reached the step (never sent it).')
    holdout_return_count = fields.Integer(string='Held Out Who Came Back', readonly=True)
    holdout_return_rate = fields.Float(string='Held Out Came Back (%)', readonly=True,
                                       digits=(16, 1), group_operator='avg')
    return_points = fields.Float(
        string='Campaign Return (points)', readonly=True, digits=(16, 1), group_operator='avg',
        help='Participants sent the mail who came back (%) minus held-out participants who '
             'came back (%): the effect of the mail beyond the patients who would have come '
             'anyway. Empty without a hold-out (Hold-out (%) on the journey).')

    def _view_query(self):
        return """
            WITH window_days AS (
                     SELECT COALESCE((SELECT NULLIF(value, '')::integer FROM ir_config_parameter
                                       WHERE key = '{key}'), {default}) AS days),
                 outcomes AS (
                     SELECT h.journey_id, h.step_id, h.company_id, h.patient_id,
                            h.outcome = 'held_out' AS held_out,
                            EXISTS (SELECT 1 FROM pharmacy_fill f
                                     WHERE f.patient_id = h.patient_id AND f.counts
                                       AND (f.fill_date BETWEEN h.date + 1 AND h.date + w.days
                                            OR f.pickup_date BETWEEN h.date + 1
                                                                 AND h.date + w.days))
                                AS came_back
                       FROM pharmacy_journey_history h, window_days w
                      WHERE h.outcome IN ('sent', 'held_out')),
                 counts AS (
                     SELECT journey_id, step_id, company_id,
                            count(*) FILTER (WHERE NOT held_out) AS recipient_count,
                            count(*) FILTER (WHERE NOT held_out AND came_back)
                                AS recipient_return_count,
                            count(*) FILTER (WHERE held_out) AS holdout_count,
                            count(*) FILTER (WHERE held_out AND came_back)
                                AS holdout_return_count
                       FROM outcomes
                   GROUP BY journey_id, step_id, company_id),
                 rates AS (
                     SELECT counts.*,
                            100.0 * recipient_return_count / NULLIF(recipient_count, 0)
                                AS recipient_rate,
                            100.0 * holdout_return_count / NULLIF(holdout_count, 0)
                                AS holdout_rate
                       FROM counts)
            SELECT row_number() OVER (ORDER BY journey_id, step_id, company_id) AS id,
                   journey_id, step_id, company_id, recipient_count, recipient_return_count,
                   round(recipient_rate, 1) AS recipient_return_rate,
                   holdout_count, holdout_return_count,
                   round(holdout_rate, 1) AS holdout_return_rate,
                   round(recipient_rate - holdout_rate, 1) AS return_points
              FROM rates
        """.format(key=CAMPAIGN_RETURN_DAYS.key, default=int(CAMPAIGN_RETURN_DAYS.default))
