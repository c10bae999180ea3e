# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACIST, PHARMACY_MANAGER
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today


class PharmacyDismissalWizard(models.TransientModel):
    """Propose (pharmacists) or propose and approve (managers) the dismissal of a patient.

    The rules live on ``pharmacy.dismissal`` (thresholds, explanation, attestation, referral,
    notice period): the wizard collects the answers and creates it. Only pharmacists open it:
    a technician is refused on the server too (transient models have no access rights).
    """

    _name = 'pharmacy.dismissal.wizard'
    _description = 'Dismiss a Patient'

    patient_id = fields.Many2one('res.partner', required=True, readonly=True,
                                 domain=[('is_patient', '=', True)])
    all_incident_ids = fields.Many2many(
        'pharmacy.incident', string="Patient's Incidents", compute='_compute_all_incident_ids')
    incident_ids = fields.Many2many(
        'pharmacy.incident', 'pharmacy_dismissal_wizard_incident_rel', 'wizard_id',
        'incident_id', string='Incidents Relied On',
        help='At least two incidents on different days, or one severe incident (settings).')
    explanation = fields.Text(
        help='Written to the patient: why the pharmacy stops serving them, kindly and '
             'clearly. The body of the letter.')
    attestation = fields.Boolean(string='I attest this decision is not discriminatory')
    protected_grounds = fields.Char(compute='_compute_protected_grounds')
    referral_pharmacy_ids = fields.Many2many(
        'res.partner', 'pharmacy_dismissal_wizard_referral_rel', 'wizard_id', 'pharmacy_id',
        string='Referral Pharmacies', domain=[('is_pharmacy', '=', True)])
    referral_city = fields.Char(
        string='Pharmacies In', help='A city: the referral pharmacies offered are those of '
                                     'this city (all pharmacies when empty).')
    transfer_prescriptions = fields.Boolean(default=True)
    effective_date = fields.Date(required=True, default=lambda self: self._default_effective())
    approve_now = fields.Boolean(
        help='Managers propose and approve at once.')
    is_manager = fields.Boolean(default=lambda self: self.env.user.has_group(PHARMACY_MANAGER))

    @api.model
    def _default_effective(self):
        today = fields.Date.from_string(pharmacy_today(self))
        days = self.env['pharmacy.setting'].get('dismissal_notice_days')
        return fields.Date.to_string(today + timedelta(days=days))

    @api.depends('patient_id')
    def _compute_all_incident_ids(self):
        for wizard in self:
            wizard.all_incident_ids = self.env['pharmacy.incident'].search(
                [('patient_id', '=', wizard.patient_id.id)])

    @api.depends('patient_id')
    def _compute_protected_grounds(self):
        text = self.env['pharmacy.dismissal']._protected_grounds_text()
        for wizard in self:
            wizard.protected_grounds = text

    @api.onchange('referral_city')
    def _onchange_referral_city(self):
        domain = [('is_pharmacy', '=', True)]
        if (self.referral_city or '').strip():
            domain.append(('city', 'ilike', self.referral_city.strip()))
        return {'domain': {'referral_pharmacy_ids': domain}}

    @api.model
    def default_get(self, fields_list):
        self._check_pharmacist()
        values = super().default_get(fields_list)
        if values.get('patient_id') and 'incident_ids' in fields_list:
            values['incident_ids'] = [(6, 0, self.env['pharmacy.incident'].search(
                [('patient_id', '=', values['patient_id'])]).ids)]
        return values

    @api.model
    def create(self, vals):
        self._check_pharmacist()
        return super().create(vals)

    def action_confirm(self):
        """Create the dismissal (proposed); a manager who ticked Approve Now approves it."""
        self.ensure_one()
        self._check_pharmacist()
        dismissal = self.env['pharmacy.dismissal'].create({
            'patient_id': self.patient_id.id,
            'incident_ids': [(6, 0, self.incident_ids.ids)],
            'explanation': self.explanation,
            'attestation': self.attestation,
            'referral_pharmacy_ids': [(6, 0, self.referral_pharmacy_ids.ids)],
            'transfer_prescriptions': self.transfer_prescriptions,
            'effective_date': self.effective_date,
        })
        if self.approve_now:
            dismissal.action_approve()
        return {
            'type': 'ir.actions.act_window', 'res_model': 'pharmacy.dismissal',
            'res_id': dismissal.id, 'view_mode': 'form', 'target': 'current',
            'name': dismissal.display_name}

    @api.model
    def _check_pharmacist(self):
        if not self.env.user.has_group(PHARMACIST):
            raise AccessError(_(
                'Only pharmacists propose a dismissal and only managers approve it. Log an '
                'incident instead, and tell a pharmacist.'))


class PharmacyDismissalReinstate(models.TransientModel):
    """Reinstate a dismissed patient (managers), with a reason."""

    _name = 'pharmacy.dismissal.reinstate'
    _description = 'Reinstate a Patient'

    dismissal_id = fields.Many2one('pharmacy.dismissal', required=True, readonly=True)
    reason = fields.Text(required=True)

    @api.model
    def create(self, vals):
        if not self.env.user.has_group(PHARMACY_MANAGER):
            raise AccessError(_('Only pharmacy managers reinstate a patient.'))
        return super().create(vals)

    def action_confirm(self):
        self.ensure_one()
        self.dismissal_id.action_reinstate(self.reason)
        return {'type': 'ir.actions.act_window_close'}


class PharmacyPrescriptionDiscontinue(models.TransientModel):
    """Transferring prescriptions out (e.g. of a dismissed patient) records the receiving
    pharmacy."""

    _inherit = 'pharmacy.prescription.discontinue'

    transfer_pharmacy_id = fields.Many2one(
        'res.partner', string='Transferred To', domain=[('is_pharmacy', '=', True)])

    def action_confirm(self):
        for wizard in self.filtered(lambda w: w.reason == 'transferred'):
            if not wizard.transfer_pharmacy_id:
                raise UserError(_(
                    'Transferred To is required to transfer prescriptions: choose the '
                    'receiving pharmacy.'))
        result = super().action_confirm()
        for wizard in self.filtered('transfer_pharmacy_id'):
            wizard.prescription_ids.write({'transfer_pharmacy_id': wizard.transfer_pharmacy_id.id})
        return result
