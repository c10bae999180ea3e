# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools.misc import format_date

from ..tools import fill_status, prescription_expiry_date, refill_eligible_date, supply_run_out
from ..tools.dates import fill_status_sql
from .pharmacy_phi_mixin import PHARMACIST
from .res_company import days_from_today, days_from_today_domain, pharmacy_today

DISCONTINUE_REASONS = [
    ('therapy_complete', 'Therapy complete'),
    ('prescriber_change', 'Changed by the prescriber'),
    ('adverse_effect', 'Adverse effect'),
    ('patient_request', 'Patient request'),
    ('transferred', 'Transferred to another pharmacy'),
    ('deceased', 'Patient deceased'),
    ('other', 'Other'),
]
RENEWAL_NOTICE_DAYS = 30   # a prescription expiring within this many days needs a renewal
FILL_STATUSES = [
    ('fillable', 'Fillable'),
    ('too_soon', 'Too soon'),
    ('renewal', 'Needs renewal'),
    ('on_hold', 'On hold'),
    ('discontinued', 'Discontinued'),
]


class PharmacyPatientMedication(models.Model):
    """A prescription: one medication a patient takes, as written by one prescriber."""

    _name = 'pharmacy.patient.medication'
    _description = 'Prescription'
    _inherit = ['pharmacy.patient.record.mixin', 'mail.thread', 'mail.activity.mixin']
    _pharmacy_server_fields = ('held_by_archive',)
    _pharmacy_state_actions = {'state': {
        'action_hold': ('active', 'on_hold'),
        'action_resume': (('on_hold', 'discontinued'), 'active'),
        'action_discontinue': (('active', 'on_hold'), 'discontinued'),
    }}
    _audit_view_fields = ('sig', 'rx_number')
    _order = 'state, next_due_date, id desc'
    _rec_name = 'rx_number'

    # a pharmacy with prescriptions is never deleted (archived instead): its fills copy this
    # key without a foreign key of their own (pharmacy_fill.PrescriptionMany2one)
    company_id = fields.Many2one(ondelete='restrict')
    patient_state = fields.Selection(
        related='patient_id.patient_state', store=True, index=True, readonly=True,
        help='Stored so that the worklists filter on it in SQL.')
    patient_phone = fields.Char(related='patient_id.phone', string='Patient Phone',
                                readonly=True)
    medication_id = fields.Many2one(
        'pharmacy.medication', required=True, index=True,
        ondelete='restrict', track_visibility='onchange')
    prescriber_id = fields.Many2one(
        'res.partner', index=True, ondelete='restrict',
        domain=[('is_prescriber', '=', True)], track_visibility='onchange')
    # what a related field gives (read as superuser, searched as the user), computed from
    # the prescriptions as read: a related field reads its prescriptions again as superuser
    prescriber_phone = fields.Char(compute='_compute_prescriber_contact',
                                   search='_search_prescriber_phone', readonly=True)
    prescriber_fax = fields.Char(compute='_compute_prescriber_contact',
                                 search='_search_prescriber_fax', readonly=True)
    rx_number = fields.Char(required=True, index=True, copy=False,
                            track_visibility='onchange')
    sig = fields.Text(string='Directions', track_visibility='onchange',
                      help='Directions for use as written, e.g. "Take 1 tablet by mouth daily".')
    dose = fields.Char(track_visibility='onchange', help='e.g. 1 tablet, 10 mg.')
    # grouped lists and pivots average the days supply and do not add up quantities or
    # refills of different prescriptions (a sum of them means nothing)
    quantity = fields.Float(digits=(16, 2), track_visibility='onchange', group_operator=False,
                            help='Quantity dispensed per fill.')
    days_supply = fields.Integer(default=30, required=True, track_visibility='onchange',
                                 group_operator='avg')
    refills_authorized = fields.Integer(track_visibility='onchange',
                                        group_operator=False)
    refills_remaining = fields.Integer(
        compute='_compute_fill_summary', store=True, group_operator=False,
        help='Refills authorized minus fills after the first; returned fills do not count.')
    date_written = fields.Date(required=True, default=pharmacy_today,
                               track_visibility='onchange')
    date_expiry = fields.Date(
        string='Expires', compute='_compute_date_expiry', store=True,
        help='12 months after it was written; 6 months for schedules III to V.')
    schedule = fields.Selection(related='medication_id.schedule', store=True, readonly=True)
    state = fields.Selection([
        ('active', 'Active'),
        ('on_hold', 'On hold'),
        ('discontinued', 'Discontinued'),
    ], default='active', required=True, index=True, track_visibility='onchange')
    discontinue_reason = fields.Selection(DISCONTINUE_REASONS, track_visibility='onchange')
    discontinue_date = fields.Date(track_visibility='onchange')
    discontinue_note = fields.Text()
    fill_ids = fields.One2many('pharmacy.fill', 'prescription_id', string='Fills')
    fill_count = fields.Integer(compute='_compute_fill_summary', store=True,
                                help='Fills that count: returned fills excluded.')
    last_fill_date = fields.Date(compute='_compute_fill_summary', store=True)
    next_due_date = fields.Date(
        compute='_compute_fill_summary', store=True, index=True,
        help='The day the supply of its fills runs out: each fill starts where the supply '
             'before it runs out, if later than its fill date (supply on hand carries over). '
             'Only active prescriptions are due.')
    refill_eligible_date = fields.Date(
        string='Refill Too Soon Until', compute='_compute_fill_summary', store=True,
        help='Earliest date a payer pays for the refill: last fill + ceil(its days supply x the '
             'refill threshold of the pharmacy settings, 0.8 by default).')
    last_fill_days_supply = fields.Integer(
        compute='_compute_fill_summary', store=True,
        help='Days supply of the last counted fill, from which a new refill threshold '
             'recomputes the refill-too-soon date.')
    # stored to be searched and shown in lists; it changes with the pharmacy's date too (a
    # too-soon date passes, a prescription expires): ``_cron_refresh_fill_status`` brings it up
    # to date every hour, set-based, and the worklists search the dates themselves
    fill_status = fields.Selection(
        FILL_STATUSES, compute='_compute_fill_status', store=True, index=True,
        help='Whether it can be filled today: fillable; too soon (before the refill-too-soon '
             'date: a pharmacist may fill it with an early refill reason); needs renewal '
             '(expired, or no refill left: ask the prescriber for a new prescription); on hold '
             'or discontinued.')
    fill_status_text = fields.Char(
        string='Fill Status Details', compute='_compute_fill_status_text',
        help='The fill status with its date or reason, e.g. "Too soon until 12/21/2026".')
    held_by_archive = fields.Boolean(
        readonly=True, help='Put on hold because the patient was archived: resumes when the '
                            'patient is unarchived.')
    active = fields.Boolean(default=True)
    # worklists: flags that depend on today, searched through stored, indexed columns
    is_due = fields.Boolean(
        string='Due Today or Overdue', compute='_compute_worklists', search='_search_is_due',
        help='Active prescription of an active patient whose next due date is today or past, '
             'not expired and with a refill left (those need a renewal instead).')
    needs_renewal = fields.Boolean(
        compute='_compute_worklists', search='_search_needs_renewal',
        help='Active prescription of an active patient that has no refill left after a fill, '
             'or expires within %d days: ask the prescriber for a new one.'
             % RENEWAL_NOTICE_DAYS)
    due_in_days = fields.Integer(
        string='Due In (Days)', compute='_compute_due_in_days', search='_search_due_in_days',
        help="Next due date - the pharmacy's today: negative when overdue (0 without a due "
             "date).")
    expires_in_days = fields.Integer(
        string='Expires In (Days)', compute='_compute_expires_in_days',
        search='_search_expires_in_days',
        help="Expiry date - the pharmacy's today: negative once expired.")

    _sql_constraints = [
        ('rx_number_company_uniq', 'unique(rx_number, company_id)',
         'The Rx number is already used by another prescription of this pharmacy.'),
    ]

    @api.depends('date_written', 'medication_id.schedule')
    def _compute_date_expiry(self):
        for rx in self:
            written = fields.Date.from_string(rx.date_written)
            rx.date_expiry = written and prescription_expiry_date(written, rx.schedule)

    @api.depends('fill_ids.counts', 'fill_ids.fill_date', 'fill_ids.days_supply',
                 'refills_authorized', 'state')
    def _compute_fill_summary(self):
        """From the fills that count (not returned to stock):

        refills remaining = refills authorized - (fills - 1), never below 0;
        next due = the run-out of the fills, supply on hand carried over
        (``tools.dates.supply_run_out``; active prescriptions only);
        refill too soon until = last fill + ceil(its days supply x threshold) (active only),
        threshold read by ``_refill_threshold`` only when a prescription needs it.
        """
        threshold = None
        for rx in self:
            fills = rx.fill_ids.filtered('counts').sorted('fill_date')
            last = fills[-1:]
            rx.fill_count = len(fills)
            rx.refills_remaining = max(rx.refills_authorized - max(len(fills) - 1, 0), 0)
            rx.last_fill_date = last.fill_date
            rx.last_fill_days_supply = last.days_supply
            last_date = fields.Date.from_string(last.fill_date)
            if last_date and rx.state == 'active':
                if threshold is None:
                    threshold = self._refill_threshold()
                rx.next_due_date = supply_run_out(
                    (fields.Date.from_string(fill.fill_date), fill.days_supply)
                    for fill in fills)
                rx.refill_eligible_date = refill_eligible_date(
                    last_date, last.days_supply, threshold)
            else:
                rx.next_due_date = rx.refill_eligible_date = False

    @api.depends('state', 'date_expiry', 'refills_remaining', 'fill_count',
                 'refill_eligible_date')
    def _compute_fill_status(self):
        """``tools.dates.fill_status`` on the pharmacy's today (of each prescription's
        company, read once per company)."""
        todays = {}
        for rx in self:
            company = rx.company_id
            if company.id not in todays:
                todays[company.id] = (company or self.env['res.company']).pharmacy_today()
            rx.fill_status = fill_status(
                rx.state, todays[company.id], rx.date_expiry, rx.refills_remaining,
                rx.fill_count, rx.refill_eligible_date)

    def _compute_fill_status_text(self):
        for rx in self:
            rx.fill_status_text = rx._fill_status_text(
                rx.fill_status, rx.refill_eligible_date, rx.date_expiry)

    def _fill_status_text(self, status, eligible, expiry):
        """The fill status ``status`` in words, with its date (user's format) or reason."""
        if status == 'too_soon':
            return _('Too soon until %s') % format_date(self.env, eligible)
        if status == 'renewal' and expiry and expiry < pharmacy_today(self[:1] or self):
            return _('Needs renewal: expired %s') % format_date(self.env, expiry)
        if status == 'renewal':
            return _('Needs renewal: no refills left')
        return dict(self._fields['fill_status']._description_selection(self.env)).get(
            status, False)

    @api.model
    def _pharmacy_refresh_fill_status(self, ids=None):
        """Set-based: the stored fill status of the prescriptions ``ids`` (all when None) on
        each pharmacy's today (SQL ``pharmacy_today(company_id)``), the twin of
        ``_compute_fill_status``; only rows whose status changes are written. Called by the
        hourly scheduled action (a too-soon date passes, a prescription expires at the
        pharmacy's midnight) and a refill threshold change (the import's bulk recompute
        writes the same formula, ``fill_status_sql``, in its own UPDATE).
        Returns the number of prescriptions changed."""
        status = fill_status_sql('t.state', 'pharmacy_today(t.company_id)', 't.date_expiry',
                                 't.refills_remaining', 't.fill_count',
                                 't.refill_eligible_date')
        where = '' if ids is None else 'AND t.id = ANY(%(ids)s)'
        self.env.cr.execute(  # pylint: disable=sql-injection
            """UPDATE pharmacy_patient_medication t
                  SET fill_status = {status}, write_uid = %(uid)s,
                      write_date = now() AT TIME ZONE 'UTC'
                WHERE fill_status IS DISTINCT FROM {status} {where}
            RETURNING id""".format(status=status, where=where),
            {'uid': self.env.uid, 'ids': list(ids or [])})
        changed = [row[0] for row in self.env.cr.fetchall()]
        if changed:
            self.browse(changed).invalidate_cache(['fill_status'])
        return len(changed)

    @api.model
    def _cron_refresh_fill_status(self):
        """Scheduled hourly: the fill statuses that the pharmacy's date changed."""
        self._pharmacy_refresh_fill_status()
        return True

    def name_get(self):
        """The Rx number (``_rec_name``), read alone: Odoo's ``name_get`` reads it with every
        column of every prescription of the prefetch (a fill history names them all, as
        superuser: every prescription of the patient was read again, whole)."""
        return [(rx.id, rx.rx_number or '') for rx in self.with_context(prefetch_fields=False)]

    @api.depends('prescriber_id.phone', 'prescriber_id.fax')
    def _compute_prescriber_contact(self):
        """The prescriber's phone and fax, as ``related`` fields read them (as superuser), but
        from the prescribers these prescriptions name as read: a related field reads every
        prescription of the prefetch again as superuser to follow ``prescriber_id``."""
        for rx in self:
            prescriber = rx.prescriber_id.sudo()
            rx.prescriber_phone = prescriber.phone
            rx.prescriber_fax = prescriber.fax

    @api.model
    def _search_prescriber_phone(self, operator, value):
        return [('prescriber_id.phone', operator, value)]

    @api.model
    def _search_prescriber_fax(self, operator, value):
        return [('prescriber_id.fax', operator, value)]

    def _compute_worklists(self):
        """The same rules as the searches below, record by record."""
        today = pharmacy_today(self)
        notice = self._renewal_notice_date()
        for rx in self:
            current = rx.state == 'active' and rx.active and rx.patient_state == 'active'
            renewal = (rx.date_expiry and rx.date_expiry < today) or (
                rx.refills_remaining == 0 and rx.fill_count > 0)
            rx.is_due = bool(current and rx.next_due_date and rx.next_due_date <= today
                             and not renewal)
            rx.needs_renewal = bool(current and (
                (rx.refills_remaining == 0 and rx.fill_count > 0)
                or (rx.date_expiry and rx.date_expiry <= notice)))

    def _compute_due_in_days(self):
        """next due date - today (``days_from_today``)."""
        for rx, days in zip(self, self._pharmacy_days_from_today('next_due_date')):
            rx.due_in_days = days

    def _compute_expires_in_days(self):
        """expiry date - today (``days_from_today``)."""
        for rx, days in zip(self, self._pharmacy_days_from_today('date_expiry')):
            rx.expires_in_days = days

    def _pharmacy_days_from_today(self, field_name):
        """``field - today`` in whole days for each prescription (0 without a date), today
        being its pharmacy's (``days_from_today``), asked once per company. The company is
        read alone (``prefetch_fields``): a patient's form lists the due days of its
        prescriptions without their company, and every other column would be read with it."""
        todays, days = {}, []
        for rx, alone in zip(self, self.with_context(prefetch_fields=False)):
            company = alone.company_id or self.env['res.company']
            if company.id not in todays:
                todays[company.id] = fields.Date.from_string(company.pharmacy_today())
            days.append(days_from_today(rx, rx[field_name], todays[company.id]))
        return days

    @api.model
    def _search_is_due(self, operator, value):
        """Due today and overdue: state active, patient active, next due date <= today, and
        fillable by a refill: not expired (expiry date >= today) and a refill left (or never
        filled). Expired and used-up prescriptions are in Renewals Needed instead."""
        today = pharmacy_today(self)
        domain = [('state', '=', 'active'), ('patient_state', '=', 'active'),
                  ('next_due_date', '<=', today),
                  '|', ('date_expiry', '=', False), ('date_expiry', '>=', today),
                  '|', ('refills_remaining', '>', 0), ('fill_count', '=', 0)]
        return self._worklist_domain(domain, operator, value)

    @api.model
    def _search_due_in_days(self, operator, value):
        return days_from_today_domain(self, 'next_due_date', operator, value)

    @api.model
    def _search_expires_in_days(self, operator, value):
        return days_from_today_domain(self, 'date_expiry', operator, value)

    @api.model
    def _search_needs_renewal(self, operator, value):
        """Renewals needed: state active, patient active, and either no refill remaining
        after at least one fill, or expiry date <= today + 30 days (expired ones included)."""
        domain = [('state', '=', 'active'), ('patient_state', '=', 'active'),
                  '|', '&', ('refills_remaining', '=', 0), ('fill_count', '>', 0),
                  ('date_expiry', '<=', self._renewal_notice_date())]
        return self._worklist_domain(domain, operator, value)

    @api.model
    def _worklist_domain(self, domain, operator, value):
        if operator not in ('=', '!=') or not isinstance(value, bool):
            raise UserError(_('Worklist filters are searched with "= True" or "= False" only.'))
        # a search method's domain replaces one leaf: its operators must be explicit
        domain = expression.normalize_domain(domain)
        if (operator == '=') == value:
            return domain
        # not ['!'] + domain: SQL's NOT would drop the rows where a date is empty. The
        # positive set (a day's worklist) is small.
        return [('id', 'not in', self._search(domain))]

    @api.model
    def _renewal_notice_date(self):
        today = fields.Date.from_string(pharmacy_today(self))
        return fields.Date.to_string(today + timedelta(days=RENEWAL_NOTICE_DAYS))

    @api.constrains('days_supply', 'quantity', 'refills_authorized')
    def _check_quantities(self):
        for rx in self:
            if rx.days_supply <= 0:
                raise ValidationError(_(
                    'Days supply of %(rx)s must be at least 1 day (got %(days)s).')
                    % {'rx': rx.rx_number, 'days': rx.days_supply})
            if rx.quantity < 0:
                raise ValidationError(_(
                    'Quantity of %(rx)s cannot be negative (got %(quantity)s).')
                    % {'rx': rx.rx_number, 'quantity': rx.quantity})
            if rx.refills_authorized < 0:
                raise ValidationError(_(
                    'Refills authorized of %(rx)s cannot be negative (got %(refills)s).')
                    % {'rx': rx.rx_number, 'refills': rx.refills_authorized})

    @api.constrains('refills_authorized', 'medication_id')
    def _check_controlled_refills(self):
        """Schedule II: no refills. Schedules III-V: at most 5 refills."""
        for rx in self:
            if rx.schedule == '2' and rx.refills_authorized:
                raise ValidationError(_(
                    'Refills authorized of %(rx)s must be 0: %(medication)s is a schedule II '
                    'controlled substance, which cannot be refilled. Enter a new prescription '
                    'instead.') % {'rx': rx.rx_number, 'medication': rx.medication_id.display_name})
            if rx.schedule in ('3', '4', '5') and rx.refills_authorized > 5:
                raise ValidationError(_(
                    'Refills authorized of %(rx)s must be 5 or fewer for a schedule III-V '
                    'controlled substance (got %(refills)s).')
                    % {'rx': rx.rx_number, 'refills': rx.refills_authorized})

    @api.constrains('state', 'discontinue_reason')
    def _check_discontinue_reason(self):
        for rx in self:
            if rx.state == 'discontinued' and not rx.discontinue_reason:
                raise ValidationError(_(
                    'Discontinue reason of %s is required to discontinue it.') % rx.rx_number)

    @api.constrains('patient_id', 'state')
    def _check_patient_active(self):
        for rx in self:
            if rx.state == 'active' and not rx.patient_id.active:
                raise ValidationError(_(
                    'Prescription %(rx)s cannot be active: patient %(patient)s is archived. '
                    'Unarchive the patient first.')
                    % {'rx': rx.rx_number, 'patient': rx.patient_id.name})

    @api.model
    def _pharmacy_prepare_vals(self, vals):
        """Only pharmacists discontinue a prescription, or resume a discontinued one."""
        vals = super()._pharmacy_prepare_vals(vals)
        if 'state' in vals and any(
                'discontinued' in (state, vals['state']) and state != vals['state']
                for state in self.mapped('state') or [None]):
            self._check_may_discontinue()
        if 'active' in vals and any(rx.active != bool(vals['active']) for rx in self) and (
                not self.env.user.has_group(PHARMACIST)):
            raise AccessError(_(
                'Only pharmacists may archive or unarchive a prescription: an archived '
                'prescription is no longer seen nor due. Put it on hold instead, or ask a '
                'pharmacist to discontinue it.'))
        return vals

    def action_discontinue(self):
        """Open the wizard that asks for the reason."""
        self._check_may_discontinue()
        if len(self) == 1:
            name = _('Discontinue %(medication)s for %(patient)s') % {
                'medication': self.medication_id.display_name, 'patient': self.patient_id.name}
        else:
            name = _('Discontinue %d prescriptions') % len(self)
        return {
            'type': 'ir.actions.act_window',
            'name': name,
            'res_model': 'pharmacy.prescription.discontinue',
            'view_mode': 'form',
            'target': 'new',
            'context': {'default_prescription_ids': [(6, 0, self.ids)]},
        }

    def action_record_fill(self):
        """Open a new fill of this prescription, dated today, with its quantity and days
        supply: the user checks and saves it (the server applies the refill rules)."""
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': _('Fill %(rx)s: %(medication)s for %(patient)s') % {
                'rx': self.rx_number, 'medication': self.medication_id.display_name,
                'patient': self.patient_id.name},
            'res_model': 'pharmacy.fill',
            'view_mode': 'form',
            'views': [(self.env.ref('pharmacy_crm.pharmacy_fill_view_form_record').id, 'form')],
            'target': 'new',
            'context': {'default_prescription_id': self.id, 'default_quantity': self.quantity,
                        'default_days_supply': self.days_supply},
        }

    def action_call_prescriber(self):
        """Dial the prescriber's phone through the workstation's phone handler (tel: link)."""
        self.ensure_one()
        if not self.prescriber_phone:
            raise UserError(_('%s has no phone number: add it on the prescriber\'s contact.')
                            % (self.prescriber_id.name or _('The prescriber')))
        return {
            'type': 'ir.actions.act_url',
            'url': 'tel:%s' % ''.join(c for c in self.prescriber_phone if c.isdigit() or c == '+'),
            'target': 'self',
        }

    def action_hold(self):
        """Put the active ones of these prescriptions on hold (the others stay)."""
        return self.filtered(lambda rx: rx.state == 'active')._pharmacy_state_transition(
            'action_hold')

    def action_resume(self):
        """Back to active, from hold or discontinuation (which keeps its reason in the chatter)."""
        return self._pharmacy_state_transition('action_resume', {
            'discontinue_reason': False, 'discontinue_date': False, 'discontinue_note': False})

    def _discontinue(self, reason, date, note=False):
        """Discontinue (the wizard's confirmation, a patient's death): a pharmacist's."""
        return self._pharmacy_state_transition('action_discontinue', {
            'discontinue_reason': reason, 'discontinue_date': date, 'discontinue_note': note})

    def _hold_for_archive(self):
        """Hold the active prescriptions of a patient being archived, remembering why."""
        self.filtered(lambda rx: rx.state == 'active')._pharmacy_server_write(
            {'state': 'on_hold', 'held_by_archive': True})

    def _resume_after_unarchive(self):
        """Resume the prescriptions the archive held; those held for another reason stay."""
        held = self.filtered('held_by_archive')
        on_hold = held.filtered(lambda rx: rx.state == 'on_hold')
        on_hold._pharmacy_server_write({'held_by_archive': False, 'state': 'active'})
        (held - on_hold)._pharmacy_server_write({'held_by_archive': False})

    @api.model
    def _check_may_discontinue(self):
        if not self.env.user.has_group(PHARMACIST):
            raise AccessError(_(
                'Only pharmacists may discontinue a prescription or resume a discontinued one. '
                'Ask a pharmacist, or put the prescription on hold.'))

    @api.model
    def _refill_threshold(self):
        """Share of the days supply after which a payer pays a refill: the pharmacy setting
        ``refill_threshold`` (0.8 by default), read locked and strict (see
        ``pharmacy.setting.get``): a threshold change waits for this transaction, or makes
        Odoo retry it; a parameter written by hand with what is no threshold is refused."""
        return self.env['pharmacy.setting'].get('refill_threshold', lock=True, strict=True)
