# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from ..models.pharmacy_patient_medication import DISCONTINUE_REASONS
from ..models.res_company import pharmacy_today


class PharmacyPrescriptionDiscontinue(models.TransientModel):
    """Asks a pharmacist why prescriptions stop; they keep their history and can resume."""

    _name = 'pharmacy.prescription.discontinue'
    _description = 'Discontinue Prescriptions'

    prescription_ids = fields.Many2many(
        'pharmacy.patient.medication', 'pharmacy_prescription_discontinue_rel', 'wizard_id',
        'prescription_id', string='Prescriptions', required=True)
    reason = fields.Selection(DISCONTINUE_REASONS, required=True)
    note = fields.Text()
    date = fields.Date(required=True, default=pharmacy_today)

    def action_confirm(self):
        for wizard in self:
            wizard.prescription_ids._discontinue(wizard.reason, wizard.date, wizard.note)
        return {'type': 'ir.actions.act_window_close'}
