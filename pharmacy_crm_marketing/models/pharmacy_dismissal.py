# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models

from .mass_mailing import MAILING_CONTACT


class PharmacyDismissal(models.Model):
    """A dismissed patient leaves every mailing list."""

    _inherit = 'pharmacy.dismissal'

    def _dismissal_leave_mailing_lists(self):
        """The mailing contacts with the patient's email address leave every list and opt
        out (Odoo 11 has no blacklist: an opted-out contact is never mailed again)."""
        super()._dismissal_leave_mailing_lists()
        email = (self.patient_id.email or '').strip()
        if not email:
            return
        contacts = self.env[MAILING_CONTACT].sudo().search([('email', '=ilike', email)])
        contacts.write({'list_ids': [(5, 0, 0)], 'opt_out': True})
