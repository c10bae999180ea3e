# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, fields, models
from odoo.tools.misc import format_date

from ..models.res_company import boolean_search, month_start


class PharmacyActivePatientReport(models.Model):
    """Active patients per month: one row per patient and month in which the patient had at
    least one fill that counts (not returned to stock). Counting rows gives the number of
    active patients of a month; ``fill_count`` sums to the fills of those patients."""

    _name = 'pharmacy.active.patient.report'
    _inherit = ['pharmacy.sql.view.mixin', 'pharmacy.company.rule.mixin']
    _description = 'Active Patients per Month'
    _auto = False
    _order = 'month desc, patient_id'
    _rec_name = 'month'

    month = fields.Date(readonly=True, help='First day of the month.')
    patient_id = fields.Many2one('res.partner', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    fill_count = fields.Integer(string='Fills', readonly=True,
                                help='Fills of the patient that month (returned ones excluded).')

    in_last_12_months = fields.Boolean(
        string='Last 12 Months', compute='_compute_in_last_12_months',
        search='_search_in_last_12_months',
        help="The month is one of the 12 before the pharmacy's current month, or this one.")

    def _compute_in_last_12_months(self):
        start = month_start(self, -12)
        for row in self:
            row.in_last_12_months = row.month >= start

    @api.model
    def _search_in_last_12_months(self, operator, value):
        return boolean_search(operator, value, [('month', '>=', month_start(self, -12))])

    def name_get(self):
        """Patient, month in the user's language: e.g. "Sandra Tran, December 2026"."""
        return [(row.id, '%s, %s' % (row.patient_id.name or '', format_date(
            self.env, row.month, date_format='MMMM y'))) for row in self]

    def _view_query(self):
        return """
                SELECT min(fill.id) AS id,
                       date_trunc('month', fill.fill_date)::date AS month,
                       fill.patient_id,
                       fill.company_id,
                       count(*) AS fill_count
                  FROM pharmacy_fill fill
                 WHERE fill.counts
              GROUP BY date_trunc('month', fill.fill_date), fill.patient_id, fill.company_id
        """
