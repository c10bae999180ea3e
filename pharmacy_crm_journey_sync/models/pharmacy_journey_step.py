# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models


class PharmacyJourneyStep(models.Model):
    """Branches on refill sync read the enrollments (enrolled or paused)."""

    _inherit = 'pharmacy.journey.step'

    @api.model
    def _pharmacy_sync_enrolled_sql(self):
        return """EXISTS (SELECT 1 FROM pharmacy_sync_enrollment e
                           WHERE e.patient_id = p.id AND e.state IN ('enrolled', 'paused'))"""
