# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF


class ResPartner(models.Model):
    """A patient's refill sync: the open enrollment, its state and next sync date, and the
    button that enrolls."""

    _inherit = 'res.partner'
    _pharmacy_server_fields = ('sync_enrollment_id', 'sync_state', 'sync_next_date')

    sync_enrollment_id = fields.Many2one(
        'pharmacy.sync.enrollment', string='Refill Sync Enrollment',
        compute='_compute_sync_status', groups=PHARMACY_STAFF,
        help='The open (enrolled or paused) refill sync enrollment.')
    sync_state = fields.Selection(
        [('enrolled', 'Enrolled'), ('paused', 'Paused')], string='Refill Sync',
        compute='_compute_sync_status', groups=PHARMACY_STAFF)
    sync_next_date = fields.Date(
        string='Next Sync Date', compute='_compute_sync_status', groups=PHARMACY_STAFF)

    def _compute_sync_status(self):
        """The open enrollment of each patient (one search for all), its state and next sync
        date."""
        enrollments = self.env['pharmacy.sync.enrollment'].search(
            [('patient_id', 'in', self.ids), ('state', 'in', ('enrolled', 'paused'))])
        by_patient = {enrollment.patient_id.id: enrollment for enrollment in enrollments}
        for partner in self:
            enrollment = by_patient.get(partner.id)
            partner.sync_enrollment_id = enrollment
            partner.sync_state = enrollment.state if enrollment else False
            partner.sync_next_date = enrollment.next_sync_date if enrollment else False

    def action_open_sync_enrollment(self):
        self.ensure_one()
        return {'type': 'ir.actions.act_window', 'res_model': 'pharmacy.sync.enrollment',
                'res_id': self.sync_enrollment_id.id, 'view_mode': 'form'}

    def action_sync_enroll(self):
        """Open the enrollment wizard: the sync day, and the prescriptions to sync. Not for a
        patient who is leaving the pharmacy (e.g. being dismissed)."""
        self.ensure_one()
        if self.pharmacy_leaving and not self.sync_state:
            raise UserError(_(
                '%s is leaving the pharmacy (e.g. a dismissal is approved): refill sync is '
                'not offered.') % self.name)
        return self.env['pharmacy.sync.plan'].action_open(self)

    def _pharmacy_cancel_plans(self, date_from):
        """Sync appointments from ``date_from`` still to confirm or confirmed are cancelled
        (their call activities closed); earlier ones stay."""
        self.env['pharmacy.sync.appointment'].sudo().search([
            ('patient_id', 'in', self.ids), ('date', '>=', date_from),
            ('state', 'in', ('to_confirm', 'confirmed'))]).action_cancel()
        return super()._pharmacy_cancel_plans(date_from)

    def _pharmacy_patient_left(self, reason):
        """The patient's open enrollment drops out, with the reason."""
        self.env['pharmacy.sync.enrollment'].sudo().search([
            ('patient_id', 'in', self.ids), ('state', 'in', ('enrolled', 'paused'))])._drop_out({
                'dropout_reason': {'dismissed': 'dismissed', 'deceased': 'deceased',
                                   'transferred': 'moved'}.get(reason, 'other'),
                'dropout_note': {
                    'dismissed': _('Dismissed by the pharmacy.'),
                    'deceased': _('The patient died.'),
                    'transferred': _('Transferred to another pharmacy.'),
                }.get(reason, _('No longer a patient of the pharmacy.'))})
        return super()._pharmacy_patient_left(reason)
