# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models

from odoo.addons.pharmacy_crm.models.pharmacy_setting_spec import PharmacySettingSpec

WIN_BACK_DAYS = PharmacySettingSpec(
    'win_back_days', 'integer', 'Win Back After', 90, minimum=30, maximum=730, days=True,
    help_text='An active patient without a counted fill for this many days is proposed for '
              'win-back: 30 to 730.')
FLU_SEASON_MONTH = PharmacySettingSpec(
    'flu_season_month', 'integer', 'Flu Season Starts In (Month)', 9, minimum=1, maximum=12,
    help_text='The flu season starts on the 1st of this month (1 to 12): patients 65 or older '
              'without a flu lead since then are proposed.')
CLINICAL_SERVICE_AGE = 65   # the age rule's example: flu vaccine from 65 on


class PharmacySetting(models.AbstractModel):
    """The pipeline's settings."""

    _inherit = 'pharmacy.setting'
    _pharmacy_setting_specs = (WIN_BACK_DAYS, FLU_SEASON_MONTH)
