# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models


class PharmacySyncEnrollment(models.Model):
    """Enrolling a patient wins their open refill sync enrollment lead."""

    _inherit = 'pharmacy.sync.enrollment'

    @api.model
    def create(self, vals):
        enrollment = super().create(vals)
        self.env['crm.lead'].sudo()._pharmacy_close_by_data(enrollment.patient_id.ids)
        return enrollment
