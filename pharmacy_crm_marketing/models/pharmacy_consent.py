# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models

from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today


class PharmacyConsent(models.Model):
    """Email marketing consent and Odoo's opt-out move together: refusing opts the patient's
    contact and mailing contacts out, granting again re-admits them (their opt-out cleared;
    the lists they left stay left)."""

    _inherit = 'pharmacy.consent'

    @api.model
    def create(self, vals):
        consent = super().create(vals)
        consent._pharmacy_sync_opt_out()
        return consent

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if 'state' in vals:
            self._pharmacy_sync_opt_out()
        return result

    def _pharmacy_sync_opt_out(self):
        """Returns True."""
        if self.env.context.get('pharmacy_consent_sync'):
            return True
        email_marketing = self.sudo().filtered(
            lambda c: c.channel == 'email' and c.purpose == 'marketing')
        for state, opt_out in (('granted', False), ('refused', True)):
            patients = email_marketing.filtered(lambda c: c.state == state).mapped('patient_id')
            patients = patients.with_context(pharmacy_consent_sync=True)
            patients.filtered(lambda p: p.opt_out != opt_out).write({'opt_out': opt_out})
            patients._pharmacy_mailing_contacts().filtered(
                lambda c: c.opt_out != opt_out).write({'opt_out': opt_out})
        return True

    @api.model
    def _pharmacy_set_email_marketing(self, patients, state, source):
        """Set the email marketing consent of ``patients`` to ``state`` (dated today, given
        ``source``), creating the line where a patient has none. Returns True."""
        consents = self.search([('patient_id', 'in', patients.ids), ('channel', '=', 'email'),
                                ('purpose', '=', 'marketing')])
        changed = consents.filtered(lambda c: c.state != state)
        if changed:
            changed.write({'state': state, 'date': pharmacy_today(self), 'source': source})
        for patient in patients - consents.mapped('patient_id'):
            self.create({'patient_id': patient.id, 'channel': 'email', 'purpose': 'marketing',
                         'state': state, 'date': pharmacy_today(patient), 'source': source})
        return True
