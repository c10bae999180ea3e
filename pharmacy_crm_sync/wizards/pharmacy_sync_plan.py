# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date

from odoo.addons.pharmacy_crm.models.pharmacy_consent import CONSENT_SOURCES
from odoo.addons.pharmacy_crm.models.pharmacy_fill import EARLY_REFILL_REASONS
from ..models.pharmacy_sync_enrollment import sync_date_of
from ..tools import prorated_copay, short_fill_quantity, sync_day_options
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today


class PharmacySyncPlan(models.TransientModel):
    """Enrollment in refill sync and the alignment plan, shown before the first synced fill and
    on demand: the staff tick the prescriptions to sync (the eligible ones are proposed), see
    the arithmetic of each line, and apply it. Applying opts the ticked lines in (and the others
    out), records the short fills the staff ticked one by one as normal fills, and plans the
    first sync appointment. Nothing is filled that was not ticked."""

    _name = 'pharmacy.sync.plan'
    _description = 'Refill Sync Alignment Plan'

    patient_id = fields.Many2one('res.partner', required=True, readonly=True)
    enrollment_id = fields.Many2one('pharmacy.sync.enrollment', readonly=True)
    sync_rule = fields.Selection(
        [('day', 'Day of the month'), ('cycle', 'Cycle from an anchor date')],
        string='Sync On', required=True, default='day')
    sync_day = fields.Integer(help='1 to 31; in a shorter month, the month\'s last day.')
    anchor_date = fields.Date()
    cycle_days = fields.Integer(string='Cycle (days)', default=28, help='28 or 30.')
    anchor_prescription_id = fields.Many2one('pharmacy.patient.medication')
    consent_source = fields.Selection(CONSENT_SOURCES, help='How the patient agreed.')
    line_ids = fields.One2many('pharmacy.sync.plan.line', 'plan_id', string='Prescriptions')
    first_sync_date = fields.Date(compute='_compute_first_sync_date')
    best_sync_day = fields.Integer(
        compute='_compute_sync_day_options',
        help='The day of the month that needs the fewest short fills and refills too soon for '
             'the ticked prescriptions (then the least medication dispensed short).')
    sync_day_options = fields.Text(
        string='Sync Days Compared', compute='_compute_sync_day_options',
        help='For each day of the month on which a ticked prescription runs out: the short '
             'fills, refills too soon and days of medication dispensed short it needs.')

    @api.depends('sync_rule', 'sync_day', 'anchor_date', 'cycle_days')
    def _compute_first_sync_date(self):
        today = fields.Date.from_string(pharmacy_today(self))
        for plan in self:
            date = sync_date_of(plan, today)
            plan.first_sync_date = date and fields.Date.to_string(date)

    @api.depends('line_ids.selected', 'line_ids.prescription_id')
    def _compute_sync_day_options(self):
        """``tools.sync_day_options`` over the ticked lines (run-out = next due date, today
        when none or past; their refill-too-soon dates), one line of text per day."""
        today = fields.Date.from_string(pharmacy_today(self))
        for plan in self:
            options = plan._sync_day_options(today)
            plan.best_sync_day = options[0]['day'] if options else 0
            plan.sync_day_options = '\n'.join(
                _('Day %(day)s: %(short)s short fill(s), %(soon)s refill(s) too soon, '
                  '%(days)s day(s) dispensed short%(best)s') % {
                    'day': option['day'], 'short': option['short_fills'],
                    'soon': option['too_soon'], 'days': option['days_short'],
                    'best': _(' (best)') if index == 0 else ''}
                for index, option in enumerate(options)) or False

    def _sync_day_options(self, today):
        lines = []
        for line in self.line_ids.filtered('selected'):
            rx = line.prescription_id
            due = rx.next_due_date and fields.Date.from_string(rx.next_due_date)
            eligible = rx.refill_eligible_date and fields.Date.from_string(
                rx.refill_eligible_date)
            lines.append((max(due, today) if due else today, eligible))
        return sync_day_options(lines, today) if lines else []

    @api.onchange('anchor_prescription_id')
    def _onchange_anchor_prescription_id(self):
        """The sync day follows the anchor's due date."""
        due = self.anchor_prescription_id.next_due_date
        if due and self.sync_rule == 'day':
            self.sync_day = fields.Date.from_string(due).day
        elif due:
            self.anchor_date = due

    @api.model
    def action_open(self, patient=None):
        """The plan of ``patient`` (a patient, or its id): their active prescriptions, the
        opted-in ones ticked (or, for a new enrollment, the eligible ones), and the rule of
        their open enrollment."""
        if not isinstance(patient, models.BaseModel):
            patient = self.env['res.partner'].browse(
                patient if isinstance(patient, int) and not isinstance(patient, bool) else [])
        if len(patient) != 1:
            raise UserError(_('Choose one patient to plan refill sync for (from the '
                              'patient\'s form, button Refill Sync).'))
        Enrollment = self.env['pharmacy.sync.enrollment']
        enrollment = Enrollment.search([('patient_id', '=', patient.id),
                                        ('state', 'in', ('enrolled', 'paused'))], limit=1)
        prescriptions = self.env['pharmacy.patient.medication'].search(
            [('patient_id', '=', patient.id), ('state', '=', 'active')],
            order='next_due_date, id')
        vals = {'patient_id': patient.id, 'enrollment_id': enrollment.id,
                'line_ids': [(0, 0, {
                    'prescription_id': rx.id,
                    'selected': rx.sync_opt_in if enrollment else rx.sync_eligible})
                    for rx in prescriptions]}
        if enrollment:
            vals.update({name: enrollment[name] for name in (
                'sync_rule', 'sync_day', 'anchor_date', 'cycle_days', 'consent_source')})
            vals['anchor_prescription_id'] = enrollment.anchor_prescription_id.id
        plan = self.create(vals)
        if not enrollment:
            plan._propose_best_day()
        return plan._reopen()

    def _propose_best_day(self):
        """The sync day that needs the fewest short fills and refills too soon
        (``tools.sync_day_options``), anchored on a ticked prescription that runs out that day
        (today's day when nothing is ticked)."""
        self.ensure_one()
        today = fields.Date.from_string(pharmacy_today(self))
        options = self._sync_day_options(today)
        day = options[0]['day'] if options else today.day
        anchor = self.env['pharmacy.patient.medication']
        for line in self.line_ids.filtered('selected'):
            due = line.prescription_id.next_due_date
            run_out = max(fields.Date.from_string(due), today) if due else today
            if run_out.day == day:
                anchor = line.prescription_id
                break
        self.write({'sync_rule': 'day', 'sync_day': day, 'anchor_prescription_id': anchor.id})
        return True

    def action_best_day(self):
        """Use the best sync day for the lines ticked now."""
        self._propose_best_day()
        return self._reopen()

    def _reopen(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': (_('Refill sync plan of %s') if self.enrollment_id
                     else _('Enroll %s in refill sync')) % self.patient_id.name,
            'res_model': self._name,
            'res_id': self.id,
            'view_mode': 'form',
            'target': 'new',
        }

    def action_refresh(self):
        """Recompute the plan with the sync rule and ticks as they are now (saved)."""
        return self._reopen()

    def action_apply(self):
        """Enroll (if not yet), opt the ticked prescriptions in and the others out, record the
        ticked short fills, plan the first sync appointment; open it."""
        self.ensure_one()
        if not sync_date_of(self, fields.Date.from_string(pharmacy_today(self))):
            raise ValidationError(_('Sync Day (1 to 31), or an Anchor Date and a Cycle of 28 or '
                                    '30 days, is required to plan refill sync.'))
        selected = self.line_ids.filtered('selected')
        if not selected:
            raise UserError(_('Tick at least one prescription to sync.'))
        enrollment = self.enrollment_id
        rule = {'sync_rule': self.sync_rule, 'sync_day': self.sync_day,
                'anchor_date': self.anchor_date, 'cycle_days': self.cycle_days,
                'anchor_prescription_id': self.anchor_prescription_id.id}
        if not enrollment:
            if not self.consent_source:
                raise ValidationError(_('Consent Source is required to enroll %s: record how '
                                        'the patient agreed.') % self.patient_id.name)
            enrollment = self.env['pharmacy.sync.enrollment'].create(dict(
                rule, patient_id=self.patient_id.id, consent_source=self.consent_source))
        else:
            enrollment.write({k: v for k, v in rule.items() if enrollment[k] != v and not (
                k == 'anchor_prescription_id' and enrollment[k].id == v)})
        selected.mapped('prescription_id').filtered(
            lambda rx: not rx.sync_opt_in).write({'sync_opt_in': True})
        (self.line_ids - selected).mapped('prescription_id').filtered(
            'sync_opt_in').write({'sync_opt_in': False})
        for line in selected.filtered(lambda line: line.fill_short):
            if line.short_quantity <= 0:
                raise UserError(_('%s needs no short fill: it is due on the sync date.')
                                % line.prescription_id.rx_number)
            self.env['pharmacy.fill'].create({
                'prescription_id': line.prescription_id.id,
                'quantity': line.short_quantity, 'days_supply': line.days_to_sync,
                'early_refill_reason': line.early_refill_reason or False})
        appointments = enrollment._schedule_next_appointment()
        # an appointment planned before lines were ticked gets the new ones
        upcoming = enrollment.appointment_ids.filtered(
            lambda a: a.state in ('to_confirm', 'confirmed'))
        for appointment in upcoming:
            missing = enrollment.prescription_ids - appointment.line_ids.mapped('prescription_id')
            if missing:
                appointment.write({'line_ids': [(0, 0, {'prescription_id': rx.id})
                                                for rx in missing]})
        target = (appointments or upcoming)[:1]
        if not target:
            return {'type': 'ir.actions.act_window_close'}
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'pharmacy.sync.appointment',
            'res_id': target.id,
            'view_mode': 'form',
            'target': 'current',
        }


