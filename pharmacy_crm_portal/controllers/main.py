# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The patient's pages on the portal. Everything is read with the portal user's own rights
(access rights and the record rules of ``group_pharmacy_portal``); a patient id in a URL that
is not the user's nor a current dependant's answers 404 and writes nothing. Each page showing
clinical data writes one access-log entry per patient shown."""
from datetime import timedelta

from werkzeug.exceptions import NotFound

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools.misc import format_date

from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today
from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.pharmacy_patient_medication import (REFILL_REQUEST_DAYS, RENEWAL_REFUSALS,
                                                  refusal_message)

CHANNELS = ('email', 'sms', 'phone')
PURPOSES = ('treatment', 'marketing')
ANSWERS = ('granted', 'refused')


def _patients():
    return request.env['res.partner']._pharmacy_portal_patients()


def _patient(patient_id):
    """The patient ``patient_id`` if the user reads their pages, else 404."""
    patients = _patients()
    if patient_id not in patients.ids:
        raise NotFound()
    return patients.browse(patient_id)


def _date(value):
    return format_date(request.env, value) if value else ''


def _quantity(value):
    """A quantity as a patient reads it: 30, not 30.0; 2.5 stays 2.5."""
    return ('%.3f' % (value or 0)).rstrip('0').rstrip('.')


def _refill_offered(rx, today):
    """Whether the page offers "Request a refill": an active prescription that is due, due
    within ``REFILL_REQUEST_DAYS`` days, or never filled (no due date). An on-hold one is not
    offered (the label says why), nor one whose supply lasts longer."""
    if rx.state != 'active':
        return False
    due = fields.Date.from_string(rx.next_due_date)
    return not due or due <= today + timedelta(days=REFILL_REQUEST_DAYS)


def _labels(model, field):
    return dict(request.env[model]._fields[field]._description_selection(request.env))


class PharmacyPortal(CustomerPortal):

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        rx_model = request.env['pharmacy.patient.medication']
        patients = _patients()
        values['pharmacy_patient_count'] = len(patients)
        values['pharmacy_medication_count'] = rx_model.search_count([
            ('patient_id', 'in', patients.ids), ('state', 'in', ('active', 'on_hold'))
        ]) if patients else 0
        return values

    @http.route(['/my/pharmacy'], type='http', auth='user', website=True)
    def pharmacy_home(self, **kw):
        patients = _patients()
        if len(patients) == 1:
            return request.redirect('/my/pharmacy/%d' % patients.id)
        values = self._prepare_portal_layout_values()
        values.update({'patients': patients, 'page_name': 'pharmacy'})
        return request.render('pharmacy_crm_portal.portal_my_pharmacy_patients', values)

    @http.route(['/my/pharmacy/<int:patient_id>'], type='http', auth='user', website=True)
    def pharmacy_patient(self, patient_id, **kw):
        patient = _patient(patient_id)
        values = self._pharmacy_patient_values(patient)
        patient._audit_log('view', field_names=['portal: medications, fills'])
        return request.render('pharmacy_crm_portal.portal_my_pharmacy', values)

    def _pharmacy_patient_values(self, patient, **extra):
        env = request.env
        prescriptions = env['pharmacy.patient.medication'].search([
            ('patient_id', '=', patient.id), ('state', 'in', ('active', 'on_hold'))],
            order='state, next_due_date, id')
        fills = env['pharmacy.fill'].search([('patient_id', '=', patient.id)], limit=100)
        company = patient.sudo().company_id    # the pharmacy's public address and hours
        rx_states = _labels('pharmacy.patient.medication', 'state')
        fill_states = _labels('pharmacy.fill', 'state')
        today = fields.Date.from_string(pharmacy_today(patient.sudo()))
        values = self._prepare_portal_layout_values()
        if patient == request.env.user.partner_id:
            contact_label, record_label = _('My contact choices'), _('Copy of my record (PDF)')
        else:    # a caregiver reads the page of the patient they care for
            contact_label = _("%s's contact choices") % patient.name
            record_label = _("Copy of %s's record (PDF)") % patient.name
        values.update({
            'page_name': 'pharmacy',
            'patient': patient,
            'patients': _patients(),
            'contact_label': contact_label,
            'record_label': record_label,
            'medications': [{
                'id': rx.id,
                'name': rx.medication_id.display_name,
                'sig': rx.sig or '',
                'prescriber': rx.portal_prescriber_name or '',
                'next_due': _date(rx.next_due_date),
                'refills': rx.refills_remaining,
                'state': rx_states.get(rx.state),
                'on_hold': rx.state != 'active',
                'refill_offered': _refill_offered(rx, today),
            } for rx in prescriptions],
            'fills': [{
                'date': _date(fill.fill_date),
                'name': fill.medication_id.display_name,
                'quantity': _quantity(fill.quantity),
                'state': fill_states.get(fill.state),
                'pickup': _date(fill.pickup_date),
            } for fill in fills],
            'pharmacy': company,
            'pharmacy_partner': company.partner_id,
            'message': '',
            'message_class': 'info',
        })
        values.update(extra)
        return values

    @http.route(['/my/pharmacy/<int:patient_id>/refill'], type='http', auth='user',
                methods=['POST'], website=True)
    def pharmacy_refill(self, patient_id, prescription_id=None, **kw):
        patient = _patient(patient_id)
        try:
            rx = request.env['pharmacy.patient.medication'].browse(int(prescription_id))
            if rx.patient_id != patient:
                raise NotFound()
        except (AccessError, MissingError, TypeError, ValueError):
            raise NotFound()
        refusal, refill = request.env['pharmacy.refill.request']._pharmacy_request_refill(rx)
        if refusal:
            message = refusal_message(request.env, refusal)
            message_class = 'info' if refusal in RENEWAL_REFUSALS else 'warning'
        else:
            message = _('Your refill request for %(medication)s was received on %(date)s: '
                        'we will let you know when it is ready.') % {
                            'medication': rx.medication_id.display_name,
                            'date': _date(refill.request_date)}
            message_class = 'success'
        values = self._pharmacy_patient_values(patient, message=message,
                                               message_class=message_class)
        patient._audit_log('view', field_names=['portal: medications, fills'])
        return request.render('pharmacy_crm_portal.portal_my_pharmacy', values)

    @http.route(['/my/pharmacy/<int:patient_id>/contact'], type='http', auth='user',
                methods=['GET', 'POST'], website=True)
    def pharmacy_contact(self, patient_id, **post):
        patient = _patient(patient_id)
        message = ''
        if request.httprequest.method == 'POST':
            choices = {}
            for channel in CHANNELS:
                for purpose in PURPOSES:
                    answer = post.get('consent_%s_%s' % (channel, purpose))
                    if answer in ANSWERS:
                        choices[channel, purpose] = answer
            preferred = post.get('preferred_contact_channel') or False
            if preferred not in (False,) + CHANNELS:
                preferred = False
            patient._pharmacy_portal_set_contact_choices(choices, preferred)
            message = _('Your contact choices were saved.')
        consents = request.env['pharmacy.consent'].search([('patient_id', '=', patient.id)])
        current = {(c.channel, c.purpose): c for c in consents}
        values = self._prepare_portal_layout_values()
        values.update({
            'page_name': 'pharmacy',
            'patient': patient,
            'message': message,
            'channels': [(key, _labels('pharmacy.consent', 'channel')[key]) for key in CHANNELS],
            'purposes': [(key, _labels('pharmacy.consent', 'purpose')[key])
                         for key in PURPOSES],
            'states': _labels('pharmacy.consent', 'state'),
            'current': {key: (c.state, _date(c.date)) for key, c in current.items()},
            'preferred': patient.preferred_contact_channel,
            'preferred_options': [(key, _labels('res.partner', 'preferred_contact_channel')[key])
                                  for key in CHANNELS],
        })
        patient._audit_log('view', field_names=['portal: contact choices'])
        return request.render('pharmacy_crm_portal.portal_my_pharmacy_contact', values)

    @http.route(['/my/pharmacy/<int:patient_id>/record.csv'], type='http', auth='user',
                website=True)
    def pharmacy_record_csv(self, patient_id, **kw):
        patient = _patient(patient_id)
        content = patient._pharmacy_record_copy_csv()
        return request.make_response(content, headers=[
            ('Content-Type', 'text/csv; charset=utf-8'),
            ('Content-Disposition', 'attachment; filename="pharmacy-record.csv"')])

    @http.route(['/my/pharmacy/<int:patient_id>/record.pdf'], type='http', auth='user',
                website=True)
    def pharmacy_record_pdf(self, patient_id, **kw):
        patient = _patient(patient_id)
        content, content_type = patient._pharmacy_record_copy_pdf()
        extension = 'pdf' if content_type == 'application/pdf' else 'html'
        return request.make_response(content, headers=[
            ('Content-Type', content_type),
            ('Content-Disposition',
             'attachment; filename="pharmacy-record.%s"' % extension)])
