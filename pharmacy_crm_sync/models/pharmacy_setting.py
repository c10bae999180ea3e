# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models

from odoo.addons.pharmacy_crm.models.pharmacy_setting_spec import PharmacySettingSpec

SYNC_ACTIVITY_DAYS = PharmacySettingSpec(
    'sync_activity_days', 'integer', 'Call Before a Sync Date', 7, minimum=0, maximum=60,
    days=True, help_text='Days before a refill sync date the call activity is due: 0 to 60.')
SYNC_EXCLUDED_FORMS = PharmacySettingSpec(
    'sync_excluded_forms', 'keys', 'Dosage Forms Not Synced',
    ('injection', 'drops', 'solution', 'suspension'),
    selection=('pharmacy.medication', 'dosage_form'),
    help_text='Dosage forms not proposed for refill sync, as their keys separated by commas: '
              'tablet, capsule, solution, suspension, injection, inhaler, cream, patch, drops, '
              'other.')
SYNC_DUE_WINDOW_DAYS = PharmacySettingSpec(
    'sync_due_window_days', 'integer', 'Due Together Within', 7, minimum=1, maximum=60,
    days=True,
    help_text='Prescriptions due within this many days of each other are listed in Due '
              'Together: 1 to 60.')


class PharmacySetting(models.AbstractModel):
    """The refill sync settings."""

    _inherit = 'pharmacy.setting'
    _pharmacy_setting_specs = (SYNC_ACTIVITY_DAYS, SYNC_EXCLUDED_FORMS, SYNC_DUE_WINDOW_DAYS)
