# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models

from ..tools.recipients import EMAIL_SQL
from .mass_mailing import MAILING_CONTACT


class ResPartner(models.Model):
    """A patient who stops being served (e.g. dismissed) leaves every mailing list; a patient
    who opts out (the unsubscribe link of a mailing, or the contact's Opt-Out) refuses email
    marketing in ``pharmacy.consent``."""

    _inherit = 'res.partner'

    @api.model
    def create(self, vals):
        partner = super().create(vals)
        if vals.get('opt_out') and not self.env.context.get('pharmacy_consent_sync'):
            partner._pharmacy_refuse_email_marketing()
        return partner

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if vals.get('opt_out') and not self.env.context.get('pharmacy_consent_sync'):
            self._pharmacy_refuse_email_marketing()
        return result

    def _pharmacy_leave_mailing_lists(self):
        """The mailing contacts with the patients' email addresses leave every list and opt
        out (Odoo 11 has no blacklist: an opted-out contact is never mailed again)."""
        contacts = self._pharmacy_mailing_contacts()
        contacts.with_context(pharmacy_consent_sync=True).write(
            {'list_ids': [(5, 0, 0)], 'opt_out': True})
        return super()._pharmacy_leave_mailing_lists()

    # --- consent ---------------------------------------------------------------------------
    def _pharmacy_mailing_contacts(self):
        """The mailing contacts (all lists) with these partners' email addresses, as the
        system."""
        emails = [email.strip() for email in self.sudo().mapped('email')
                  if email and email.strip()]
        if not emails:
            return self.env[MAILING_CONTACT].sudo()
        domain = ['|'] * (len(emails) - 1) + [('email', '=ilike', e) for e in emails]
        return self.env[MAILING_CONTACT].sudo().with_context(active_test=False).search(domain)

    @api.model
    def _pharmacy_patients_by_email(self, emails):
        """The patients (archived too) whose address is one of ``emails``, matched as Odoo's
        mass mailing matches addresses (first address, lower case): one query."""
        emails = list({email.lower() for email in emails if email})
        if not emails:
            return self.browse()
        self.env.cr.execute(
            'SELECT id FROM res_partner p WHERE p.is_patient AND %s = ANY(%%s)'
            % EMAIL_SQL.format('p.email'), [emails])
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _pharmacy_refuse_email_marketing(self):
        """These contacts' patients refuse email marketing, today, source "Email reply"; their
        reminder consent is untouched. Written as the system: whoever records the opt-out (a
        marketing user, the public unsubscribe page) may not read consent. Returns True."""
        patients = self.sudo().filtered('is_patient')
        self.env['pharmacy.consent'].sudo()._pharmacy_set_email_marketing(
            patients, 'refused', 'email')
        return True
