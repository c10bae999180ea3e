# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from .mass_mailing import MAILING_LIST


class MailMassMailingList(models.Model):
    """The list of a clinical segment is read by pharmacy staff only."""

    _inherit = MAILING_LIST

    pharmacy_clinical = fields.Boolean(
        string='Clinical Segment', readonly=True, index=True,
        help='The list of a segment built on clinical data: read by pharmacy staff only.')
