# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models

from odoo.addons.pharmacy_crm.models.pharmacy_setting_spec import PharmacySettingSpec

CAMPAIGN_RETURN_DAYS = PharmacySettingSpec(
    'campaign_return_days', 'integer', 'Campaign Return Window', 30, minimum=1, maximum=180,
    days=True,
    help_text='A recipient (or a held-out patient) came back after a mailing or a journey mail '
              'when they had a counted fill or a pickup from the day after the send to this '
              'many days after it (a fill later on the day of the send is not a return): 1 to '
              '180.')


class PharmacySetting(models.AbstractModel):
    """The marketing reports' settings."""

    _inherit = 'pharmacy.setting'
    _pharmacy_setting_specs = (CAMPAIGN_RETURN_DAYS,)
