# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date

from odoo.addons.pharmacy_crm.models.res_company import boolean_search, month_start, pharmacy_today

STATES = [
    ('to_confirm', 'To confirm'),
    ('confirmed', 'Confirmed'),
    ('filled', 'Filled'),
    ('ready', 'Ready'),
    ('picked_up', 'Picked up'),
    ('missed', 'Missed'),
    ('cancelled', 'Cancelled'),
]


class PharmacySyncAppointment(models.Model):
    """One sync date of an enrolled patient: every synced prescription filled for one pickup.

    to confirm (a call activity N days before, N from the settings) -> confirmed (therapy
    changes recorded on the lines) -> filled (each line's fill recorded by the staff) -> ready
    -> picked up; or missed / cancelled. One appointment per enrollment and date (a unique
    constraint).
    """

    _name = 'pharmacy.sync.appointment'
    _description = 'Refill Sync Appointment'
    _inherit = ['pharmacy.phi.mixin', 'mail.thread', 'mail.activity.mixin',
                'pharmacy.audit.mixin']
    _pharmacy_server_fields = ('confirmed_by', 'confirmed_on')
    _pharmacy_state_actions = {'state': {
        'action_confirm': ('to_confirm', 'confirmed'),
        'action_back_to_confirm': (('confirmed', 'missed', 'cancelled'), 'to_confirm'),
        'action_filled': ('confirmed', 'filled'),
        'action_ready': ('filled', 'ready'),
        'action_pick_up': (('filled', 'ready'), 'picked_up'),
        'action_missed': (('to_confirm', 'confirmed', 'filled', 'ready'), 'missed'),
        'action_cancel': (('to_confirm', 'confirmed'), 'cancelled'),
    }}
    _order = 'date, id'
    _rec_name = 'display_title'

    enrollment_id = fields.Many2one('pharmacy.sync.enrollment',
                                    required=True, index=True, ondelete='restrict')
    patient_id = fields.Many2one(related='enrollment_id.patient_id', store=True, index=True,
                                 readonly=True)
    patient_phone = fields.Char(related='patient_id.phone', string='Patient Phone',
                                readonly=True)
    calendar_patient_name = fields.Char(
        string='Patient Name',
        compute='_compute_calendar_values',
        help="The patient's name, for the calendar: read in one query for all the "
             "appointments shown (the patient's many2one would read every column of each "
             "patient to name it).")
    date = fields.Date(string='Sync Date', required=True, index=True,
                       track_visibility='onchange')
    state = fields.Selection(STATES, required=True, default='to_confirm', index=True,
                             track_visibility='onchange', group_expand='_expand_states')
    line_ids = fields.One2many('pharmacy.sync.appointment.line', 'appointment_id',
                               string='Prescriptions')
    line_count = fields.Integer(compute='_compute_calendar_values', string='Prescriptions')
    line_summary = fields.Char(compute='_compute_line_summary', string='Medications',
                               help='The medications of the lines, for the board\'s cards.')
    confirmed_by = fields.Many2one('res.users', readonly=True)
    confirmed_on = fields.Date(readonly=True)
    note = fields.Text()
    display_title = fields.Char(compute='_compute_calendar_values', string='Appointment')
    company_id = fields.Many2one(
        related='enrollment_id.company_id', store=True, index=True, readonly=True)
    is_this_month = fields.Boolean(
        string='This Month', compute='_compute_is_this_month', search='_search_is_this_month',
        help="The sync date is in the pharmacy's current month.")

    _sql_constraints = [
        ('enrollment_date_uniq', 'unique(enrollment_id, date)',
         'The patient already has a sync appointment on this date.'),
    ]

    @api.model_cr
    def init(self):
        """The board's columns (a state) in their order (date, id): each column's first page
        is a range of this index, however many appointments the pharmacy's history holds
        (with the date's index alone, the "To confirm" column, in the future, is found after
        every picked-up appointment of the past)."""
        result = super().init()
        tools.create_index(self.env.cr, 'pharmacy_sync_appointment_state_date_id_index',
                           self._table, ['state', 'date', 'id'])
        return result

    def _compute_line_summary(self):
        """The lines' medications, "name strength" in line order: one query for all the
        appointments (whose reader may read their lines: same patient and company)."""
        summary, ids = {}, self._pharmacy_stored_ids()
        if ids:
            self.env.cr.execute("""
                SELECT line.appointment_id,
                       string_agg(concat_ws(' ', med.name, med.strength), ', '
                                  ORDER BY line.id)
                  FROM pharmacy_sync_appointment_line line
                  JOIN pharmacy_patient_medication rx ON rx.id = line.prescription_id
                  JOIN pharmacy_medication med ON med.id = rx.medication_id
                 WHERE line.appointment_id = ANY(%s)
              GROUP BY line.appointment_id""", [ids])
            summary = dict(self.env.cr.fetchall())
        for appointment in self:
            appointment.line_summary = summary.get(appointment.id, False)

    def _compute_calendar_values(self):
        """The patient's name, the title (patient, date) and the number of lines: what the
        calendar shows of each appointment, in one query for all of them (Odoo computes them
        1,000 records at a time). Through the ORM, naming the patients read every column of
        each patient of the month, and counting the lines read every line."""
        values = {}
        ids = self._pharmacy_stored_ids()
        if ids:
            self.env.cr.execute("""
                SELECT appointment.id, patient.name,
                       (SELECT count(*) FROM pharmacy_sync_appointment_line line
                         WHERE line.appointment_id = appointment.id)
                  FROM pharmacy_sync_appointment appointment
                  JOIN res_partner patient ON patient.id = appointment.patient_id
                 WHERE appointment.id = ANY(%s)""", [ids])
            values = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        dates = {}   # a month holds about 30 dates: each formatted once
        for appointment in self:
            if appointment.id in values:
                name, count = values[appointment.id]
            else:   # a new record (a form's onchange)
                name, count = appointment.patient_id.name, len(appointment.line_ids)
            if appointment.date not in dates:
                dates[appointment.date] = format_date(self.env, appointment.date)
            appointment.calendar_patient_name = name
            appointment.line_count = count
            appointment.display_title = '%s, %s' % (name or '', dates[appointment.date])

    def _compute_is_this_month(self):
        start, end = month_start(self), month_start(self, 1)
        for appointment in self:
            appointment.is_this_month = start <= appointment.date < end

    @api.model
    def _search_is_this_month(self, operator, value):
        return boolean_search(operator, value, [('date', '>=', month_start(self)),
                                                ('date', '<', month_start(self, 1))])

    @api.model
    def _expand_states(self, states, domain, order):
        """The kanban shows every column of the flow, empty ones included."""
        return [key for key, _label in STATES]

    @api.model
    def create(self, vals):
        appointment = super().create(vals)
        if appointment.state == 'to_confirm':
            appointment._schedule_call()
        return appointment

    # --- actions ---------------------------------------------------------------------------
    def action_confirm(self):
        """The patient was called: the therapy changes are on the lines; close the call."""
        self._pharmacy_state_transition('action_confirm', {
            'confirmed_by': self.env.uid, 'confirmed_on': pharmacy_today(self)})
        self._close_call(_('Confirmed'))
        return True

    def action_back_to_confirm(self):
        self._pharmacy_state_transition('action_back_to_confirm')
        for appointment in self:
            appointment._schedule_call()
        return True

    def action_filled(self):
        """Every line is filled (its fill recorded) or discontinued."""
        for appointment in self:
            missing = appointment.line_ids.filtered(
                lambda line: not line.fill_id and line.therapy_change != 'discontinued')
            if missing:
                raise UserError(_(
                    'Record the fill of every prescription of the sync appointment of '
                    '%(patient)s first (button Fill on each line): %(rx)s.') % {
                        'patient': appointment.patient_id.name,
                        'rx': ', '.join(missing.mapped('prescription_id.rx_number'))})
        return self._pharmacy_state_transition('action_filled')

    def action_ready(self):
        self._pharmacy_state_transition('action_ready')
        self.mapped('line_ids.fill_id').filtered(lambda f: f.state == 'filled').action_ready()
        return True

    def action_pick_up(self):
        """Picked up in one trip: the fills too; the next appointment is created at once."""
        self._pharmacy_state_transition('action_pick_up')
        self.mapped('line_ids.fill_id').filtered(
            lambda f: f.state in ('filled', 'ready')).action_pick_up()
        self.mapped('enrollment_id')._schedule_next_appointment()
        return True

    def action_missed(self):
        self._pharmacy_state_transition('action_missed')
        self._close_call(_('Missed'))
        return True

    def action_cancel(self):
        self._pharmacy_state_transition('action_cancel')
        self._close_call(_('Cancelled'))
        return True

    # --- business methods ------------------------------------------------------------------
    def _schedule_call(self):
        """A call activity for the enrollment's responsible user, due N days before the sync
        date (today if that is past)."""
        days = self.env['pharmacy.setting'].get('sync_activity_days')
        today = fields.Date.from_string(pharmacy_today(self))
        activity_type = self.env.ref('mail.mail_activity_data_call')
        model_id = self.env['ir.model']._get(self._name).id
        for appointment in self:
            deadline = max(today, fields.Date.from_string(appointment.date)
                           - timedelta(days=days))
            user = appointment.enrollment_id.responsible_user_id or self.env.user
            self.env['mail.activity'].create({
                'res_model_id': model_id, 'res_id': appointment.id,
                'activity_type_id': activity_type.id, 'user_id': user.id,
                'date_deadline': fields.Date.to_string(deadline),
                'summary': _('Refill sync: confirm the %s pickup')
                % format_date(self.env, appointment.date),
                'note': _('Call the patient: any dose change, discontinued or new '
                          'prescription? Record it on the lines, then Confirm.')})

    def _close_call(self, feedback):
        calls = self.mapped('activity_ids').filtered(
            lambda a: a.activity_type_id == self.env.ref('mail.mail_activity_data_call'))
        if calls:
            calls.action_feedback(feedback=feedback)

    def _pharmacy_stored_ids(self):
        """The ids of the records of ``self`` in the database (not new records)."""
        return [record_id for record_id in self.ids if isinstance(record_id, int)]

    @api.model
    def _last_per_enrollment(self, enrollment_ids):
        """{enrollment id: its appointment of the latest date}: one query."""
        if not enrollment_ids:
            return {}
        self.env.cr.execute("""
            SELECT DISTINCT ON (enrollment_id) enrollment_id, id
              FROM pharmacy_sync_appointment
             WHERE enrollment_id = ANY(%s)
          ORDER BY enrollment_id, date DESC, id DESC""", [list(enrollment_ids)])
        rows = self.env.cr.fetchall()
        records = self.browse([row[1] for row in rows])
        return {enrollment_id: self.browse(app_id).with_prefetch(records._prefetch)
                for enrollment_id, app_id in rows}

    @api.model
    def _create_once(self, enrollment, date):
        """The appointment of ``enrollment`` on ``date`` with its synced prescriptions, unless
        it exists: the unique constraint decides, so concurrent runs create one."""
        if self.search_count([('enrollment_id', '=', enrollment.id), ('date', '=', date)]):
            return self
        try:
            with self.env.cr.savepoint():
                return self.create({
                    'enrollment_id': enrollment.id, 'date': date,
                    'line_ids': [(0, 0, {'prescription_id': rx.id})
                                 for rx in enrollment.prescription_ids]})
        except psycopg2.IntegrityError as err:
            if 'enrollment_date_uniq' not in str(err):
                raise
            return self

    @api.constrains('date', 'enrollment_id')
    def _check_enrollment_open(self):
        for appointment in self:
            if appointment.enrollment_id.state == 'dropped' and appointment.state in (
                    'to_confirm', 'confirmed'):
                raise ValidationError(_(
                    'Sync appointment of %s cannot be planned: the patient dropped out of '
                    'refill sync.') % appointment.patient_id.name)
