# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models

from .pharmacy_setting import CAMPAIGN_RETURN_DAYS


class ResConfigSettings(models.TransientModel):
    """The marketing reports' settings on the settings screen (see ``pharmacy_setting.py``)."""

    _inherit = 'res.config.settings'

    pharmacy_campaign_return_days = CAMPAIGN_RETURN_DAYS.field_definition()
