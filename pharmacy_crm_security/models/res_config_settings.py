# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models

from .pharmacy_setting import (IDLE_LOGOFF_MINUTES, LOCKOUT_ATTEMPTS, LOCKOUT_MINUTES,
                               PASSWORD_EXPIRY_DAYS, PASSWORD_HISTORY, PASSWORD_MIN_CLASSES,
                               PASSWORD_MIN_LENGTH, TWO_FACTOR_REQUIRED)


class ResConfigSettings(models.TransientModel):
    """The automatic logoff delay on the settings screen (declared in ``pharmacy_setting.py``,
    read, checked and applied by the core through the registry ``pharmacy.setting``)."""

    _inherit = 'res.config.settings'

    pharmacy_idle_logoff_minutes = IDLE_LOGOFF_MINUTES.field_definition()
    pharmacy_lockout_attempts = LOCKOUT_ATTEMPTS.field_definition()
    pharmacy_lockout_minutes = LOCKOUT_MINUTES.field_definition()
    pharmacy_password_min_length = PASSWORD_MIN_LENGTH.field_definition()
    pharmacy_password_min_classes = PASSWORD_MIN_CLASSES.field_definition()
    pharmacy_password_history = PASSWORD_HISTORY.field_definition()
    pharmacy_password_expiry_days = PASSWORD_EXPIRY_DAYS.field_definition()
    pharmacy_two_factor_required = TWO_FACTOR_REQUIRED.field_definition()
