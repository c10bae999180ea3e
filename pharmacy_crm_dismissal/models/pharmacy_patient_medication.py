# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class PharmacyPatientMedication(models.Model):
    """The pharmacy a prescription was transferred to (a patient leaving, or dismissed)."""

    _inherit = 'pharmacy.patient.medication'

    transfer_pharmacy_id = fields.Many2one(
        'res.partner', string='Transferred To', index=True, ondelete='restrict',
        domain=[('is_pharmacy', '=', True)], track_visibility='onchange',
        help='The pharmacy that received the prescription when it was transferred out.')
