# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models

from odoo.addons.pharmacy_crm.models.pharmacy_setting_spec import PharmacySettingSpec

CAMPAIGN_RETURN_DAYS = PharmacySettingSpec(
    'campaign_return_days', 'integer', 'Campaign Return Window', 30, minimum=1, maximum=180,
    days=True,
    help_text='A recipient (or a held-out patient) came back after a mailing when they had a '
              'counted fill or a pickup on the day of the send or within this many days '
              'after it: 1 to 180.')


class PharmacySetting(models.AbstractModel):
    """The marketing reports' settings."""

    _inherit = 'pharmacy.setting'
    _pharmacy_setting_specs = (CAMPAIGN_RETURN_DAYS,)
