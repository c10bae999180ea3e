# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, fields, models

from .survey_user_input import patient_company_answers


class SurveyUserInputLine(models.Model):
    """The lines of an answer are read by who may read the answer (see the record rules)."""

    _inherit = 'survey.user_input_line'

    pharmacy_patient_company_id = fields.Many2one(
        'res.company', string="Patient's Pharmacy", compute='_compute_pharmacy_patient_company_id',
        search='_search_pharmacy_patient_company_id',
        help="The pharmacy (company) of the patient who answered; empty when the answer is not "
             "a patient's. Searched by the record rules of the answer lines.")

    def _compute_pharmacy_patient_company_id(self):
        for line in self:
            partner = line.sudo().user_input_id.partner_id
            line.pharmacy_patient_company_id = partner.is_patient and partner.company_id

    @api.model
    def _search_pharmacy_patient_company_id(self, operator, value):
        """As the answer's (``survey.user_input``), its answer among that pharmacy's answers:
        one SQL sub-select."""
        return [('user_input_id', 'inselect', patient_company_answers(operator, value))]
