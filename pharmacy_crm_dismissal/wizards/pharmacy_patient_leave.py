# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class PharmacyPatientLeave(models.TransientModel):
    """A patient transfers out to another pharmacy: one of the contacts marked as pharmacy."""

    _inherit = 'pharmacy.patient.leave'

    pharmacy_id = fields.Many2one(domain=[('is_pharmacy', '=', True)])
