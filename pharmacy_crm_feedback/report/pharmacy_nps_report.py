# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from ..tools.nps import DETRACTOR_MAX, PROMOTER_MIN, nps_from_counts

# the NPS of a group of months from its summed answers
RATES = {'nps': (('promoter_count', 'detractor_count', 'response_count'),
                 nps_from_counts)}


class PharmacyNpsReport(models.Model):
    """Net Promoter Score per month (of the answer, the pharmacy's date) and pharmacy: the
    completed satisfaction surveys of patients, promoters (9-10), passives (7-8), detractors
    (0-6) and the NPS, % promoters - % detractors (``tools.nps.nps``). Counts only."""

    _name = 'pharmacy.nps.report'
    _inherit = ['pharmacy.sql.view.mixin', 'pharmacy.company.rule.mixin',
                'pharmacy.rate.report.mixin']
    _pharmacy_rates = RATES
    _description = 'Net Promoter Score per Month'
    _auto = False
    _pharmacy_counts_only = True   # read by anyone: see tests/pharmacy_models.py
    _order = 'month desc, company_id'
    _rec_name = 'month'

    month = fields.Date(readonly=True, help='First day of the month of the answers.')
    company_id = fields.Many2one('res.company', readonly=True)
    response_count = fields.Integer(string='Answers', readonly=True)
    promoter_count = fields.Integer(string='Promoters', readonly=True,
                                    help='Answers of 9 or 10.')
    passive_count = fields.Integer(string='Passives', readonly=True, help='Answers of 7 or 8.')
    detractor_count = fields.Integer(string='Detractors', readonly=True,
                                     help='Answers from 0 to 6.')
    nps = fields.Float(string='NPS', readonly=True, digits=(16, 1), group_operator='avg',
                       help='Promoters (%) minus detractors (%), from -100 to +100.')

    def _view_query(self):
        return """
            SELECT row_number() OVER (ORDER BY month, company_id) AS id, counts.*,
                   round(100.0 * (promoter_count - detractor_count) / response_count, 1) AS nps
              FROM (SELECT date_trunc('month', i.pharmacy_answered_on)::date AS month,
                           p.company_id, count(*) AS response_count,
                           count(*) FILTER (WHERE i.pharmacy_nps_score >= {promoter})
                               AS promoter_count,
                           count(*) FILTER (WHERE i.pharmacy_nps_score > {detractor}
                                              AND i.pharmacy_nps_score < {promoter})
                               AS passive_count,
                           count(*) FILTER (WHERE i.pharmacy_nps_score <= {detractor})
                               AS detractor_count
                      FROM survey_user_input i
                      JOIN survey_survey s ON s.id = i.survey_id AND s.pharmacy_feedback
                      JOIN res_partner p ON p.id = i.partner_id AND p.is_patient
                     WHERE i.state = 'done' AND i.pharmacy_nps_score IS NOT NULL
                       AND i.pharmacy_answered_on IS NOT NULL
                  GROUP BY 1, 2) counts
        """.format(promoter=PROMOTER_MIN, detractor=DETRACTOR_MAX)
