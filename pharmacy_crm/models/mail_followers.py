# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models


class MailFollowers(models.Model):
    """Followers of pharmacy records: read by who may read the record."""

    _name = 'mail.followers'
    _inherit = ['mail.followers', 'pharmacy.phi.document.mixin']
    # a patient's followers stay visible: mail subscribes and notifies through them
    _pharmacy_patients_too = False
