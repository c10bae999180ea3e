# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models

from .mass_mailing import MAILING_CONTACT


class ResPartner(models.Model):
    """A patient who stops being served (e.g. dismissed) leaves every mailing list."""

    _inherit = 'res.partner'

    def _pharmacy_leave_mailing_lists(self):
        """The mailing contacts with the patients' email addresses leave every list and opt
        out (Odoo 11 has no blacklist: an opted-out contact is never mailed again)."""
        emails = [email.strip() for email in self.mapped('email') if email and email.strip()]
        if emails:
            domain = ['|'] * (len(emails) - 1) + [('email', '=ilike', e) for e in emails]
            contacts = self.env[MAILING_CONTACT].sudo().search(domain)
            contacts.write({'list_ids': [(5, 0, 0)], 'opt_out': True})
        return super()._pharmacy_leave_mailing_lists()
