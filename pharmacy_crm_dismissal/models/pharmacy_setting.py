# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models

from odoo.addons.pharmacy_crm.models.pharmacy_setting_spec import PharmacySettingSpec

DISMISSAL_INCIDENT_DAYS = PharmacySettingSpec(
    'dismissal_incident_days', 'integer', 'Incidents on Different Days', 2, minimum=2,
    maximum=20, days=True,
    help_text='A dismissal needs incidents on at least this many different days (2 to 20: a '
              'single bad day is never enough)...')
DISMISSAL_SEVERE_INCIDENTS = PharmacySettingSpec(
    'dismissal_severe_incidents', 'integer', 'Or Severe Incidents', 1, minimum=0, maximum=20,
    help_text='... or at least this many severe incidents (0 to 20; 0: severe incidents alone '
              'never suffice).')
DISMISSAL_NOTICE_DAYS = PharmacySettingSpec(
    'dismissal_notice_days', 'integer', 'Notice Period', 30, minimum=0, maximum=365, days=True,
    help_text='Days between the proposal and the earliest effective date, during which the '
              'patient\'s prescriptions are still filled and can be transferred: 0 to 365.')
DISMISSAL_PROTECTED_GROUNDS = PharmacySettingSpec(
    'dismissal_protected_grounds', 'char', 'Protected Grounds',
    'race, color, religion, national origin, sex, age, disability',
    help_text='The grounds a dismissal must never rest on, listed in the non-discrimination '
              'attestation of the dismissal wizard and in the letter (by default the grounds '
              'of US federal civil rights law).')
DISMISSAL_LOCAL_GROUNDS = PharmacySettingSpec(
    'dismissal_local_grounds', 'char', 'Local Protected Grounds', '',
    help_text='Grounds protected by state or local law (e.g. sexual orientation, gender '
              'identity), added to the protected grounds in the attestation and the letter.')


class PharmacySetting(models.AbstractModel):
    """The dismissal settings."""

    _inherit = 'pharmacy.setting'
    _pharmacy_setting_specs = (DISMISSAL_INCIDENT_DAYS, DISMISSAL_SEVERE_INCIDENTS,
                               DISMISSAL_NOTICE_DAYS, DISMISSAL_PROTECTED_GROUNDS,
                               DISMISSAL_LOCAL_GROUNDS)
