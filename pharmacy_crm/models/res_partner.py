# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import re
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_escape
from odoo.tools.misc import format_date

from ..tools import is_valid_dea, is_valid_npi
from .pharmacy_phi_mixin import PHARMACIST, PHARMACY_MANAGER, PHARMACY_STAFF
from .pharmacy_validation_mixin import check_values, declared_names
from .res_company import days_from_today, days_from_today_domain, pharmacy_today

# credentials and suffixes that follow a prescriber's last name
_NAME_SUFFIXES = {'MD', 'DO', 'DDS', 'DMD', 'DPM', 'OD', 'NP', 'PA', 'PA-C', 'APRN', 'FNP',
                  'PHD', 'PHARMD', 'JR', 'SR', 'II', 'III', 'IV'}
# what staff write in the allergies when there are none known: stored as ``nkda`` instead
_NKDA_TEXTS = {'NKDA', 'NKA', 'NO KNOWN DRUG ALLERGIES', 'NO KNOWN ALLERGIES', 'NONE KNOWN'}


class ResPartner(models.Model):
    """Contacts as patients (profile, preferences, consent) and as prescribers (NPI, DEA).

    The fields the pharmacy computes or sets (``_pharmacy_server_fields``, each addon its own)
    are refused in ``create`` and ``write`` and written by the server with
    ``_pharmacy_server_write`` (``pharmacy.server.fields.mixin``, as patient data does).
    """

    _name = 'res.partner'  # Odoo 11 names a model with 2 parents after its class
    _inherit = ['res.partner', 'pharmacy.audit.mixin', 'pharmacy.server.fields.mixin']
    _audit_view_fields = ('allergies',)
    _pharmacy_phi = True   # a patient's activities, attachments and messages are protected
    _pharmacy_validated_fields = (
        'is_patient', 'patient_state', 'allergies', 'birthdate_date', 'prescription_ids',
        'note_ids', 'generic_preference', 'prefers_90_day_supply', 'fulfillment_method',
        'easy_open_caps', 'large_print_labels', 'preferred_contact_channel',
        'preferred_contact_time', 'manufacturer_preference_ids', 'consent_ids',
        'is_prescriber', 'npi', 'dea_number', 'prescriber_specialty', 'fax',
        'nkda', 'current_prescription_ids', 'discontinued_prescription_ids', 'fill_ids')
    # every addon writes contacts: a key that is no field (e.g. an obsolete one of another
    # addon) is dropped by Odoo with its warning, as without the pharmacy (see check_values)
    _pharmacy_refuse_unknown_fields = False
    _pharmacy_server_fields = ('age', 'current_medication_count', 'next_due_date', 'due_in_days',
                               'has_alerts',
                               'on_controlled_substance', 'alert_text', 'fill_ids')
    # a patient's status: transferred out and deceased by their actions (the wizard
    # ``pharmacy.patient.leave``), back to active by a manager; an addon adds its own (e.g.
    # a dismissal)
    _pharmacy_state_actions = {'patient_state': {
        'action_transfer_out': ('active', 'transferred'),
        'action_mark_deceased': (('active', 'transferred', 'dismissed'), 'deceased'),
        'action_reactivate': (('transferred', 'deceased'), 'active'),
    }}

    # --- patient profile -------------------------------------------------------------------
    is_patient = fields.Boolean(
        string='Patient', index=True,
        help='A person who fills prescriptions at this pharmacy.')
    patient_state = fields.Selection([
        ('active', 'Active'),
        ('transferred', 'Transferred out'),
        ('dismissed', 'Dismissed'),
        ('deceased', 'Deceased'),
    ], string='Patient Status', default='active', index=True, track_visibility='onchange',
        groups=PHARMACY_STAFF, help='Tracked on the contact, where only pharmacy staff read '
                                    'the messages of a patient.')
    age = fields.Integer(compute='_compute_age', help='Whole years since the birthdate.')
    pharmacy_leaving = fields.Boolean(
        string='Leaving the Pharmacy', compute='_compute_pharmacy_leaving',
        groups=PHARMACY_STAFF,
        help='The patient is on their way out (e.g. a dismissal approved, not yet effective): '
             'nothing new is planned for them.')
    # not tracked: the contact's chatter is readable by every internal user
    allergies = fields.Text(
        groups=PHARMACY_STAFF,
        help='Drug allergies and reactions. When there are none known, tick "No known drug '
             'allergies" (writing NKDA here ticks it). A patient needs one or the other.')
    nkda = fields.Boolean(
        string='No Known Drug Allergies', groups=PHARMACY_STAFF,
        help='The patient was asked and knows of no drug allergy (NKDA).')
    prescription_ids = fields.One2many(
        'pharmacy.patient.medication', 'patient_id', string='Prescriptions',
        groups=PHARMACY_STAFF)
    current_prescription_ids = fields.One2many(
        'pharmacy.patient.medication', 'patient_id', string='Current Medications',
        domain=[('state', 'in', ('active', 'on_hold'))], groups=PHARMACY_STAFF,
        help='Active prescriptions first, then those on hold.')
    discontinued_prescription_ids = fields.One2many(
        'pharmacy.patient.medication', 'patient_id', string='Discontinued Medications',
        domain=[('state', '=', 'discontinued')], groups=PHARMACY_STAFF)
    fill_ids = fields.One2many(
        'pharmacy.fill', 'patient_id', string='Fill History', readonly=True,
        groups=PHARMACY_STAFF, help='The fills of all the patient\'s prescriptions, latest first.')
    note_ids = fields.One2many(
        'pharmacy.patient.note', 'patient_id', string='Staff Notes', groups=PHARMACY_STAFF)
    current_medication_count = fields.Integer(
        compute='_compute_alerts', groups=PHARMACY_STAFF,
        help='Active prescriptions.')
    next_due_date = fields.Date(
        compute='_compute_next_due_date', store=True, compute_sudo=True, index=True,
        groups=PHARMACY_STAFF, help='Earliest refill due date of the active prescriptions.')
    due_in_days = fields.Integer(
        string='Due In (Days)', compute='_compute_due_in_days', search='_search_due_in_days',
        groups=PHARMACY_STAFF,
        help="Next due date - the pharmacy's today: negative when overdue (0 without one).")
    has_alerts = fields.Boolean(
        compute='_compute_alerts', search='_search_has_alerts', groups=PHARMACY_STAFF,
        help='At least one staff note you may read is pinned as an alert.')
    on_controlled_substance = fields.Boolean(
        compute='_compute_on_controlled_substance', store=True, compute_sudo=True,
        groups=PHARMACY_STAFF, help='An active prescription is for a schedule II-V substance.')
    alert_text = fields.Text(
        compute='_compute_alerts', groups=PHARMACY_STAFF,
        help='The pinned notes you may read, one per line.')

    # --- preferences -----------------------------------------------------------------------
    generic_preference = fields.Selection([
        ('no_preference', 'No preference'),
        ('generic', 'Generic preferred'),
        ('brand_only', 'Brand only'),
    ], string='Brand or Generic', default='no_preference')
    prefers_90_day_supply = fields.Boolean(
        string='90-Day Supply', help='Fill a 90-day supply whenever the payer allows it.')
    fulfillment_method = fields.Selection(
        [('pickup', 'Pickup'), ('delivery', 'Delivery')], string='Pickup or Delivery',
        default='pickup')
    easy_open_caps = fields.Boolean(string='Easy-Open Caps')
    large_print_labels = fields.Boolean(string='Large-Print Labels')
    preferred_contact_channel = fields.Selection(
        [('phone', 'Phone'), ('sms', 'SMS'), ('email', 'Email')], string='Contact By')
    preferred_contact_time = fields.Selection([
        ('morning', 'Morning'),
        ('afternoon', 'Afternoon'),
        ('evening', 'Evening'),
        ('any', 'Any time'),
    ], string='Contact Time')
    manufacturer_preference_ids = fields.One2many(
        'pharmacy.manufacturer.preference', 'patient_id', string='Preferred Manufacturers',
        groups=PHARMACY_STAFF)
    consent_ids = fields.One2many(
        'pharmacy.consent', 'patient_id', string='Communication Consent',
        groups=PHARMACY_STAFF)

    # --- activities: read as the reader, so the record rules hide a patient's activities
    # from users outside the pharmacy (Odoo computes these related fields as superuser)
    activity_user_id = fields.Many2one(related_sudo=False)
    activity_type_id = fields.Many2one(related_sudo=False)
    activity_date_deadline = fields.Date(related_sudo=False)
    activity_summary = fields.Char(related_sudo=False)

    # --- prescriber ------------------------------------------------------------------------
    is_prescriber = fields.Boolean(
        string='Prescriber', index=True,
        help='A doctor or other clinician who writes prescriptions.')
    npi = fields.Char(
        string='NPI', index=True, copy=False, track_visibility='onchange',
        help='National Provider Identifier: 10 digits with a Luhn check digit.')
    dea_number = fields.Char(
        string='DEA Number', copy=False, track_visibility='onchange',
        help='2 letters and 7 digits; the second letter is the initial of the last name.')
    prescriber_specialty = fields.Char(string='Specialty')
    fax = fields.Char()

    @api.model_cr
    def init(self):
        """Patients whose allergies say "NKDA" (written before ``nkda`` existed) get it ticked."""
        result = super().init()
        self.env.cr.execute(
            "UPDATE res_partner SET nkda = TRUE, allergies = NULL WHERE is_patient AND "
            "upper(rtrim(btrim(allergies), '.')) = ANY(%s)", [sorted(_NKDA_TEXTS)])
        return result

    def _compute_pharmacy_leaving(self):
        """Hook: False in the core; an addon by which a patient leaves (e.g. a dismissal)
        overrides it with ``super()`` and sets it for its patients."""
        for partner in self:
            partner.pharmacy_leaving = False

    @api.depends('birthdate_date')
    def _compute_age(self):
        """age = whole years between the birthdate and today."""
        today = fields.Date.from_string(pharmacy_today(self))
        for partner in self:
            birthdate = fields.Date.from_string(partner.birthdate_date)
            partner.age = relativedelta(today, birthdate).years if birthdate else 0

    @api.depends('prescription_ids.next_due_date', 'prescription_ids.active')
    def _compute_next_due_date(self):
        """next due = the earliest next due date of the patient's active prescriptions.

        A prescription that is on hold or discontinued has no due date, so it never counts.
        """
        for partner in self:
            dates = [d for d in partner.prescription_ids.filtered('active').mapped(
                'next_due_date') if d]
            partner.next_due_date = min(dates) if dates else False

    def _compute_due_in_days(self):
        for partner in self:
            partner.due_in_days = days_from_today(partner, partner.next_due_date)

    @api.model
    def _search_due_in_days(self, operator, value):
        return days_from_today_domain(self, 'next_due_date', operator, value)

    @api.depends('prescription_ids.state', 'prescription_ids.schedule',
                 'prescription_ids.active')
    def _compute_on_controlled_substance(self):
        for partner in self:
            partner.on_controlled_substance = any(
                rx.active and rx.state == 'active' and rx.schedule != 'none'
                for rx in partner.prescription_ids)

    def _pharmacy_counters(self):
        """Hook: the patient's counters, computed together by ``_compute_pharmacy_counters``
        in one statement: {field name: (model, domain, many2one of the model naming the
        patient)}. A counter is the number of records of the model matching the domain that
        the reader may read (access rights, record rules and the field guard apply, as
        ``_pharmacy_count_by``). An addon adds its own with ``super()`` and declares its field
        with ``compute='_compute_pharmacy_counters'`` (a form shows them as smart buttons;
        the core's list columns are counted with the alerts, ``_compute_alerts``)."""
        return {}

    def _compute_pharmacy_counters(self):
        """The counters of ``_pharmacy_counters``, in one statement (a form showed each with
        its own query)."""
        counters = self._pharmacy_counters()
        values = self._pharmacy_count_patients(counters)
        for partner in self:
            for name in counters:
                partner[name] = values[name].get(partner.id, 0)

    @api.depends('prescription_ids.state')
    def _compute_alerts(self):
        """The pinned notes the reader may read, in the notes' order, one per line (a
        technician sees no sign of a pharmacist-only alert), and the active prescriptions the
        reader may read: the columns of the patient list, in one statement."""
        counters = {'current_medication_count': (
            'pharmacy.patient.medication', [('state', '=', 'active')], 'patient_id')}
        values = self._pharmacy_count_patients(counters, alerts=True)
        for partner in self:
            partner.current_medication_count = values['current_medication_count'].get(
                partner.id, 0)
            partner.alert_text = values['alert_text'].get(partner.id) or False
            partner.has_alerts = bool(partner.alert_text)

    def _pharmacy_count_patients(self, counters, alerts=False):
        """{counter: {patient id: value}} of ``counters`` ({name: (model, domain, many2one
        naming the patient)}) for these patients, and with ``alerts`` their pinned notes'
        bodies (``alert_text``, one per line in the notes' order), in one statement.

        Each part is the rule-checked query a search of the reader would run (access rights,
        record rules and the field guard apply, ``_pharmacy_count_query``), joined by UNION
        ALL: one round trip whatever the number of counters. Records of a model the reader
        has no access right to are not counted (0)."""
        parts, params = [], []
        values = defaultdict(dict)
        if not self.ids:
            return values
        for name, (model, domain, key) in sorted(counters.items()):
            Model = self.env[model]
            if Model.check_access_rights('read', raise_exception=False):
                sql, args = Model._pharmacy_count_query(domain + [(key, 'in', self.ids)], key)
                parts.append('SELECT %%s, * FROM (%s) AS part' % sql)
                params += [name] + args
        Note = self.env['pharmacy.patient.note']
        if alerts and Note.check_access_rights('read', raise_exception=False):
            query = Note._where_calc([('patient_id', 'in', self.ids), ('is_alert', '=', True)])
            Note._apply_ir_rules(query, 'read')
            order_by = Note._generate_order_by(None, query).replace(' ORDER BY ', '', 1)
            from_clause, where_clause, args = query.get_sql()
            parts.append(
                "SELECT 'alert_text', \"%s\".patient_id, string_agg(\"%s\".body, E'\\n' "
                "ORDER BY %s) FROM %s WHERE %s GROUP BY 2" % (
                    Note._table, Note._table, order_by, from_clause, where_clause or 'TRUE'))
            params += args
        if parts:
            self.env.cr.execute(' UNION ALL '.join(
                'SELECT name, patient_id, value::text FROM (%s) AS q (name, patient_id, value)'
                % part for part in parts), params)
            for name, patient_id, value in self.env.cr.fetchall():
                values[name][patient_id] = value if name == 'alert_text' else int(value)
        return values

    @api.model
    def _search_has_alerts(self, operator, value):
        """Patients with a pinned note the searching user may read."""
        if operator not in ('=', '!='):
            raise UserError(_('Has Alerts is searched with "=" or "!=" only.'))
        groups = self.env['pharmacy.patient.note'].read_group(
            [('is_alert', '=', True)], ['patient_id'], ['patient_id'])
        patient_ids = [group['patient_id'][0] for group in groups]
        positive = (operator == '=') == bool(value)
        return [('id', 'in' if positive else 'not in', patient_ids)]

    @api.constrains('npi', 'company_id')
    def _check_npi(self):
        for partner in self.filtered('npi'):
            if not is_valid_npi(partner.npi):
                raise ValidationError(_(
                    'NPI "%(npi)s" of %(name)s is not valid: an NPI has 10 digits and its '
                    'last digit is a Luhn check digit. Check the number on the NPI registry.')
                    % {'npi': partner.npi, 'name': partner.name})
            twin = self.sudo().with_context(active_test=False).search(
                [('npi', '=', partner.npi), ('id', '!=', partner.id),
                 ('company_id', '=', partner.company_id.id)], limit=1)
            if twin:
                raise ValidationError(_(
                    'NPI "%(npi)s" is already the NPI of %(name)s. Each prescriber is entered '
                    'once; open the existing contact instead.')
                    % {'npi': partner.npi, 'name': twin.name})

    @api.constrains('birthdate_date')
    def _check_birthdate_not_future(self):
        today = pharmacy_today(self)
        for partner in self.filtered('birthdate_date'):
            if partner.birthdate_date > today:
                raise ValidationError(_(
                    'Birthdate of %(name)s is in the future (%(date)s): check the year.')
                    % {'name': partner.name,
                       'date': format_date(self.env, partner.birthdate_date)})

    @api.constrains('is_patient', 'birthdate_date', 'allergies', 'nkda')
    def _check_patient_profile(self):
        """A patient has a birthdate, and either allergies or "no known drug allergies"."""
        for partner in self.sudo().filtered('is_patient'):
            if not partner.birthdate_date:
                raise ValidationError(_(
                    'Birthdate of patient %s is required: it identifies the patient at the '
                    'counter and on every prescription. Enter it on the patient\'s profile.')
                    % partner.name)
            allergies = (partner.allergies or '').strip()
            if not allergies and not partner.nkda:
                raise ValidationError(_(
                    'Allergies of patient %s are required: list the drug allergies and '
                    'reactions, or tick "No known drug allergies" once the patient confirmed '
                    'there are none.') % partner.name)
            if allergies and partner.nkda:
                raise ValidationError(_(
                    'Allergies of patient %s contradict "No known drug allergies": untick it '
                    'to record allergies, or empty the allergies.') % partner.name)

    @api.constrains('is_patient', 'company_id')
    def _check_patient_company(self):
        for partner in self:
            if partner.is_patient and not partner.company_id:
                raise ValidationError(_(
                    'Company of patient %s is required: a patient belongs to the pharmacy '
                    '(company) that fills their prescriptions. Choose it on the contact.')
                    % partner.name)

    @api.constrains('dea_number', 'name', 'is_company')
    def _check_dea_number(self):
        for partner in self.filtered('dea_number'):
            last_name = None if partner.is_company else partner._prescriber_last_name()
            if not is_valid_dea(partner.dea_number, last_name):
                raise ValidationError(_(
                    'DEA number "%(dea)s" of %(name)s is not valid: expected 2 letters and 7 '
                    'digits, the second letter being the initial of the last name '
                    '(%(initial)s), and the last digit the check digit of the first six.')
                    % {'dea': partner.dea_number, 'name': partner.name,
                       'initial': (last_name or '?')[:1].upper()})

    @api.onchange('nkda')
    def _onchange_nkda(self):
        for partner in self.filtered('nkda'):
            partner.allergies = False

    @api.model
    def create(self, vals):
        vals = check_values(self, vals, declared_names(self, '_pharmacy_validated_fields'))
        if vals.get('is_patient') or 'patient_state' in vals:
            self._check_pharmacy_staff()
        self._pharmacy_check_server_fields(vals)
        self._clean_identifier_vals(vals)
        self._clean_allergy_vals(vals)
        if vals.get('is_patient') and not vals.get('company_id'):
            vals['company_id'] = self.env.user.company_id.id
        return super().create(vals)

    def write(self, vals):
        vals = check_values(self, vals, declared_names(self, '_pharmacy_validated_fields'))
        if 'patient_state' in vals or ('is_patient' in vals and any(
                partner.is_patient != bool(vals['is_patient']) for partner in self)):
            self._check_pharmacy_staff()
        self._pharmacy_check_server_fields(vals)
        self._clean_identifier_vals(vals)
        self._clean_allergy_vals(vals)
        changing = self.browse()
        if 'active' in vals:
            changing = self.sudo().with_context(active_test=False).filtered(
                lambda p: p.is_patient and p.active != bool(vals['active']))
            if not vals['active']:
                changing._archive_prescriptions(False)
        result = super().write(vals)
        if changing and vals['active']:
            changing._archive_prescriptions(True)
        return result

    def unlink(self):
        patients = self.sudo().filtered('is_patient')
        if patients:
            raise UserError(_(
                '%s is a patient: a patient and their pharmacy records are never deleted. '
                'Archive the contact instead.') % ', '.join(patients.mapped('name')))
        return super().unlink()

    def _archive_prescriptions(self, active):
        """Archiving patients holds their active prescriptions; unarchiving resumes exactly
        those (not the ones held for another reason)."""
        prescriptions = self.env['pharmacy.patient.medication'].sudo().search(
            [('patient_id', 'in', self.ids)])
        if active:
            prescriptions._resume_after_unarchive()
        else:
            prescriptions._hold_for_archive()

    def _check_pharmacy_staff(self):
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(PHARMACY_STAFF):
            raise AccessError(_(
                'Only pharmacy staff may make a contact a patient or change a patient\'s '
                'status. Ask a pharmacist or technician.'))

    @api.model
    def _clean_identifier_vals(self, vals):
        """NPI without spaces; DEA number in capitals without spaces."""
        if vals.get('npi'):
            vals['npi'] = re.sub(r'\s', '', vals['npi'])
        if vals.get('dea_number'):
            vals['dea_number'] = re.sub(r'\s', '', vals['dea_number']).upper()

    @api.model
    def _clean_allergy_vals(self, vals):
        """Allergies written as "NKDA" (or NKA, "none known", ...) tick ``nkda`` instead."""
        text = vals.get('allergies')
        if isinstance(text, str) and text.strip().rstrip('.').upper() in _NKDA_TEXTS:
            vals['allergies'] = False
            vals['nkda'] = True

    def action_open_patient_profile(self):
        """Open the patient in the counter form of *Pharmacy > Patients*."""
        self.ensure_one()
        action = self.env.ref('pharmacy_crm.res_partner_patient_action').read()[0]
        action.update({'res_id': self.id, 'view_mode': 'form', 'views': [
            (self.env.ref('pharmacy_crm.res_partner_patient_view_form').id, 'form')]})
        return action

    def action_transfer_out(self):
        """Ask the date and the receiving pharmacy of a transfer out (pharmacists)."""
        return self._open_leave_wizard('transferred')

    def action_mark_deceased(self):
        """Ask the date of death (pharmacists)."""
        return self._open_leave_wizard('deceased')

    def action_reactivate(self):
        """A transferred-out or deceased patient back to Active (managers: a patient who
        comes back, or a status recorded by mistake). Prescriptions stay as they are: staff
        resume those the patient still takes."""
        if not self.env.user.has_group(PHARMACY_MANAGER):
            raise AccessError(_('Only pharmacy managers set a transferred-out or deceased '
                                'patient back to Active.'))
        self._pharmacy_state_transition('action_reactivate')
        for partner in self:
            partner.sudo().message_post(body=_(
                'Status set back to Active by %s. Prescriptions stay as they were: resume '
                'those the patient still takes.') % self.env.user.name,
                subtype='mail.mt_note', author_id=self.env.user.partner_id.id)
        return True

    def _open_leave_wizard(self, reason):
        self.ensure_one()
        self._check_may_record_leave()
        title = _('Transfer %s out') if reason == 'transferred' else _('%s deceased')
        return {
            'type': 'ir.actions.act_window', 'name': title % self.name,
            'res_model': 'pharmacy.patient.leave', 'view_mode': 'form', 'target': 'new',
            'context': {'default_patient_id': self.id, 'default_reason': reason}}

    @api.model
    def _check_may_record_leave(self):
        if not self.env.user.has_group(PHARMACIST):
            raise AccessError(_(
                'Only pharmacists record that a patient transferred out or died: it holds or '
                'closes their prescriptions. Ask a pharmacist.'))

    def _pharmacy_patient_leaves(self, reason, date, pharmacy=None, note=False):
        """Record that these patients transferred out (``reason`` ``transferred``, to
        ``pharmacy``, a contact) or died (``deceased``) on ``date``: their status changes,
        their active prescriptions go on hold (transfer), or their active and held ones are
        discontinued (death, reason Patient deceased), the addons' hooks run (plans
        cancelled from ``date``, ``_pharmacy_patient_left``; mailing lists left at a death),
        and the patient's chatter says what was done. Returns True."""
        self._check_may_record_leave()
        action = 'action_transfer_out' if reason == 'transferred' else 'action_mark_deceased'
        self._pharmacy_state_transition(action)
        Prescription = self.env['pharmacy.patient.medication']
        for partner in self:
            if reason == 'transferred':
                changed = Prescription.search([('patient_id', '=', partner.id),
                                               ('state', '=', 'active')])
                changed.action_hold()
                body = _('Transferred out on %(date)s to %(pharmacy)s by %(user)s.') % {
                    'date': format_date(self.env, date), 'user': self.env.user.name,
                    'pharmacy': pharmacy.display_name if pharmacy else _('another pharmacy')}
                done = _('Prescriptions put on hold: %s.')
            else:
                changed = Prescription.search([('patient_id', '=', partner.id),
                                               ('state', 'in', ('active', 'on_hold'))])
                changed._discontinue('deceased', date, note)
                body = _('Deceased on %(date)s (recorded by %(user)s).') % {
                    'date': format_date(self.env, date), 'user': self.env.user.name}
                done = _('Prescriptions discontinued: %s.')
            lines = [body, done % (', '.join(changed.mapped('rx_number')) or _('none'))]
            if note:
                lines.append(note)
            partner.sudo().message_post(
                body='<br/>'.join(html_escape(line) for line in lines),
                subtype='mail.mt_note', author_id=self.env.user.partner_id.id)
        patients = self.sudo()
        patients._pharmacy_cancel_plans(date)
        patients._pharmacy_patient_left(reason)
        if reason == 'deceased':
            patients._pharmacy_leave_mailing_lists()
        return True

    def _prescriber_last_name(self):
        """Last name of a person's name: 'Jane Q. Smith, MD' and 'Smith, Jane' give 'Smith'."""
        self.ensure_one()
        name = (self.name or '').strip()
        head, _sep, tail = name.partition(',')
        if tail and tail.strip().upper().replace('.', '') not in _NAME_SUFFIXES:
            return head.split()[-1] if head.split() else None  # "Smith, Jane"
        words = [w for w in re.split(r'[\s,]+', name)
                 if w and w.upper().replace('.', '') not in _NAME_SUFFIXES]
        return words[-1] if words else None

    def _pharmacy_may_contact(self, channel, purpose):
        """Whether the pharmacy may contact this patient by ``channel`` for ``purpose``.

        Marketing needs an explicit grant. Refill and pickup reminders are treatment
        communication: allowed unless the patient refused that channel.
        """
        self.ensure_one()
        consent = self.consent_ids.filtered(
            lambda c: c.channel == channel and c.purpose == purpose)
        if purpose == 'marketing':
            return consent.state == 'granted'
        return consent.state != 'refused'

    @api.model
    def _pharmacy_hidden_query(self, user, company_ids):
        """Patients whose activities, attachments and messages ``user`` may not read: every
        patient for a user outside the pharmacy, else the patients of other companies (see
        ``pharmacy.phi.mixin``)."""
        if not user.has_group(PHARMACY_STAFF):
            return ('SELECT id FROM res_partner WHERE is_patient', [])
        return ('SELECT id FROM res_partner WHERE is_patient AND (company_id IS NULL OR '
                'NOT (company_id = ANY(%s)))', [company_ids])

    # --- hooks: what the pharmacy's addons do when a patient leaves ------------------------
    def _pharmacy_leave_mailing_lists(self):
        """Hook: these patients leave every mailing list (an addon that mails them
        overrides it). Returns True."""
        return True

    def _pharmacy_cancel_plans(self, date_from):
        """Hook: cancel what is planned for these patients from ``date_from`` on (an addon
        that plans visits or calls overrides it). Returns True."""
        return True

    def _pharmacy_patient_left(self, reason):
        """Hook: these patients stopped being served; ``reason`` is their new status
        (``dismissed``, ``transferred``, ``deceased``). Returns True."""
        return True
