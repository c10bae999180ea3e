# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models

from .pharmacy_setting import FLU_SEASON_MONTH, WIN_BACK_DAYS


class ResConfigSettings(models.TransientModel):
    """The pipeline's settings on the settings screen (declared in ``pharmacy_setting.py``)."""

    _inherit = 'res.config.settings'

    pharmacy_win_back_days = WIN_BACK_DAYS.field_definition()
    pharmacy_flu_season_month = FLU_SEASON_MONTH.field_definition()
