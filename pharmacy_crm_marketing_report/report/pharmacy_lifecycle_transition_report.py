# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from .pharmacy_lifecycle_mixin import LIFECYCLE_STATES


class PharmacyLifecycleTransitionReport(models.Model):
    """The moves between lifecycle states from one month's end to the next: how many patients
    were in ``state_from`` at the end of the month before and in ``state_to`` at the end of
    ``month`` (staying in a state is a row too). Counts only: no patient."""

    _name = 'pharmacy.lifecycle.transition.report'
    _inherit = ['pharmacy.lifecycle.mixin', 'pharmacy.sql.view.mixin',
                'pharmacy.company.rule.mixin']
    _description = 'Patient Lifecycle Transitions'
    _auto = False
    _pharmacy_counts_only = True   # read by anyone: see tests/pharmacy_models.py
    _order = 'month desc, company_id, state_from, state_to'
    _rec_name = 'month'

    month = fields.Date(readonly=True, help='First day of the month the patients moved in.')
    company_id = fields.Many2one('res.company', readonly=True)
    state_from = fields.Selection(LIFECYCLE_STATES, string='From', readonly=True,
                                  help='State at the end of the month before.')
    state_to = fields.Selection(LIFECYCLE_STATES, string='To', readonly=True,
                                help="State at this month's end.")
    patient_count = fields.Integer(string='Patients', readonly=True)

    def _view_query(self):
        return """
            WITH {patient_months}
            SELECT row_number() OVER (ORDER BY cur.month, cur.company_id, prev.state,
                                      cur.state) AS id,
                   cur.month, cur.company_id, prev.state AS state_from, cur.state AS state_to,
                   count(*) AS patient_count
              FROM patient_months cur
              JOIN patient_months prev
                ON prev.patient_id = cur.patient_id
               AND prev.month = (cur.month - interval '1 month')::date
          GROUP BY cur.month, cur.company_id, prev.state, cur.state
        """.format(patient_months=self._lifecycle_patient_months_from())
