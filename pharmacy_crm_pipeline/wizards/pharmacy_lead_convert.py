# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today


class PharmacyLeadConvert(models.TransientModel):
    """Convert a transfer-in prospect to a patient: what a patient needs and a lead has not
    (birthdate, allergies), then the patient is created from the lead (name, phone, email,
    source, referred by) and the lead is linked to it. The prospect's agreement to be
    contacted becomes a consent (phone, refill reminders, source web or in store)."""

    _name = 'pharmacy.lead.convert'
    _description = 'Convert a Prospect to a Patient'

    lead_id = fields.Many2one('crm.lead', required=True, ondelete='cascade')
    birthdate_date = fields.Date(string='Birthdate', required=True)
    allergies = fields.Text(groups=PHARMACY_STAFF)
    nkda = fields.Boolean(string='No Known Drug Allergies', groups=PHARMACY_STAFF)

    def action_convert(self):
        self.ensure_one()
        lead = self.lead_id
        if lead.pharmacy_work_type != 'transfer_in' or lead.partner_id.is_patient:
            raise UserError(_('Only a transfer-in lead whose prospect is not a patient yet is '
                              'converted to a patient.'))
        name = lead.contact_name or lead.partner_name or lead.name
        patient = self.env['res.partner'].create({
            'name': name, 'is_patient': True, 'phone': lead.phone, 'mobile': lead.mobile,
            'email': lead.email_from, 'company_id': lead.company_id.id,
            'birthdate_date': self.birthdate_date, 'allergies': self.allergies,
            'nkda': self.nkda, 'pharmacy_source_id': lead.source_id.id,
            'pharmacy_medium_id': lead.medium_id.id,
            'pharmacy_referred_by_id': lead.pharmacy_referred_by_id.id,
        })
        lead.write({'partner_id': patient.id})
        if lead.pharmacy_contact_consent:
            web = self.env.ref('utm.utm_medium_website', raise_if_not_found=False)
            self.env['pharmacy.consent'].create({
                'patient_id': patient.id, 'channel': 'phone', 'purpose': 'treatment',
                'state': 'granted', 'date': pharmacy_today(lead),
                'source': 'web' if web and lead.medium_id == web else 'in_store'})
        lead.message_post(body=_('Converted to the patient %s.') % patient.name)
        return lead.action_pharmacy_open_patient()
