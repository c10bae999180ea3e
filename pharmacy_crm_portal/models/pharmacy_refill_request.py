# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.pharmacy_crm.models.pharmacy_server_fields_mixin import (
    SERVER_WRITE, ServerWrite)
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today

from .pharmacy_patient_medication import RENEWAL_REFUSALS


class PharmacyRefillRequest(models.Model):
    """A patient asks for a refill of one prescription (on the portal, or on the website's
    public form): a line in the staff's worklist, never a fill. One per prescription and
    day: a second request the same day is the first one."""

    _name = 'pharmacy.refill.request'
    _description = 'Refill Request'
    _inherit = ['pharmacy.patient.record.mixin']
    _order = 'state, request_date desc, id desc'
    _rec_name = 'prescription_id'
    _pharmacy_server_fields = ('request_date', 'source', 'requested_by_id', 'done_by_id')
    _pharmacy_state_actions = {'state': {
        'action_done': ('new', 'done'),
        'action_cancel': ('new', 'cancelled'),
    }}

    prescription_id = fields.Many2one(
        'pharmacy.patient.medication', required=True, index=True,
        ondelete='restrict')
    medication_id = fields.Many2one(
        related='prescription_id.medication_id', store=True, readonly=True)
    request_date = fields.Date(string='Requested On', required=True, default=pharmacy_today,
                               readonly=True, index=True)
    source = fields.Selection([
        ('portal', 'Patient portal'),
        ('website', 'Website form'),
    ], required=True, default='portal', readonly=True)
    requested_by_id = fields.Many2one(
        'res.users', readonly=True, default=lambda self: self.env.uid,
        ondelete='restrict')
    state = fields.Selection([
        ('new', 'To do'),
        ('done', 'Done'),
        ('cancelled', 'Cancelled'),
    ], required=True, default='new', readonly=True, index=True)
    done_by_id = fields.Many2one('res.users', string='Handled By', readonly=True,
                                 ondelete='restrict')
    note = fields.Char(help='Staff note (not shown to the patient).')

    _sql_constraints = [
        ('prescription_day_uniq', 'unique(prescription_id, request_date)',
         'A refill request for this prescription exists already today.'),
    ]

    @api.constrains('patient_id', 'prescription_id')
    def _check_patient(self):
        for request in self:
            if request.prescription_id.patient_id != request.patient_id:
                raise ValidationError(_(
                    'Prescription: the prescription is not one of %s\'s: choose one of the '
                    'patient\'s prescriptions.') % request.patient_id.name)

    @api.model
    def _pharmacy_request_refill(self, prescription, source='portal', requested_by=None):
        """Ask for a refill of ``prescription`` as the environment's user (whose rights
        apply to reading the prescription and creating the request).

        Returns (refusal, request): a refusal key (see ``refusal_message``) and no request,
        or False and the request (today's, when there is one already). For an expired
        prescription or one without refills left, a renewal task is created instead.
        ``requested_by``: the user asking when the server acts for them (the public form).
        """
        rx = prescription.with_env(self.env)
        rx.check_access_rights('read')
        rx.check_access_rule('read')
        refusal = rx._pharmacy_refill_refusal()
        if refusal:
            if refusal in RENEWAL_REFUSALS:
                rx._pharmacy_renewal_task()
            return refusal, self.browse()
        today = pharmacy_today(rx)
        existing = self.sudo().search([('prescription_id', '=', rx.id),
                                       ('request_date', '=', today)], limit=1)
        if existing:
            return False, self.browse(existing.id)
        vals = {'prescription_id': rx.id, 'patient_id': rx.patient_id.id}
        if source != 'portal':
            vals['source'] = source
        if requested_by:
            vals['requested_by_id'] = requested_by.id
        marker = ServerWrite(self._name, vals)
        request = self.with_context(**{SERVER_WRITE: marker}).create(vals)
        return False, request.with_context(**{SERVER_WRITE: None})

    def action_done(self):
        """The staff handled the request (filled, or called the patient)."""
        return self.filtered(lambda r: r.state == 'new')._pharmacy_state_transition(
            'action_done', {'done_by_id': self.env.uid})

    def action_cancel(self):
        return self.filtered(lambda r: r.state == 'new')._pharmacy_state_transition(
            'action_cancel', {'done_by_id': self.env.uid})

    def action_open_prescription(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'pharmacy.patient.medication',
            'res_id': self.prescription_id.id,
            'view_mode': 'form',
            'target': 'current',
        }
