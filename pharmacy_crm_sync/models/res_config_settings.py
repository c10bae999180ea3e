# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models

from .pharmacy_setting import SYNC_ACTIVITY_DAYS, SYNC_DUE_WINDOW_DAYS, SYNC_EXCLUDED_FORMS


class ResConfigSettings(models.TransientModel):
    """The refill sync settings on the settings screen (declared in ``pharmacy_setting.py``,
    read, checked and applied by the core through the registry ``pharmacy.setting``)."""

    _inherit = 'res.config.settings'

    pharmacy_sync_activity_days = SYNC_ACTIVITY_DAYS.field_definition()
    pharmacy_sync_excluded_forms = SYNC_EXCLUDED_FORMS.field_definition()
    pharmacy_sync_due_window_days = SYNC_DUE_WINDOW_DAYS.field_definition()