class PharmacySyncPlanLine(models.TransientModel):
    """One prescription of the plan and its arithmetic."""

    _name = 'pharmacy.sync.plan.line'
    _description = 'Refill Sync Alignment Plan Line'
    _order = 'id'

    plan_id = fields.Many2one('pharmacy.sync.plan', required=True, ondelete='cascade')
    prescription_id = fields.Many2one('pharmacy.patient.medication', required=True,
                                      readonly=True)
    medication_id = fields.Many2one(related='prescription_id.medication_id', readonly=True)
    sync_eligible = fields.Boolean(related='prescription_id.sync_eligible', readonly=True,
                                   string='Proposed')
    sync_ineligible_reason = fields.Char(related='prescription_id.sync_ineligible_reason',
                                         readonly=True)
    selected = fields.Boolean(string='Sync')
    run_out_date = fields.Date(compute='_compute_plan', string='Runs Out',
                               help='Next due date: last fill + its days supply; today when '
                                    'never filled or already past.')
    sync_date = fields.Date(compute='_compute_plan', help='First sync date on or after it '
                                                          'runs out.')
    days_to_sync = fields.Integer(compute='_compute_plan', help='Sync date - run-out date.')
    short_quantity = fields.Float(
        compute='_compute_plan', digits=(16, 2), string='Short Fill Quantity',
        help='quantity / days supply x days to sync, rounded up to a whole unit.')
    copay_hint = fields.Float(
        compute='_compute_plan', digits=(16, 2), string='Prorated Copay',
        help='Monthly copay x days to sync / days supply, rounded to cents.')
    warnings = fields.Char(compute='_compute_plan')
    fill_short = fields.Boolean(
        string='Fill Now', help='Record the short fill when the plan is applied (dated today): '
                                'it starts where the supply on hand runs out, so that the '
                                'prescription falls due on the sync date.')
    early_refill_reason = fields.Selection(
        EARLY_REFILL_REASONS, help='Needed (pharmacists) to fill before the refill-too-soon date.')

    @api.depends('selected', 'prescription_id', 'plan_id.sync_rule', 'plan_id.sync_day',
                 'plan_id.anchor_date', 'plan_id.cycle_days')
    def _compute_plan(self):
        """run-out = next due date (today if none or past); sync date = first sync date on or
        after it; days to sync = sync date - run-out; short quantity =
        short_fill_quantity(quantity, days supply, days to sync); copay hint =
        monthly copay x days to sync / days supply (cents). Warnings: a short fill today before
        the refill-too-soon date, no refills left, expiry before the sync date, schedule II-V.
        """
        today = fields.Date.from_string(pharmacy_today(self))
        schedules = dict(self.env['pharmacy.medication']._fields['schedule']
                         ._description_selection(self.env))
        for line in self:
            rx = line.prescription_id
            due = rx.next_due_date and fields.Date.from_string(rx.next_due_date)
            run_out = max(due, today) if due else today
            sync = sync_date_of(line.plan_id, run_out) if line.plan_id else None
            if not sync:
                line.run_out_date = fields.Date.to_string(run_out)
                line.sync_date = line.days_to_sync = line.short_quantity = False
                line.copay_hint = line.warnings = False
                continue
            days = (sync - run_out).days
            line.run_out_date = fields.Date.to_string(run_out)
            line.sync_date = fields.Date.to_string(sync)
            line.days_to_sync = days
            line.short_quantity = short_fill_quantity(rx.quantity, rx.days_supply, days)
            line.copay_hint = prorated_copay(rx.monthly_copay or None, days,
                                             rx.days_supply) or 0.0
            warnings = []
            if days > 0 and rx.refill_eligible_date and (
                    fields.Date.to_string(today) < rx.refill_eligible_date):
                warnings.append(_('refill too soon until %s')
                                % format_date(self.env, rx.refill_eligible_date))
            if rx.fill_count and not rx.refills_remaining:
                warnings.append(_('no refills left'))
            if rx.date_expiry and rx.date_expiry < fields.Date.to_string(sync):
                warnings.append(_('expires %s, before the sync date')
                                % format_date(self.env, rx.date_expiry))
            if rx.schedule and rx.schedule != 'none':
                warnings.append(schedules[rx.schedule])
            line.warnings = ', '.join(warnings) or False
