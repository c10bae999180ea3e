# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models


class PharmacyFill(models.Model):
    """A counted fill is a journey's goal: its participants leave the journey at once,
    whichever way the fill came (the counter's ORM, the nightly import), set-based."""

    _inherit = 'pharmacy.fill'

    def _pharmacy_fills_changed(self):
        result = super()._pharmacy_fills_changed()
        patients = self._pharmacy_counted_patient_ids()
        if patients:
            self.env['pharmacy.journey.participant'].sudo()._pharmacy_exit_patients(patients)
            self.env['pharmacy.journey.participant'].invalidate_cache()
        return result
