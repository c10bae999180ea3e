# Copyright 2026 Pharmacy CRM contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = 'res.partner'

    is_patient = fields.Boolean(
        string='Patient', index=True,
        help='A person who fills prescriptions at this pharmacy.')
