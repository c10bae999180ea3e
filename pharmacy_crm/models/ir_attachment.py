# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models


class IrAttachment(models.Model):
    """Attachments of pharmacy records and patients: read by who may read the record."""

    _name = 'ir.attachment'
    _inherit = ['ir.attachment', 'pharmacy.phi.document.mixin']
