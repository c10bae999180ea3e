# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import logging
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import SYNC_CYCLES, sync_date_after
from odoo.addons.pharmacy_crm.models.pharmacy_consent import CONSENT_SOURCES
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today

_logger = logging.getLogger(__name__)

DROPOUT_REASONS = [
    ('patient_request', 'Patient prefers separate pickups'),
    ('missed_pickups', 'Missed pickups'),
    ('therapy_change', 'Therapy changed'),
    ('moved', 'Moved or transferred'),
    ('deceased', 'Deceased'),
    ('dismissed', 'Dismissed by the pharmacy'),
    ('other', 'Other'),
]
OPEN_STATES = ('enrolled', 'paused')


def sync_date_of(record, after):
    """The first sync date on or after ``after`` (a date) by the rule of ``record``, an
    enrollment or an alignment plan (``sync_rule``, ``sync_day``, ``anchor_date``,
    ``cycle_days``): ``tools.sync_date_after``; None while the rule is incomplete."""
    record.ensure_one()
    return sync_date_after(after, record.sync_rule, record.sync_day,
                           fields.Date.from_string(record.anchor_date), record.cycle_days)


class PharmacySyncEnrollment(models.Model):
    """A patient's enrollment in refill synchronization: one sync day for every opted-in
    prescription, so that the patient picks them all up in one trip.

    The sync date is a day of the month (clamped to the month's last day) or an anchor date
    plus a 28- or 30-day cycle (``tools.sync_date_after``). One open enrollment (enrolled or
    paused) per patient: a partial unique index in PostgreSQL, not a Python check alone.
    """

    _name = 'pharmacy.sync.enrollment'
    _description = 'Refill Sync Enrollment'
    _inherit = ['pharmacy.patient.record.mixin', 'mail.thread', 'mail.activity.mixin']
    _pharmacy_server_fields = ('enrolled_by', 'dropout_date')
    _pharmacy_state_actions = {'state': {
        'action_pause': ('enrolled', 'paused'),
        'action_resume': (('paused', 'dropped'), 'enrolled'),
        'action_confirm_drop_out': (('enrolled', 'paused'), 'dropped'),
    }}
    _order = 'state, patient_id, id desc'
    _rec_name = 'patient_id'

    sync_rule = fields.Selection(
        [('day', 'Day of the month'), ('cycle', 'Cycle from an anchor date')],
        string='Sync On', required=True, default='day', track_visibility='onchange')
    sync_day = fields.Integer(
        track_visibility='onchange',
        help='Day of the month, 1 to 31; in a shorter month, the month\'s last day.')
    anchor_date = fields.Date(track_visibility='onchange',
                              help='First sync date of a cycle.')
    cycle_days = fields.Integer(
        string='Cycle (days)', default=28, track_visibility='onchange',
        help='28 or 30 days between sync dates.')
    anchor_prescription_id = fields.Many2one(
        'pharmacy.patient.medication', ondelete='restrict',
        track_visibility='onchange',
        help='The prescription whose due date the sync day follows; the others are aligned '
             'on it with short fills.')
    enrolled_on = fields.Date(required=True, default=pharmacy_today,
                              track_visibility='onchange')
    enrolled_by = fields.Many2one('res.users', readonly=True,
                                  help='Who enrolled the patient (set by the server).')
    consent_source = fields.Selection(
        CONSENT_SOURCES, required=True, track_visibility='onchange',
        help='How the patient agreed to be enrolled.')
    responsible_user_id = fields.Many2one(
        'res.users', string='Responsible', default=lambda self: self.env.user,
        track_visibility='onchange',
        help='Receives the call activity before each sync date.')
    state = fields.Selection([
        ('enrolled', 'Enrolled'),
        ('paused', 'Paused'),
        ('dropped', 'Dropped out'),
    ], required=True, default='enrolled', index=True, track_visibility='onchange')
    dropout_reason = fields.Selection(DROPOUT_REASONS, string='Drop-out Reason',
                                      track_visibility='onchange')
    dropout_note = fields.Text(string='Drop-out Note')
    dropout_date = fields.Date(string='Dropped Out On', readonly=True)
    appointment_ids = fields.One2many('pharmacy.sync.appointment', 'enrollment_id',
                                      string='Appointments')
    prescription_ids = fields.Many2many(
        'pharmacy.patient.medication', string='Synced Prescriptions',
        compute='_compute_prescription_ids',
        help='Active prescriptions of the patient opted in to sync.')
    next_sync_date = fields.Date(
        compute='_compute_next_sync_date',
        help='First sync date from today on (none once dropped out).')

    @api.model_cr
    def init(self):
        """One open enrollment per patient, enforced by PostgreSQL."""
        result = super().init()
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS pharmacy_sync_enrollment_one_open
                ON pharmacy_sync_enrollment (patient_id) WHERE state IN ('enrolled', 'paused')
        """)
        return result

    def _compute_prescription_ids(self):
        Prescription = self.env['pharmacy.patient.medication']
        found = Prescription.search([('patient_id', 'in', self.mapped('patient_id').ids),
                                     ('sync_opt_in', '=', True), ('state', '=', 'active')])
        for enrollment in self:
            enrollment.prescription_ids = found.filtered(
                lambda rx: rx.patient_id == enrollment.patient_id)

    @api.depends('sync_rule', 'sync_day', 'anchor_date', 'cycle_days', 'state')
    def _compute_next_sync_date(self):
        today = fields.Date.from_string(pharmacy_today(self))
        for enrollment in self:
            date = enrollment.state != 'dropped' and sync_date_of(enrollment, today)
            enrollment.next_sync_date = date and fields.Date.to_string(date)

    @api.constrains('sync_rule', 'sync_day', 'anchor_date', 'cycle_days')
    def _check_sync_rule(self):
        for enrollment in self:
            if enrollment.sync_rule == 'day' and not 1 <= enrollment.sync_day <= 31:
                raise ValidationError(_(
                    'Sync Day of %(patient)s must be a day of the month from 1 to 31 (got '
                    '%(day)s); in a shorter month the last day of the month is used.')
                    % {'patient': enrollment.patient_id.name, 'day': enrollment.sync_day})
            if enrollment.sync_rule == 'cycle' and (
                    not enrollment.anchor_date or enrollment.cycle_days not in SYNC_CYCLES):
                raise ValidationError(_(
                    'A sync cycle of %(patient)s needs an Anchor Date and a Cycle of 28 or 30 '
                    'days (got %(days)s).') % {'patient': enrollment.patient_id.name,
                                               'days': enrollment.cycle_days})

    @api.constrains('state', 'dropout_reason')
    def _check_dropout_reason(self):
        for enrollment in self:
            if enrollment.state == 'dropped' and not enrollment.dropout_reason:
                raise ValidationError(_(
                    'Drop-out Reason of %s is required to record a drop-out: choose why the '
                    'patient left refill sync.') % enrollment.patient_id.name)

    @api.constrains('anchor_prescription_id', 'patient_id')
    def _check_anchor_prescription(self):
        for enrollment in self.filtered('anchor_prescription_id'):
            if enrollment.anchor_prescription_id.patient_id != enrollment.patient_id:
                raise ValidationError(_(
                    'Anchor Prescription %(rx)s is not a prescription of %(patient)s.') % {
                        'rx': enrollment.anchor_prescription_id.rx_number,
                        'patient': enrollment.patient_id.name})

    @api.model
    def create(self, vals):
        try:
            with self.env.cr.savepoint():
                return super().create(vals)
        except psycopg2.IntegrityError as err:
            if 'pharmacy_sync_enrollment_one_open' not in str(err):
                raise
            # the index answers before the company rule: say nothing of another company's
            # patient (AccessError), and only then that the patient is enrolled
            self.env['res.partner'].browse(vals.get('patient_id')).check_access_rule('read')
            raise ValidationError(_(
                'Patient already has an open refill sync enrollment: resume or change it '
                'instead of enrolling again.')) from None

    def write(self, vals):
        """A drop-out cancels the appointments still to come (to confirm, confirmed)."""
        try:
            with self.env.cr.savepoint():
                result = super().write(vals)
            if vals.get('state') == 'dropped':
                self.mapped('appointment_ids').filtered(
                    lambda a: a.state in ('to_confirm', 'confirmed')).action_cancel()
            return result
        except psycopg2.IntegrityError as err:
            if 'pharmacy_sync_enrollment_one_open' not in str(err):
                raise
            raise ValidationError(_(
                'Patient already has an open refill sync enrollment: a dropped-out enrollment '
                'cannot be reopened while another is open.')) from None

    @api.model
    def _pharmacy_prepare_vals(self, vals):
        """Who enrolled is the user who creates the enrollment; a drop-out is dated today.
        An open enrollment of a patient who has one already is refused here, before the
        database's unique index would (which stays the guarantee between two transactions)."""
        vals = super()._pharmacy_prepare_vals(vals)
        self._check_one_open(vals)
        if not self:
            vals['enrolled_by'] = self.env.uid
        if vals.get('state') == 'dropped':
            vals['dropout_date'] = pharmacy_today(self)
        elif vals.get('state') in OPEN_STATES:
            vals['dropout_date'] = False
        return vals

    def _check_one_open(self, vals):
        state = vals.get('state', 'enrolled' if not self else None)
        if state not in OPEN_STATES and not (self and 'patient_id' in vals):
            return
        for enrollment in self or [self.browse()]:
            patient_id = vals.get('patient_id') or enrollment.patient_id.id
            if state is None and enrollment.state not in OPEN_STATES:
                continue
            others = self.sudo().search_count([
                ('patient_id', '=', patient_id), ('state', 'in', OPEN_STATES),
                ('id', 'not in', self.ids)])
            if others:
                # say it only to who may enroll this patient
                self.check_access_rights('write' if self else 'create')
                self.env['res.partner'].browse(patient_id).check_access_rule('read')
                raise ValidationError(_(
                    'Patient already has an open refill sync enrollment: resume or change it '
                    'instead of enrolling again.'))

    def action_pause(self):
        """Pause the enrolled ones of these enrollments (the others stay)."""
        return self.filtered(lambda e: e.state == 'enrolled')._pharmacy_state_transition(
            'action_pause')

    def action_resume(self):
        """Back to enrolled, from a pause or a drop-out (whose reason stays in the chatter)."""
        return self._pharmacy_state_transition(
            'action_resume', {'dropout_reason': False, 'dropout_note': False})

    def action_drop_out(self):
        """Open the enrollment on its drop-out fields: the reason is required."""
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': _('Drop-out of %s') % self.patient_id.name,
            'res_model': self._name,
            'res_id': self.id,
            'view_mode': 'form',
            'views': [(self.env.ref('pharmacy_crm_sync.pharmacy_sync_enrollment_view_form_dropout')
                       .id, 'form')],
            'target': 'new',
        }

    def action_confirm_drop_out(self):
        """Drop out, with the reason the drop-out form recorded."""
        self._drop_out()
        return {'type': 'ir.actions.act_window_close'}

    def _drop_out(self, vals=None):
        """Drop these enrollments out (``vals``: the reason and note, when given here)."""
        return self._pharmacy_state_transition('action_confirm_drop_out', vals)

    def action_open_plan(self):
        """The alignment plan of the patient's opted-in prescriptions (on demand)."""
        self.ensure_one()
        return self.env['pharmacy.sync.plan'].action_open(self.patient_id)

    @api.model
    def _cron_schedule_appointments(self):
        """Scheduled action: every enrolled patient gets their next sync appointment
        (``_schedule_next_appointment``)."""
        created = self.search([('state', '=', 'enrolled')])._schedule_next_appointment()
        _logger.info('refill sync: %d appointment(s) created', len(created))
        return created

    def _schedule_next_appointment(self):
        """For each enrollment in state enrolled, the appointment of its next sync date, with
        its call activity, unless an appointment is still to come (its date today or later,
        not picked up, missed or cancelled). The next sync date is the first on or after
        today, or, when the last appointment is closed (picked up, missed, cancelled) on or
        after that date, the first after it: the next cycle is planned at pickup, and the day
        after a sync date that nobody closed. One appointment per enrollment and date is a
        unique constraint: a second run, or two runs at once, create nothing twice. Returns
        what was created.
        """
        Appointment = self.env['pharmacy.sync.appointment']
        enrollments = self.filtered(lambda e: e.state == 'enrolled')
        last = Appointment._last_per_enrollment(enrollments.ids)
        created = Appointment
        for enrollment in enrollments:
            today = fields.Date.from_string(pharmacy_today(enrollment))   # its pharmacy's
            previous = last.get(enrollment.id)
            previous_date = previous and fields.Date.from_string(previous.date)
            closed = previous and previous.state in ('picked_up', 'missed', 'cancelled')
            if previous and not closed and previous_date >= today:
                continue
            date = sync_date_of(enrollment, today)
            if date and closed and previous_date >= date:
                date = sync_date_of(enrollment, previous_date + timedelta(days=1))
            if date:
                created |= Appointment._create_once(enrollment, fields.Date.to_string(date))
        return created
