# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models

from .pharmacy_setting import ADHERENCE_THRESHOLD


class ResConfigSettings(models.TransientModel):
    """The adherence threshold on the settings screen (declared in ``pharmacy_setting.py``,
    read, checked and applied by the core through the registry ``pharmacy.setting``)."""

    _inherit = 'res.config.settings'

    pharmacy_adherence_threshold = ADHERENCE_THRESHOLD.field_definition()
