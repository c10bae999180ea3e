# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from odoo.addons.pharmacy_crm_marketing_report.models.pharmacy_setting import (
    CAMPAIGN_RETURN_DAYS)


class PharmacyJourneyReturnReport(models.Model):
    """Campaign return of the customer journeys, per journey, mail step and pharmacy: the
    participants a step's mail was sent to (the journey's history, outcome *Mail sent*, dated
    by the pharmacy) and how many came back to the counter (a counted fill dated, or a fill
    picked up, on the day of the send or within the setting *Campaign Return Window* days
    after it), as for mass mailings. A journey has no hold-out group: no comparison, so no
    difference in points (see the mass mailings' report for that). Counts only."""

    _name = 'pharmacy.journey.return.report'
    _inherit = ['pharmacy.sql.view.mixin', 'pharmacy.company.rule.mixin']
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

    def _view_query(self):
        return """
            WITH window_days AS (
                     SELECT COALESCE((SELECT NULLIF(value, '')::integer FROM ir_config_parameter
                                       WHERE key = '{key}'), {default}) AS days),
                 outcomes AS (
                     SELECT h.journey_id, h.step_id, h.company_id, h.patient_id,
                            EXISTS (SELECT 1 FROM pharmacy_fill f
                                     WHERE f.patient_id = h.patient_id AND f.counts
                                       AND (f.fill_date BETWEEN h.date AND h.date + w.days
                                            OR f.pickup_date BETWEEN h.date
                                                                 AND h.date + w.days))
                                AS came_back
                       FROM pharmacy_journey_history h, window_days w
                      WHERE h.outcome = 'sent')
            SELECT row_number() OVER (ORDER BY journey_id, step_id, company_id) AS id,
                   journey_id, step_id, company_id, count(*) AS recipient_count,
                   count(*) FILTER (WHERE came_back) AS recipient_return_count,
                   round(100.0 * count(*) FILTER (WHERE came_back) / count(*), 1)
                       AS recipient_return_rate
              FROM outcomes
          GROUP BY journey_id, step_id, company_id
        """.format(key=CAMPAIGN_RETURN_DAYS.key, default=int(CAMPAIGN_RETURN_DAYS.default))
