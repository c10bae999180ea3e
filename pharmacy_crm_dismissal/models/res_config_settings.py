# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models

from .pharmacy_setting import (DISMISSAL_INCIDENT_DAYS, DISMISSAL_LOCAL_GROUNDS,
                               DISMISSAL_NOTICE_DAYS, DISMISSAL_PROTECTED_GROUNDS,
                               DISMISSAL_SEVERE_INCIDENTS)


class ResConfigSettings(models.TransientModel):
    """The dismissal settings on the settings screen (declared in ``pharmacy_setting.py``,
    read, checked and applied by the core through the registry ``pharmacy.setting``)."""

    _inherit = 'res.config.settings'

    pharmacy_dismissal_incident_days = DISMISSAL_INCIDENT_DAYS.field_definition()
    pharmacy_dismissal_severe_incidents = DISMISSAL_SEVERE_INCIDENTS.field_definition()
    pharmacy_dismissal_notice_days = DISMISSAL_NOTICE_DAYS.field_definition()
    pharmacy_dismissal_protected_grounds = DISMISSAL_PROTECTED_GROUNDS.field_definition()
    pharmacy_dismissal_local_grounds = DISMISSAL_LOCAL_GROUNDS.field_definition()
