# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, fields, models

# an open enrollment (enrolled or paused) that started at most N days ago
ENROLLED_RECENTLY_SQL = """EXISTS (
    SELECT 1 FROM pharmacy_sync_enrollment e
     WHERE e.patient_id = p.id AND e.state IN ('enrolled', 'paused')
       AND e.enrolled_on > pharmacy_today(p.company_id) - %s)"""


class PharmacyJourney(models.Model):
    """Entry event: enrolled in refill sync (clinical: pharmacy staff only)."""

    _inherit = 'pharmacy.journey'

    entry_type = fields.Selection(
        selection_add=[('refill_sync_enrolment', 'Enrolled in refill sync')])

    @api.model
    def _pharmacy_clinical_entries(self):
        return super()._pharmacy_clinical_entries() + ['refill_sync_enrolment']

    def _pharmacy_entry_criteria(self):
        if self.entry_type == 'refill_sync_enrolment':
            return [(ENROLLED_RECENTLY_SQL, [self.entry_days])]
        return super()._pharmacy_entry_criteria()
