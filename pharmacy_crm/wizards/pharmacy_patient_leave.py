# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

from ..models.res_company import pharmacy_today


class PharmacyPatientLeave(models.TransientModel):
    """Asks a pharmacist the date a patient transferred out (and to which pharmacy) or died:
    the patient's status changes and their prescriptions are held or discontinued
    (``res.partner._pharmacy_patient_leaves``)."""

    _name = 'pharmacy.patient.leave'
    _description = 'Patient Transferred Out or Deceased'

    patient_id = fields.Many2one('res.partner', required=True, ondelete='cascade',
                                 domain=[('is_patient', '=', True)])
    reason = fields.Selection([('transferred', 'Transferred out'), ('deceased', 'Deceased')],
                              required=True)
    date = fields.Date(required=True, default=pharmacy_today)
    pharmacy_id = fields.Many2one(
        'res.partner', string='Receiving Pharmacy', domain=[('is_company', '=', True)],
        help='The pharmacy the patient\'s prescriptions are transferred to.')
    note = fields.Text()

    @api.constrains('date', 'reason', 'pharmacy_id')
    def _check_leave(self):
        today = pharmacy_today(self)
        for wizard in self:
            if wizard.date > today:
                raise ValidationError(_('Date %s is in the future: record it on the day it '
                                        'happened.') % format_date(self.env, wizard.date))
            if wizard.reason == 'transferred' and not wizard.pharmacy_id:
                raise ValidationError(_('Receiving Pharmacy is required for a transfer out: '
                                        'choose the pharmacy the patient goes to.'))

    def action_confirm(self):
        for wizard in self:
            wizard.patient_id._pharmacy_patient_leaves(
                wizard.reason, wizard.date, wizard.pharmacy_id, wizard.note)
        return {'type': 'ir.actions.act_window_close'}
