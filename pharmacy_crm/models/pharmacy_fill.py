# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import sql
from odoo.tools.misc import format_date

from .pharmacy_phi_mixin import PHARMACIST
from .res_company import days_from_today, days_from_today_domain, pharmacy_today

# the facts of a fill whose change other records may react to (_pharmacy_fills_changed)
FILL_FACTS = {'fill_date', 'days_supply', 'quantity', 'state', 'pickup_date'}

EARLY_REFILL_REASONS = [
    ('vacation', 'Vacation supply'),
    ('lost', 'Lost or stolen medication'),
    ('dose_increase', 'Dose increase'),
    ('other', 'Other'),
]


class PrescriptionMany2one(fields.Many2one):
    """A stored many2one related to its prescription's (the fill's patient, medication,
    therapeutic class and company): a copy of what the prescription's own key already
    guarantees, so without a foreign key of its own. Odoo creates one for every stored
    many2one (``update_db_foreign_key``, at each install and update): PostgreSQL then checked
    each of the four per fill written, row by row (about 11 s of the full import of 809,712
    fills at 20,000 patients, a quarter of it). This field creates none, and drops one left
    by an earlier version.

    Why a fill still cannot point nowhere: its ``prescription_id`` has its foreign key
    (``ondelete='restrict'``), and the prescription's patient, medication and company keys
    and the medication's therapeutic class key are all ``ON DELETE RESTRICT``: while a fill
    exists, none of the four records it copies can be deleted (PostgreSQL refuses), and the
    copies equal the prescription's values (the ORM recomputes these related fields when a
    prescription's patient or medication, a medication's class or a patient's company
    changes; the import writes them from the prescription in the same statements, and
    recomputes them when it changes a medication). Archiving deletes nothing."""

    def update_db_foreign_key(self, model, column):
        cr = model.env.cr
        cr.execute("""SELECT con.conname FROM pg_constraint con
                       JOIN pg_class c ON c.oid = con.conrelid
                       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = con.conkey[1]
                      WHERE con.contype = 'f' AND c.relname = %s AND a.attname = %s""",
                   [model._table, self.name])
        for (name,) in cr.fetchall():
            sql.drop_constraint(cr, model._table, name)
            cr.execute('DELETE FROM ir_model_constraint WHERE name = %s', [name])


