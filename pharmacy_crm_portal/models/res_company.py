# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    pharmacy_opening_hours = fields.Text(
        string='Opening Hours', translate=True,
        help="Shown to patients on their portal pages, with the pharmacy's address and phone, "
             "e.g. Mon-Fri 9 am - 7 pm, Sat 9 am - 1 pm.")
