# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, fields, models
from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF


class ResPartner(models.Model):
    """Other pharmacies (referrals, transfers), a patient's incidents and dismissal date."""

    _inherit = 'res.partner'
    _pharmacy_validated_fields = ('incident_ids', 'is_pharmacy')
    _pharmacy_server_fields = ('incident_count', 'dismissal_effective_date')
    # dismissed only by a dismissal a manager approved, on its effective date (the scheduled
    # action applies it), back to active only by a manager's reinstatement
    _pharmacy_state_actions = {'patient_state': {
        'action_approve': ('active', 'dismissed', 'pharmacy.dismissal'),
        'action_reinstate': ('dismissed', 'active', 'pharmacy.dismissal'),
    }}

    is_pharmacy = fields.Boolean(
        string='Pharmacy', index=True,
        help='Another pharmacy, to which patients are referred or prescriptions transferred.')
    incident_ids = fields.One2many(
        'pharmacy.incident', 'patient_id', string='Incidents', groups=PHARMACY_STAFF)
    incident_count = fields.Integer(
        compute='_compute_pharmacy_counters', groups=PHARMACY_STAFF,
        help='Incidents logged for the patient (archived ones excluded).')
    dismissal_effective_date = fields.Date(
        readonly=True, index=True, copy=False, groups=PHARMACY_STAFF,
        help='Set when a dismissal is approved: fills continue until this day, then the '
             'patient is dismissed. Cleared when the patient is reinstated.')

    def _compute_pharmacy_leaving(self):
        """A patient whose dismissal is approved is leaving (until reinstated)."""
        result = super()._compute_pharmacy_leaving()
        # pharmacy staff read the date as themselves (a form has just read it); others, as
        # superuser (every column of the contacts would be read again for it)
        readers = self if self.user_has_groups(PHARMACY_STAFF) else self.sudo()
        for partner, reader in zip(self, readers):
            if reader.dismissal_effective_date:
                partner.pharmacy_leaving = True
        return result

    def _pharmacy_counters(self):
        """incidents = active incidents of the patient (with the other counters)."""
        counters = super()._pharmacy_counters()
        counters['incident_count'] = ('pharmacy.incident', [], 'patient_id')
        return counters

    def action_open_incidents(self):
        self.ensure_one()
        action = self.env.ref('pharmacy_crm_dismissal.pharmacy_incident_action').read()[0]
        action['domain'] = [('patient_id', '=', self.id)]
        action['context'] = {'default_patient_id': self.id}
        return action

    def action_open_dismissal_wizard(self):
        """The dismissal wizard (pharmacists propose, managers approve)."""
        self.ensure_one()
        self.env['pharmacy.dismissal.wizard']._check_pharmacist()
        return {
            'type': 'ir.actions.act_window', 'name': _('Dismiss %s') % self.name,
            'res_model': 'pharmacy.dismissal.wizard', 'view_mode': 'form', 'target': 'new',
            'context': {'default_patient_id': self.id}}
