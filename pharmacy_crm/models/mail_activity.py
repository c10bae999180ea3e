# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models


class MailActivity(models.Model):
    """Activities on pharmacy records and patients: read by who may read the record."""

    _name = 'mail.activity'
    _inherit = ['mail.activity', 'pharmacy.phi.document.mixin']
