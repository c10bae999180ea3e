# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from odoo.addons.pharmacy_crm_marketing.models.mass_mailing import MAILING_LIST


class MailMassMailingList(models.Model):
    """A list visitors may join from the website's newsletter block: only the lists the
    pharmacy offers there (not an imported list, not a segment's list)."""

    _inherit = MAILING_LIST

    pharmacy_website_offered = fields.Boolean(
        string='Offered on the Website', default=False,
        help='Visitors may subscribe to this list from the newsletter block of the website '
             '(with a confirmation link). Other lists refuse a subscription from the website.')
