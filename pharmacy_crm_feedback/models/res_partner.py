# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF


class ResPartner(models.Model):
    """The patient's satisfaction survey answers, for pharmacy staff."""

    _inherit = 'res.partner'

    pharmacy_feedback_ids = fields.One2many(
        'survey.user_input', 'partner_id', string='Feedback', groups=PHARMACY_STAFF,
        domain=[('survey_id.pharmacy_feedback', '=', True)],
        help='Satisfaction surveys sent to the patient and their answers.')
