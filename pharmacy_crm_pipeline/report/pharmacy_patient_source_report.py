# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models

from .pharmacy_pipeline_conversion_report import label_no_source


class PharmacyPatientSourceReport(models.Model):
    """New patients per source, medium and month, and how many were referred by a patient:
    word of mouth as a number. Counts only.

    A patient is new in the month of their first counted fill here (when they became the
    pharmacy's patient), else (no fill yet: a transfer just converted) the month they were
    recorded: a pharmacy that imports its dispensing history at go-live does not see every
    patient as new that month."""

    _name = 'pharmacy.patient.source.report'
    _inherit = ['pharmacy.sql.view.mixin', 'pharmacy.company.rule.mixin']
    _description = 'New Patients by Source'
    _auto = False
    _pharmacy_counts_only = True   # read by anyone: see tests/pharmacy_models.py
    _order = 'month desc'

    month = fields.Date(readonly=True)
    source_id = fields.Many2one('utm.source', readonly=True)
    medium_id = fields.Many2one('utm.medium', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    patient_count = fields.Integer(string='New Patients', readonly=True)
    referred_count = fields.Integer(string='Referred by a Patient', readonly=True)

    def _view_query(self):
        return """
            SELECT row_number() OVER (ORDER BY month, company_id, source_id, medium_id) AS id, *
              FROM (SELECT date_trunc('month', COALESCE(first_fill.fill_date,
                                                        p.create_date))::date AS month,
                           p.company_id,
                           p.pharmacy_source_id AS source_id,
                           p.pharmacy_medium_id AS medium_id, count(*) AS patient_count,
                           count(p.pharmacy_referred_by_id) AS referred_count
                      FROM res_partner p
                 LEFT JOIN (SELECT f.patient_id, min(f.fill_date) AS fill_date
                              FROM pharmacy_fill f WHERE f.counts
                          GROUP BY f.patient_id) first_fill ON first_fill.patient_id = p.id
                     WHERE p.is_patient
                  GROUP BY 1, 2, 3, 4) grouped
        """

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False,
                   lazy=True):
        return label_no_source(super().read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy),
            _('No source recorded'))
