# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from .pharmacy_lifecycle_mixin import LIFECYCLE_STATES


class PharmacyLifecycleReport(models.Model):
    """How many patients are in each lifecycle state at each month's end (see
    ``pharmacy.lifecycle.mixin``). Counts only: no patient."""

    _name = 'pharmacy.lifecycle.report'
    _inherit = ['pharmacy.lifecycle.mixin', 'pharmacy.sql.view.mixin',
                'pharmacy.company.rule.mixin']
    _description = 'Patient Lifecycle per Month'
    _auto = False
    _pharmacy_counts_only = True   # read by anyone: see tests/pharmacy_models.py
    _order = 'month desc, company_id, state'
    _rec_name = 'month'

    month = fields.Date(readonly=True, help='First day of the month.')
    company_id = fields.Many2one('res.company', readonly=True)
    state = fields.Selection(LIFECYCLE_STATES, readonly=True)
    patient_count = fields.Integer(string='Patients', readonly=True)

    def _view_query(self):
        return """
            WITH {patient_months}
            SELECT row_number() OVER (ORDER BY month, company_id, state) AS id,
                   month, company_id, state, count(*) AS patient_count
              FROM patient_months
          GROUP BY month, company_id, state
        """.format(patient_months=self._lifecycle_patient_months_from())
