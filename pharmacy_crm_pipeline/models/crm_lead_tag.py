# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class CrmLeadTag(models.Model):
    """Clinical services (flu, shingles, COVID vaccine, medication review, blood-pressure
    check...) are crm tags marked as pharmacy services."""

    _inherit = 'crm.lead.tag'

    is_pharmacy_service = fields.Boolean(
        string='Pharmacy Service', help='A clinical service the pharmacy offers.')
