# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models


class ResCompany(models.Model):
    """Every new pharmacy (company) gets its pharmacy team."""

    _inherit = 'res.company'

    @api.model
    def create(self, vals):
        company = super().create(vals)
        self.env['crm.team']._pharmacy_team(company)
        return company
