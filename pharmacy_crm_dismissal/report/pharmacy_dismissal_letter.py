# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, fields, models

from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today

from ..tools.letter import address_lines, long_date, paragraphs


class PharmacyDismissalLetter(models.AbstractModel):
    """What the letter template prints for each dismissal, in the patient's language: the
    pharmacy's letterhead, the patient's postal address, long dates, the explanation's
    paragraphs, the incidents as facts (a type and a day: never their description, which may
    hold clinical data), the referral pharmacies and the protected grounds."""

    _name = 'report.pharmacy_crm_dismissal.pharmacy_dismissal_letter'
    _description = 'Dismissal Letter'

    @api.model
    def get_report_values(self, docids, data=None):
        docs = self.env['pharmacy.dismissal'].browse(docids)
        return {'doc_ids': docids, 'doc_model': 'pharmacy.dismissal', 'docs': docs,
                'letter': {dismissal.id: self._letter(dismissal) for dismissal in docs}}

    @api.model
    def _letter(self, dismissal):
        company = dismissal.company_id.sudo()
        patient = dismissal.patient_id
        lang = patient.lang or company.partner_id.lang or 'en_US'
        localized = dismissal.with_context(lang=lang)
        types = dict(localized.env['pharmacy.incident']._fields[
            'incident_type']._description_selection(localized.env))

        def day(value):
            return long_date(fields.Date.from_string(value), lang) if value else ''

        def postal(partner, abroad=True):
            country = partner.country_id
            return address_lines(
                partner.street, partner.street2, partner.city, partner.state_id.code,
                partner.zip, country.name if abroad and country and
                country != company.country_id else None)
        return {
            'lang': lang,
            'company_name': company.name,
            'company_lines': postal(company.partner_id, abroad=False),
            'company_phone': company.phone or company.partner_id.phone or '',
            'company_email': company.email or '',
            'date': day(dismissal.approved_date or pharmacy_today(dismissal)),
            'effective': day(dismissal.effective_date),
            'patient_name': patient.name,
            'patient_lines': postal(patient),
            'paragraphs': paragraphs(dismissal.explanation),
            'incidents': [(day(fields.Date.to_string(incident._local_day())),
                           types.get(incident.incident_type, ''))
                          for incident in dismissal.incident_ids.sorted('date')],
            'referrals': [{'name': pharmacy.name, 'lines': postal(pharmacy),
                           'phone': pharmacy.phone or ''}
                          for pharmacy in dismissal.referral_pharmacy_ids],
            'grounds': dismissal._protected_grounds_text(),
            'signer': dismissal.approved_by_id.name or '',
        }
