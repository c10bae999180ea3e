# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class PharmacyConsent(models.Model):
    """A dismissal withdraws marketing consent: its lines record that as their source."""

    _inherit = 'pharmacy.consent'

    source = fields.Selection(selection_add=[('dismissal', 'Dismissal (withdrawn)')])