class PharmacyFill(models.Model):
    """One dispensing of a prescription: the fill history of a patient."""

    _name = 'pharmacy.fill'
    _inherit = ['pharmacy.phi.mixin', 'pharmacy.audit.mixin']
    _description = 'Fill'
    _pharmacy_server_fields = ('early_refill_by',)
    _pharmacy_state_actions = {'state': {
        'action_ready': ('filled', 'ready'),
        'action_pick_up': (('filled', 'ready'), 'picked_up'),
        'action_return_to_stock': (('filled', 'ready'), 'returned'),
        'action_undo_return': ('returned', 'ready'),
    }}
    # a fill recorded after the fact: already ready, or picked up (with its pickup date)
    _pharmacy_state_create = {'state': ('ready', 'picked_up')}
    _order = 'fill_date desc, id desc'

    prescription_id = fields.Many2one(
        'pharmacy.patient.medication', required=True, index=True,
        ondelete='restrict')
    # copies of the prescription's, without foreign keys of their own (PrescriptionMany2one)
    patient_id = PrescriptionMany2one(
        related='prescription_id.patient_id', store=True, index=True, readonly=True)
    medication_id = PrescriptionMany2one(
        related='prescription_id.medication_id', store=True, readonly=True)
    therapeutic_class_id = PrescriptionMany2one(
        related='prescription_id.medication_id.therapeutic_class_id', store=True, readonly=True,
        help='Stored to count fills per class (reporting).')
    patient_phone = fields.Char(related='patient_id.phone', string='Patient Phone',
                                readonly=True)
    fill_date = fields.Date(required=True, default=pharmacy_today, index=True)
    quantity = fields.Float(digits=(16, 2), required=True)
    # a sum of days supplied over fills means nothing: grouped lists show the average
    days_supply = fields.Integer(required=True, group_operator='avg')
    is_short_fill = fields.Boolean(
        string='Short Fill', compute='_compute_is_short_fill', store=True,
        help='Fewer days than the prescription supplies, e.g. to align it with other refills.')
    state = fields.Selection([
        ('filled', 'Filled'),
        ('ready', 'Ready for pickup'),
        ('picked_up', 'Picked up'),
        ('returned', 'Returned to stock'),
    ], default='filled', required=True, index=True)
    pickup_date = fields.Date()
    counts = fields.Boolean(
        compute='_compute_counts', store=True,
        help='Counts for refills and due dates: every fill not returned to stock.')
    early_refill_reason = fields.Selection(
        EARLY_REFILL_REASONS,
        help='Why a pharmacist allowed this fill before the refill-too-soon date.')
    early_refill_note = fields.Char()
    early_refill_by = fields.Many2one(
        'res.users', string='Early Refill Allowed By', readonly=True,
        help='The pharmacist who recorded the fill before the refill-too-soon date.')
    company_id = PrescriptionMany2one(
        related='prescription_id.company_id', store=True, index=True, readonly=True)
    fill_warning = fields.Char(
        compute='_compute_fill_warning',
        help='Why the prescription cannot be filled on this date, shown before saving.')
    age_days = fields.Integer(
        string='Days Since Fill', compute='_compute_age_days', search='_search_age_days',
        help="The pharmacy's today - the fill date.")
    waiting_too_long = fields.Boolean(
        string='Waiting for Pickup Too Long', compute='_compute_waiting_too_long',
        search='_search_waiting_too_long',
        help='Filled or ready for pickup, not picked up, filled more than N days ago (the '
             'setting Waiting for Pickup After, 7 by default): call the patient or '
             'return it to stock.')

    def _compute_age_days(self):
        for fill in self:
            fill.age_days = -days_from_today(fill, fill.fill_date)

    @api.model
    def _search_age_days(self, operator, value):
        return days_from_today_domain(self, 'fill_date', operator, value, age=True)

    @api.depends('prescription_id', 'fill_date')
    def _compute_fill_warning(self):
        """A new fill's dialog says before saving what the server would refuse or ask: a
        prescription that needs renewal or is on hold, a date before the refill-too-soon date
        (in the user's date format)."""
        # the prescription as stored: in the dialog's onchange, its computed fields would
        # already count the fill being recorded
        ids = [rx.id for rx in self.mapped('prescription_id') if isinstance(rx.id, int)]
        stored = {}
        if ids:
            self.env.cr.execute(
                'SELECT id, fill_status, refill_eligible_date, date_expiry '
                'FROM pharmacy_patient_medication WHERE id = ANY(%s)', [ids])
            stored = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for fill in self:
            rx = fill.prescription_id
            warning = False
            if rx.id in stored and not fill.id:
                status, eligible, expiry = stored[rx.id]
                if status in ('renewal', 'on_hold', 'discontinued'):
                    warning = _('%(rx)s cannot be filled: %(status)s.') % {
                        'rx': rx.rx_number,
                        'status': rx._fill_status_text(status, eligible, expiry)}
                elif eligible and fill.fill_date and fill.fill_date < eligible:
                    warning = _('Refill too soon until %(date)s: payers reject an earlier '
                                'claim. Only a pharmacist may fill it now, with an early '
                                'refill reason.') % {'date': format_date(self.env, eligible)}
            fill.fill_warning = warning

    @api.depends('days_supply', 'prescription_id.days_supply')
    def _compute_is_short_fill(self):
        """short fill = days supply of the fill < days supply of the prescription."""
        for fill in self:
            fill.is_short_fill = 0 < fill.days_supply < fill.prescription_id.days_supply

    def _compute_waiting_too_long(self):
        limit = self._pickup_limit_date()
        for fill in self:
            fill.waiting_too_long = fill.state in ('filled', 'ready') and fill.fill_date < limit

    @api.model
    def _search_waiting_too_long(self, operator, value):
        """Waiting for pickup too long: state filled or ready, fill date < today - N days.
        N is read once per search."""
        if operator not in ('=', '!=') or not isinstance(value, bool):
            raise UserError(_('Worklist filters are searched with "= True" or "= False" only.'))
        # a search method's domain replaces one leaf: its operators must be explicit
        domain = ['&', ('state', 'in', ('filled', 'ready')),
                  ('fill_date', '<', self._pickup_limit_date())]
        # state and fill date are required: SQL's NOT drops no row with an empty value
        return domain if (operator == '=') == value else ['!'] + domain

    @api.model
    def _pickup_limit_date(self):
        """today - N days, N = the pharmacy setting pickup_reminder_days."""
        today = fields.Date.from_string(pharmacy_today(self))
        days = self.env['pharmacy.setting'].get('pickup_reminder_days')
        return fields.Date.to_string(today - timedelta(days=days))

    @api.depends('state')
    def _compute_counts(self):
        for fill in self:
            fill.counts = fill.state != 'returned'

    @api.onchange('prescription_id')
    def _onchange_prescription_id(self):
        for fill in self.filtered('prescription_id'):
            fill.quantity = fill.quantity or fill.prescription_id.quantity
            fill.days_supply = fill.days_supply or fill.prescription_id.days_supply

    @api.constrains('quantity', 'days_supply')
    def _check_quantities(self):
        for fill in self:
            if fill.quantity <= 0:
                raise ValidationError(_(
                    'Quantity of the fill of %(rx)s must be more than 0 (got %(quantity)s).')
                    % {'rx': fill.prescription_id.rx_number, 'quantity': fill.quantity})
            if fill.days_supply <= 0:
                raise ValidationError(_(
                    'Days supply of the fill of %(rx)s must be at least 1 day (got %(days)s).')
                    % {'rx': fill.prescription_id.rx_number, 'days': fill.days_supply})

    @api.constrains('fill_date', 'state', 'prescription_id')
    def _check_prescription_allows_fill(self):
        """A fill must fall within the prescription's dates and its refills."""
        for fill in self.filtered('counts'):
            rx = fill.prescription_id
            if fill.fill_date < rx.date_written:
                raise ValidationError(_(
                    'Fill date %(date)s of %(rx)s is before the prescription was written '
                    '(%(written)s).')
                    % {'date': format_date(self.env, fill.fill_date), 'rx': rx.rx_number,
                       'written': format_date(self.env, rx.date_written)})
            if rx.date_expiry and fill.fill_date > rx.date_expiry:
                raise ValidationError(_(
                    'Fill date %(date)s of %(rx)s is after the prescription expired '
                    '(%(expiry)s). Ask the prescriber for a new prescription.')
                    % {'date': format_date(self.env, fill.fill_date), 'rx': rx.rx_number,
                       'expiry': format_date(self.env, rx.date_expiry)})
            if len(rx.fill_ids.filtered('counts')) > rx.refills_authorized + 1:
                raise ValidationError(_(
                    'Prescription %(rx)s has no refills left: %(refills)s refill(s) '
                    'authorized, so at most %(fills)s fills. Ask the prescriber for a new '
                    'prescription.') % {'rx': rx.rx_number, 'refills': rx.refills_authorized,
                                        'fills': rx.refills_authorized + 1})

    @api.constrains('fill_date')
    def _check_fill_date_not_future(self):
        today = pharmacy_today(self)
        for fill in self:
            if fill.fill_date > today:
                raise ValidationError(_(
                    'Fill date %(date)s of %(rx)s is in the future: record a fill on the day '
                    'it is filled.') % {'date': format_date(self.env, fill.fill_date),
                                        'rx': fill.prescription_id.rx_number})

    @api.constrains('state', 'pickup_date', 'fill_date')
    def _check_pickup_date(self):
        for fill in self:
            if fill.state == 'picked_up' and not fill.pickup_date:
                raise ValidationError(_(
                    'Pickup date of the fill of %s is required once it is picked up.')
                    % fill.prescription_id.rx_number)
            if fill.pickup_date and fill.pickup_date < fill.fill_date:
                raise ValidationError(_(
                    'Pickup date %(pickup)s of the fill of %(rx)s is before its fill date '
                    '%(date)s.') % {'pickup': format_date(self.env, fill.pickup_date),
                                    'rx': fill.prescription_id.rx_number,
                                    'date': format_date(self.env, fill.fill_date)})

    @api.model
    def _pharmacy_prepare_vals(self, vals):
        """A new fill needs an active prescription of an active patient, and, before the
        refill-too-soon date, a pharmacist's reason (recorded with who allowed it). A fill
        stays on the prescription it was recorded for."""
        vals = super()._pharmacy_prepare_vals(vals)
        if self and 'prescription_id' in vals and any(
                fill.prescription_id.id != vals['prescription_id'] for fill in self):
            raise UserError(_(
                'Prescription of a fill cannot change: the fill was dispensed for %s. Return '
                'it to stock and record a fill on the right prescription.')
                % ', '.join(self.mapped('prescription_id.rx_number')))
        if self or not vals.get('prescription_id'):
            return vals
        rx = self.env['pharmacy.patient.medication'].browse(vals['prescription_id'])
        patient = rx.patient_id
        self._pharmacy_check_new_fill(rx, vals.get('fill_date') or pharmacy_today(rx))
        if not patient.active or patient.sudo().patient_state != 'active':
            raise ValidationError(_(
                'No fill can be recorded for %(rx)s: patient %(patient)s is %(state)s. '
                'Unarchive the patient or change their status first.') % {
                    'rx': rx.rx_number, 'patient': patient.name,
                    'state': _('archived') if not patient.active else dict(
                        patient._fields['patient_state']._description_selection(self.env))[
                            patient.sudo().patient_state].lower()})
        if rx.state != 'active':
            raise ValidationError(_(
                'No fill can be recorded for %(rx)s: the prescription is %(state)s. Resume '
                'it first.') % {'rx': rx.rx_number, 'state': dict(
                    rx._fields['state']._description_selection(self.env))[rx.state].lower()})
        fill_date = vals.get('fill_date') or pharmacy_today(self)
        if rx.refill_eligible_date and fill_date < rx.refill_eligible_date:
            if not vals.get('early_refill_reason'):
                raise ValidationError(_(
                    'Refill too soon: %(rx)s can be refilled from %(eligible)s (payers reject '
                    'an earlier claim). A pharmacist may fill it earlier by giving an early '
                    'refill reason.') % {'rx': rx.rx_number,
                                         'eligible': format_date(self.env,
                                                                 rx.refill_eligible_date)})
            if not self.env.user.has_group(PHARMACIST):
                raise AccessError(_(
                    'Only a pharmacist may fill %(rx)s before %(eligible)s (refill too soon). '
                    'Ask a pharmacist.') % {'rx': rx.rx_number, 'eligible': format_date(
                        self.env, rx.refill_eligible_date)})
            vals['early_refill_by'] = self.env.uid
        return vals

    @api.model
    def create(self, vals):
        fill = super().create(vals)
        fill._pharmacy_fills_changed()
        return fill

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if FILL_FACTS & set(vals):
            self._pharmacy_fills_changed()
        return result

    @api.model
    def _pharmacy_check_new_fill(self, rx, fill_date):
        """Hook: refuse (UserError) a new fill of ``rx`` dated ``fill_date`` for a reason of
        an addon's (e.g. a dismissal that took effect); return True when it may be recorded."""
        return True

    def _pharmacy_fills_changed(self):
        """Hook, set-based: the fills ``self`` were just recorded, or their date, supply, state
        or pickup changed, by the ORM (one fill at the counter) or by the SQL of an import
        (thousands at once, called once after it wrote them all). An addon reacting to fills
        (e.g. closing an opportunity when a patient fills again) overrides it with ``super()``,
        works on ``self.ids`` in SQL, never per record, and returns True."""
        return True

    def _pharmacy_counted_patient_ids(self):
        """The patients of the fills ``self`` that count (a returned fill does not), in one
        query: what an override of ``_pharmacy_fills_changed`` reacting to a patient filling
        usually needs."""
        if not self.ids:
            return []
        # the ids as one array literal: an import passes ~800,000 of them, which psycopg2
        # would send as ARRAY[...] of as many expressions to parse (3x slower)
        self.env.cr.execute('SELECT DISTINCT patient_id FROM pharmacy_fill '
                            'WHERE id = ANY(%s::int[]) AND counts',
                            ['{%s}' % ','.join(str(int(i)) for i in self.ids)])
        return [row[0] for row in self.env.cr.fetchall()]

    def name_get(self):
        """Rx number - medication and strength, fill date in the user's format: e.g.
        "Rx 900001 - Atorvastatin 20 mg, 12/01/2026" (a breadcrumb, a many2one, a log)."""
        result = []
        for fill in self:
            rx = fill.prescription_id
            label = ' – '.join(filter(None, [
                _('Rx %s') % rx.rx_number if rx.rx_number else '',
                rx.medication_id.display_name or '']))
            result.append((fill.id, '%s, %s' % (label, format_date(self.env, fill.fill_date))
                           if fill.fill_date else label))
        return result

    def action_fill_recorded(self):
        """The Record Fill button of the fill dialog (which saves the fill first): a
        notification with the prescription's next due date, and the dialog closes."""
        self.ensure_one()
        rx = self.prescription_id
        return {
            'type': 'ir.actions.client',
            'tag': 'pharmacy_crm.notify',
            'params': {
                'title': _('Fill recorded'),
                'message': (_('Fill recorded, next due %s') % format_date(
                    self.env, rx.next_due_date)) if rx.next_due_date else _('Fill recorded'),
            },
        }

    def action_ready(self):
        return self._pharmacy_state_transition('action_ready')

    def action_pick_up(self):
        """Picked up today."""
        return self._pharmacy_state_transition('action_pick_up',
                                               {'pickup_date': pharmacy_today(self)})

    def action_return_to_stock(self):
        """Return a fill that was not picked up: it stops counting, its history stays."""
        return self._pharmacy_state_transition('action_return_to_stock')

    def action_undo_return(self):
        return self._pharmacy_state_transition('action_undo_return')
