# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models


class PharmacyFill(models.Model):
    """Fills close the pipeline's leads (win-back, transfer-in), whichever way they came: the
    counter's ORM and the nightly import both call ``_pharmacy_fills_changed`` once."""

    _inherit = 'pharmacy.fill'

    def _pharmacy_fills_changed(self):
        result = super()._pharmacy_fills_changed()
        patients = self._pharmacy_counted_patient_ids()
        if patients:
            self.env['crm.lead'].sudo()._pharmacy_close_by_data(patients)
        return result
