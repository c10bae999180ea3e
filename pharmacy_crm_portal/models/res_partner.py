# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import csv
import io

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape
from odoo.tools.misc import format_date

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today

from .pharmacy_portal_delegation import CURRENT_DELEGATIONS_SQL

PORTAL_GROUP = 'pharmacy_crm_portal.group_pharmacy_portal'
RECORD_COPY_REPORT = 'pharmacy_crm_portal.pharmacy_record_copy_report'


class ResPartner(models.Model):
    _inherit = 'res.partner'
    _pharmacy_validated_fields = ('pharmacy_delegation_ids',)
    _pharmacy_server_fields = ('pharmacy_portal_reader_id',)

    pharmacy_portal_reader_id = fields.Many2one(
        'res.partner', string='Portal Reader', compute='_compute_pharmacy_portal_reader',
        search='_search_pharmacy_portal_reader', groups=PHARMACY_STAFF,
        help='Search only: the patients whose portal pages a contact reads (their own and '
             'those of the dependants a current delegation names). The portal record rules '
             'use it.')
    pharmacy_delegation_ids = fields.One2many(
        'pharmacy.portal.delegation', 'patient_id', string='Portal Caregivers',
        groups=PHARMACY_STAFF)

    def _compute_pharmacy_portal_reader(self):
        for partner in self:
            partner.pharmacy_portal_reader_id = False

    @api.model
    def _search_pharmacy_portal_reader(self, operator, value):
        """= a contact id (or in ids): the contacts whose pages it reads; set / not set:
        every contact has a reader (itself)."""
        if value is False and operator in ('=', '!='):
            return [('id', '=' if operator == '=' else '!=', 0)]
        readers = [value] if isinstance(value, int) else value
        if operator not in ('=', 'in') or not isinstance(readers, (list, tuple)) or not all(
                isinstance(reader, int) for reader in readers):
            raise UserError(_('Portal Reader is searched with "=" and a contact id only.'))
        ids = set()
        for reader in readers:
            ids.update(self._pharmacy_portal_patient_ids(reader))
        return [('id', 'in', sorted(ids))]

    @api.model
    def _pharmacy_portal_patient_ids(self, reader_id):
        """The contacts whose pages the contact ``reader_id`` reads: itself, and the patients
        of its delegations in force today (one query)."""
        self.env.cr.execute(CURRENT_DELEGATIONS_SQL, [reader_id])
        return [reader_id] + [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _pharmacy_portal_patients(self):
        """The patients the current user reads on the portal, read with the user's own rights
        (record rules apply): [] for anyone but a portal patient or caregiver."""
        if not self.env.user.has_group(PORTAL_GROUP):
            return self.browse()
        ids = self._pharmacy_portal_patient_ids(self.env.user.partner_id.id)
        return self.search([('id', 'in', ids), ('is_patient', '=', True)], order='name')

    def action_pharmacy_portal_invite(self):
        """Open Odoo's portal wizard for this patient, with the pharmacy portal group."""
        self.ensure_one()
        if not self.email:
            raise UserError(_(
                'Email of %s is required to invite them to the portal: add it on the '
                'Address tab, then invite again.') % self.name)
        action = self.env.ref('portal.partner_wizard_action').read()[0]
        action['context'] = {
            'active_ids': self.ids, 'active_id': self.id, 'active_model': 'res.partner',
            'default_portal_id': self.env.ref(PORTAL_GROUP).id}
        return action

    # --- contact choices (the portal) -----------------------------------------------------
    def _pharmacy_portal_set_contact_choices(self, choices, preferred_channel):
        """Record the patient's answers {(channel, purpose): 'granted'|'refused'} given on the
        portal as consent lines (source "web", the pharmacy's date) and their preferred
        contact channel; a note in the patient's chatter lists what changed. Called for a
        patient the user reads on the portal (``_pharmacy_portal_patients``): the consent
        lines and the contact are written by the server, as Odoo's portal writes the user's
        details; the access log names the user. Returns True."""
        self.ensure_one()
        if self not in self._pharmacy_portal_patients():
            raise AccessError(_('You may not change the contact choices of this patient.'))
        patient = self.sudo()
        today = pharmacy_today(patient)
        consents = self.env['pharmacy.consent'].sudo().search([('patient_id', '=', self.id)])
        current = {(c.channel, c.purpose): c for c in consents}
        labels = {name: dict(self.env['pharmacy.consent']._fields[name]._description_selection(
            self.env)) for name in ('channel', 'purpose', 'state')}
        changes, written = [], self.env['pharmacy.consent'].sudo()
        for (channel, purpose), state in sorted(choices.items()):
            consent = current.get((channel, purpose))
            if consent and consent.state == state:
                continue
            vals = {'state': state, 'date': today, 'source': 'web'}
            if consent:
                consent.write(vals)
            else:
                consent = self.env['pharmacy.consent'].sudo().create(dict(
                    vals, patient_id=self.id, channel=channel, purpose=purpose))
            written |= consent
            changes.append('%s / %s: %s' % (labels['channel'][channel],
                                            labels['purpose'][purpose], labels['state'][state]))
        if preferred_channel != patient.preferred_contact_channel:
            patient.write({'preferred_contact_channel': preferred_channel})
            channel_labels = dict(self._fields[
                'preferred_contact_channel']._description_selection(self.env))
            changes.append(_('Contact by: %s') % channel_labels.get(preferred_channel, '-'))
        if written:
            written.with_env(self.env)._audit_log('write', field_names=['state', 'date', 'source'])
        if changes:
            title = _('Contact choices changed on the portal by %s:') % self.env.user.name
            body = ''.join(['<p>', html_escape(title), '</p><ul>'] + [
                '<li>%s</li>' % html_escape(change) for change in changes] + ['</ul>'])
            patient.message_post(
                body=body,
                author_id=self.env.user.partner_id.id, message_type='comment',
                subtype='mail.mt_note')
        return True

    # --- a copy of the record (HIPAA right of access) --------------------------------------
    def _pharmacy_record_copy_data(self):
        """The patient's record as the current user reads it: profile, allergies,
        prescriptions, fills and consent lines; never a staff note. Read with the user's own
        rights (a portal patient or caregiver: their own records, by the portal rules; a
        pharmacist: the staff's). The allergies, a staff-only field of the contact, are read
        for a portal reader only once the patient is one they read on the portal."""
        self.ensure_one()
        env = self.env
        is_staff = self.user_has_groups(PHARMACY_STAFF)
        if not is_staff and self not in self._pharmacy_portal_patients():
            raise AccessError(_('You may not read the record of this patient.'))
        self.check_access_rule('read')
        clinical = self if is_staff else self.sudo()

        def label(model, field, value):
            return dict(env[model]._fields[field]._description_selection(env)).get(value, '')

        def date(value):
            return format_date(env, value) if value else ''

        prescriptions = env['pharmacy.patient.medication'].with_context(
            active_test=False).search([('patient_id', '=', self.id)])
        fills = env['pharmacy.fill'].search([('patient_id', '=', self.id)])
        consents = env['pharmacy.consent'].search([('patient_id', '=', self.id)])
        company = self.sudo().company_id
        return {
            'pharmacy': company.name,
            'printed_on': date(pharmacy_today(self)),
            'profile': [
                (_('Name'), self.name),
                (_('Birthdate'), date(self.birthdate_date)),
                (_('Phone'), self.phone or ''),
                (_('Email'), self.email or ''),
                (_('Address'), ', '.join(filter(None, [self.street, self.city, self.zip]))),
                (_('Allergies'), clinical.allergies or (
                    _('No known drug allergies') if clinical.nkda else '')),
            ],
            'prescriptions': [{
                'rx_number': rx.rx_number, 'medication': rx.medication_id.display_name,
                'sig': rx.sig or '', 'prescriber': rx.portal_prescriber_name or '',
                'written': date(rx.date_written), 'expiry': date(rx.date_expiry),
                'refills': rx.refills_remaining, 'next_due': date(rx.next_due_date),
                'state': label('pharmacy.patient.medication', 'state', rx.state),
            } for rx in prescriptions],
            'fills': [{
                'date': date(fill.fill_date), 'medication': fill.medication_id.display_name,
                'quantity': fill.quantity, 'days_supply': fill.days_supply,
                'state': label('pharmacy.fill', 'state', fill.state),
                'pickup': date(fill.pickup_date),
            } for fill in fills],
            'consents': [{
                'channel': label('pharmacy.consent', 'channel', c.channel),
                'purpose': label('pharmacy.consent', 'purpose', c.purpose),
                'state': label('pharmacy.consent', 'state', c.state),
                'date': date(c.date),
                'source': label('pharmacy.consent', 'source', c.source),
            } for c in consents],
        }

    def _pharmacy_record_copy_csv(self):
        """The copy as CSV (UTF-8): one line per item, its section first. Logged."""
        data = self._pharmacy_record_copy_data()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([_('Section'), _('Item'), _('Value')])
        for name, value in data['profile']:
            writer.writerow([_('Profile'), name, value])
        sections = [
            (_('Prescription'), data['prescriptions'], [
                ('rx_number', _('Rx')), ('medication', _('Medication')),
                ('sig', _('Directions')), ('prescriber', _('Prescriber')),
                ('written', _('Written')), ('expiry', _('Expires')),
                ('refills', _('Refills left')), ('next_due', _('Next due')),
                ('state', _('Status'))]),
            (_('Fill'), data['fills'], [
                ('date', _('Date')), ('medication', _('Medication')),
                ('quantity', _('Quantity')), ('days_supply', _('Days supply')),
                ('state', _('Status')), ('pickup', _('Picked up'))]),
            (_('Consent'), data['consents'], [
                ('channel', _('Channel')), ('purpose', _('Purpose')), ('state', _('Answer')),
                ('date', _('Date')), ('source', _('Source'))]),
        ]
        for section, rows, columns in sections:
            writer.writerow([])
            writer.writerow([section] + [label for _key, label in columns])
            for row in rows:
                writer.writerow([section] + [row[key] for key, _label in columns])
        self._audit_log('export', field_names=['record copy (csv)'], one_entry=True)
        return out.getvalue().encode('utf-8')

    def _pharmacy_record_copy_pdf(self):
        """The copy as PDF (HTML when wkhtmltopdf does not work): (content, mime type).
        Rendered with the current user's rights; the report logs the copy."""
        self.ensure_one()
        report = self.env.ref(RECORD_COPY_REPORT)
        if report.sudo().get_wkhtmltopdf_state() == 'ok':
            content, _kind = report.render_qweb_pdf(self.ids)
            mime = 'application/pdf'
        else:
            content, _kind = report.render_qweb_html(self.ids)
            mime = 'text/html'
        return content, mime

    def action_pharmacy_record_copy(self):
        """Print a copy of the record for the patient (a pharmacist, at the counter). The
        report logs the copy."""
        self.ensure_one()
        # without Odoo's empty keys (``data: None`` cannot be sent to an XML-RPC client)
        return {key: value for key, value in self.env.ref(
            RECORD_COPY_REPORT).report_action(self).items() if value is not None}
