# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models

from odoo.addons.pharmacy_crm.models.pharmacy_setting_spec import PharmacySettingSpec

REMINDER_DUE_DAYS = PharmacySettingSpec(
    'reminder_due_days', 'integer', 'Remind Before a Due Date', 3, minimum=0, maximum=30,
    days=True,
    help_text='A refill reminder goes to a patient whose active prescription is due within '
              'this many days (0: on the due date only): 0 to 30.')
REMINDER_OVERDUE_DAYS = PharmacySettingSpec(
    'reminder_overdue_days', 'integer', 'Remind of an Overdue Refill For', 14, minimum=0,
    maximum=60, days=True,
    help_text='A refill not picked up by its due date is still reminded (once per fill) until '
              'it is this many days overdue (0: never after the due date); later the patient '
              'is lapsed, for the win-back campaigns: 0 to 60.')
REMINDER_PICKUP_DAYS = PharmacySettingSpec(
    'reminder_pickup_days', 'integer', 'Remind of a Fill Waiting For', 2, minimum=1, maximum=30,
    days=True,
    help_text='A pickup reminder goes to a patient whose fill has waited for pickup this many '
              'days: 1 to 30.')
REMINDER_GAP_DAYS = PharmacySettingSpec(
    'reminder_gap_days', 'integer', 'Days Between Reminders', 1, minimum=1, maximum=7,
    days=True,
    help_text='At most one reminder per patient in this many days (1: at most one a day): '
              '1 to 7.')
REMINDER_WEEK_CAP = PharmacySettingSpec(
    'reminder_week_cap', 'integer', 'Reminders per Week', 3, minimum=1, maximum=7,
    help_text='At most this many reminders per patient in any 7 days: 1 to 7.')


class PharmacySetting(models.AbstractModel):
    """The reminder settings."""

    _inherit = 'pharmacy.setting'
    _pharmacy_setting_specs = (REMINDER_DUE_DAYS, REMINDER_OVERDUE_DAYS, REMINDER_PICKUP_DAYS,
                               REMINDER_GAP_DAYS, REMINDER_WEEK_CAP)
