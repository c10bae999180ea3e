# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class PharmacyAccessLog(models.Model):
    """A lockout after failed logins is an access log event."""

    _inherit = 'pharmacy.access.log'

    event = fields.Selection(selection_add=[('login_locked', 'Login locked')])
