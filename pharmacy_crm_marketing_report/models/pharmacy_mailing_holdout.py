# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from .mass_mailing import MASS_MAILING


class PharmacyMailingHoldout(models.Model):
    """A recipient of a mass mailing held out of it: chosen at random when the mailing is first
    sent, never sent it, and compared with the recipients in the campaign return report.

    Written by the server only (one INSERT per mailing, ``mail.mass_mailing``
    ``_pharmacy_draw_holdout``); read by pharmacy managers; marketing users see the counts of
    the campaign return report only."""

    _name = 'pharmacy.mailing.holdout'
    _description = 'Held Out of a Mailing'
    _order = 'mailing_id, id'
    _rec_name = 'mailing_id'

    mailing_id = fields.Many2one(MASS_MAILING, required=True, readonly=True,
                                 index=True, ondelete='cascade')
    res_id = fields.Integer(string='Recipient', required=True, readonly=True,
                            help="The id of the recipient record, in the mailing's model.")
    patient_id = fields.Many2one('res.partner', readonly=True, index=True,
                                 ondelete='cascade')
    date = fields.Datetime(required=True, readonly=True,
                           help='When the hold-out was drawn: the first send of the mailing.')

    _sql_constraints = [
        ('mailing_res_unique', 'UNIQUE (mailing_id, res_id)',
         'A recipient is held out of a mailing once.'),
    ]
