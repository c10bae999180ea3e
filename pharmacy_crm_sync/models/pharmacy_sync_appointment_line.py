# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

THERAPY_CHANGES = [
    ('none', 'No change'),
    ('dose_changed', 'Dose changed'),
    ('discontinued', 'Discontinued'),
    ('new', 'New prescription'),
]


class PharmacySyncAppointmentLine(models.Model):
    """One prescription of a sync appointment: the therapy change the patient reported when
    called, and the fill the staff recorded for it."""

    _name = 'pharmacy.sync.appointment.line'
    _description = 'Refill Sync Appointment Line'
    _inherit = ['pharmacy.phi.mixin', 'pharmacy.audit.mixin']
    _pharmacy_server_fields = ('fill_id',)
    _order = 'appointment_id, id'

    appointment_id = fields.Many2one('pharmacy.sync.appointment', required=True, index=True,
                                     ondelete='restrict')
    prescription_id = fields.Many2one('pharmacy.patient.medication', required=True,
                                      index=True, ondelete='restrict')
    medication_id = fields.Many2one(related='prescription_id.medication_id', readonly=True)
    next_due_date = fields.Date(related='prescription_id.next_due_date', readonly=True)
    patient_id = fields.Many2one(related='appointment_id.patient_id', store=True, index=True,
                                 readonly=True)
    therapy_change = fields.Selection(THERAPY_CHANGES, required=True, default='none')
    change_note = fields.Char(help='e.g. the new dose, who changed it.')
    fill_id = fields.Many2one('pharmacy.fill', readonly=True,
                              ondelete='restrict')
    company_id = fields.Many2one(
        related='appointment_id.company_id', store=True, index=True, readonly=True)

    _sql_constraints = [
        ('appointment_prescription_uniq', 'unique(appointment_id, prescription_id)',
         'This prescription is already a line of the sync appointment.'),
    ]

    @api.constrains('prescription_id', 'appointment_id')
    def _check_same_patient(self):
        for line in self:
            if line.prescription_id.patient_id != line.appointment_id.patient_id:
                raise ValidationError(_(
                    'Prescription %(rx)s is not a prescription of %(patient)s: a sync '
                    'appointment holds the patient\'s own prescriptions.') % {
                        'rx': line.prescription_id.rx_number,
                        'patient': line.appointment_id.patient_id.name})

    def name_get(self):
        """Appointment - Rx - drug: e.g. "Sandra Tran, 12/21/2026 – Rx 900001 – Montelukast
        10 mg"."""
        return [(line.id, ' – '.join(filter(None, [
            line.appointment_id.display_name, _('Rx %s') % line.prescription_id.rx_number,
            line.medication_id.display_name]))) for line in self]

    def action_fill(self):
        """Record this line's fill: the prescription's quantity and days supply, dated today
        (the fill rules apply: refills, expiry, refill too soon). One fill per line."""
        for line in self:
            if line.fill_id:
                raise UserError(_('%s is already filled for this sync appointment.')
                                % line.prescription_id.rx_number)
            if line.therapy_change == 'discontinued':
                raise UserError(_('%s was reported discontinued: it is not filled.')
                                % line.prescription_id.rx_number)
            if line.appointment_id.state != 'confirmed':
                raise UserError(_('Confirm the sync appointment of %s before filling it.')
                                % line.patient_id.name)
            rx = line.prescription_id
            fill = self.env['pharmacy.fill'].create({
                'prescription_id': rx.id, 'quantity': rx.quantity or 1,
                'days_supply': rx.days_supply})
            line._pharmacy_server_write({'fill_id': fill.id})
        return True
