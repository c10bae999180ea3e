# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF


class PharmacyFill(models.Model):
    """A portal patient reads their own fills: not the staff's reasons for an early refill."""

    _inherit = 'pharmacy.fill'

    early_refill_reason = fields.Selection(groups=PHARMACY_STAFF)
    early_refill_note = fields.Char(groups=PHARMACY_STAFF)
    early_refill_by = fields.Many2one(groups=PHARMACY_STAFF)
