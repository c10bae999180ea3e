# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models

from ..models.crm_lead import WORK_TYPES


class PharmacyPipelineConversionReport(models.Model):
    """Conversion of the pharmacy pipeline by work type, source, medium and month: counts and
    rates only, never a lead's text nor which patient it is about, so that marketing users
    read it (the leads themselves are pharmacy staff's).

    One row per company, month the lead was created, work type, source and medium:
    leads, won (probability 100), lost (archived), open. Conversion rate = won / (won + lost)
    x 100, computed per group in ``read_group`` (a rate is not summed)."""

    _name = 'pharmacy.pipeline.conversion.report'
    _inherit = ['pharmacy.sql.view.mixin', 'pharmacy.company.rule.mixin']
    _description = 'Pharmacy Pipeline Conversion'
    _auto = False
    _pharmacy_counts_only = True   # read by anyone: see tests/pharmacy_models.py
    _order = 'month desc, work_type'

    month = fields.Date(readonly=True)
    work_type = fields.Selection(WORK_TYPES, readonly=True)
    source_id = fields.Many2one('utm.source', readonly=True)
    medium_id = fields.Many2one('utm.medium', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    lead_count = fields.Integer(string='Leads', readonly=True)
    won_count = fields.Integer(string='Won', readonly=True)
    lost_count = fields.Integer(string='Lost', readonly=True)
    open_count = fields.Integer(string='Open', readonly=True)
    conversion_rate = fields.Float(
        string='Conversion (%)', readonly=True, group_operator='avg',
        help='Won / (won + lost) x 100: of the closed leads, the share won.')

    def _view_query(self):
        return """
            SELECT row_number() OVER (ORDER BY month, company_id, work_type, source_id,
                                      medium_id) AS id, *,
                   CASE WHEN won_count + lost_count > 0
                        THEN 100.0 * won_count / (won_count + lost_count) ELSE 0 END
                       AS conversion_rate
              FROM (SELECT date_trunc('month', l.create_date)::date AS month,
                           l.company_id, l.pharmacy_work_type AS work_type, l.source_id,
                           l.medium_id, count(*) AS lead_count,
                           count(*) FILTER (WHERE l.active AND l.probability >= 100)
                               AS won_count,
                           count(*) FILTER (WHERE NOT l.active) AS lost_count,
                           count(*) FILTER (WHERE l.active AND l.probability < 100)
                               AS open_count
                      FROM crm_lead l
                     WHERE l.pharmacy_work_type IS NOT NULL
                  GROUP BY 1, 2, 3, 4, 5) grouped
        """

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False,
                   lazy=True):
        result = super().read_group(domain, fields, groupby, offset=offset, limit=limit,
                                    orderby=orderby, lazy=lazy)
        for group in result:
            if 'conversion_rate' in group and 'won_count' in group and 'lost_count' in group:
                closed = (group['won_count'] or 0) + (group['lost_count'] or 0)
                group['conversion_rate'] = 100.0 * group['won_count'] / closed if closed else 0
        return label_no_source(result, _('No source recorded'))


def label_no_source(groups, label):
    """The group of the rows without a source is named ``label`` ("No source recorded";
    Odoo's pivot and graph say "Undefined"): a (0, label) pair, which they show as the label,
    the group's ``__domain`` (source_id = False) unchanged. Returns ``groups``."""
    for group in groups:
        if 'source_id' in group and not group['source_id']:
            group['source_id'] = (0, label)
    return groups
