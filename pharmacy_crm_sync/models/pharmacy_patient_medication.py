# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, fields, models


class PharmacyPatientMedication(models.Model):
    """What refill sync needs of a prescription: the staff's opt-in, PRN, the copay to prorate,
    and whether it is proposed for sync (with the reason when not)."""

    _inherit = 'pharmacy.patient.medication'

    sync_opt_in = fields.Boolean(
        string='Refill Sync', track_visibility='onchange',
        help='Opted in to refill synchronization: filled on the patient\'s sync day. Ticked by '
             'the staff only, never by itself.')
    is_prn = fields.Boolean(
        string='As Needed (PRN)', track_visibility='onchange',
        help='Taken as needed: its use is irregular, so it is not synced by default.')
    monthly_copay = fields.Float(
        digits=(16, 2), group_operator=False,
        help='Copay of a full fill: the alignment plan prorates it for a short fill.')
    sync_eligible = fields.Boolean(
        compute='_compute_sync_eligible',
        help='Proposed for refill sync: active, maintenance, not controlled, not as needed, '
             'dosage form not excluded in the settings.')
    sync_ineligible_reason = fields.Char(
        string='Not Proposed Because', compute='_compute_sync_eligible')

    def _compute_sync_eligible(self):
        """Eligible for refill sync: state active, medication maintenance, schedule none, not
        PRN, dosage form not in the excluded forms (settings). The reason names each rule
        that fails."""
        excluded = self.env['pharmacy.setting'].get('sync_excluded_forms')
        forms = dict(self.env['pharmacy.medication']._fields['dosage_form']
                     ._description_selection(self.env))
        for rx in self:
            reasons = []
            if rx.state != 'active':
                reasons.append(_('not active'))
            if not rx.medication_id.is_maintenance:
                reasons.append(_('not a maintenance medication'))
            if rx.schedule and rx.schedule != 'none':
                reasons.append(_('controlled substance'))
            if rx.is_prn:
                reasons.append(_('taken as needed (PRN)'))
            if rx.medication_id.dosage_form in excluded:
                reasons.append(_('dosage form %s is excluded')
                               % forms.get(rx.medication_id.dosage_form, '').lower())
            rx.sync_eligible = not reasons
            rx.sync_ineligible_reason = ', '.join(reasons) or False
