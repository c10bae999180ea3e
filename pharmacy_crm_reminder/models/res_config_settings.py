# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models

from .pharmacy_setting import (REMINDER_DUE_DAYS, REMINDER_GAP_DAYS, REMINDER_OVERDUE_DAYS,
                               REMINDER_PICKUP_DAYS, REMINDER_WEEK_CAP)


class ResConfigSettings(models.TransientModel):
    """The reminder settings on the settings screen (declared in ``pharmacy_setting.py``,
    read, checked and applied by the core through the registry ``pharmacy.setting``)."""

    _inherit = 'res.config.settings'

    pharmacy_reminder_due_days = REMINDER_DUE_DAYS.field_definition()
    pharmacy_reminder_overdue_days = REMINDER_OVERDUE_DAYS.field_definition()
    pharmacy_reminder_pickup_days = REMINDER_PICKUP_DAYS.field_definition()
    pharmacy_reminder_gap_days = REMINDER_GAP_DAYS.field_definition()
    pharmacy_reminder_week_cap = REMINDER_WEEK_CAP.field_definition()
