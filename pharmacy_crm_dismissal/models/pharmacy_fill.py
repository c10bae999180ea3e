# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date


class PharmacyFill(models.Model):
    """No fill once a patient's dismissal has taken effect."""

    _inherit = 'pharmacy.fill'

    @api.model
    def _pharmacy_check_new_fill(self, rx, fill_date):
        """No fill on or after the effective date of a patient's dismissal (fills continue
        during the notice period); transferring the prescription out stays possible. (A
        status set to Dismissed by hand, without a dismissal, is refused as any other status
        than Active, by the core.)"""
        patient = rx.patient_id.sudo()
        effective = patient.dismissal_effective_date
        if effective and fill_date >= effective:
            raise UserError(_(
                'No fill can be recorded for %(rx)s: %(patient)s was dismissed from this '
                'pharmacy on %(date)s. Refer the patient to the pharmacies in their letter; a '
                'pharmacist can still transfer the prescription out (discontinue it as '
                '"Transferred" with the receiving pharmacy).') % {
                    'rx': rx.rx_number, 'patient': patient.name,
                    'date': format_date(self.env, effective)})
        return super()._pharmacy_check_new_fill(rx, fill_date)
