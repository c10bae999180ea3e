# Copyright 2026 Pharmacy CRM contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class MailMessage(models.Model):
    """Messages on pharmacy records and patients: read by who may read the record."""

    _name = 'mail.message'
    _inherit = ['mail.message', 'pharmacy.phi.document.mixin']
    _pharmacy_model_field = 'model'
