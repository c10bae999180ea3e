# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class PharmacySegmentProfileLine(models.TransientModel):
    """One line of the report "What the members have in common" of a segment (age band,
    therapeutic class, refill sync, referral source...): made by the segment's action for
    pharmacy staff, read by the user who asked only (a transient record)."""

    _name = 'pharmacy.segment.profile.line'
    _description = 'What Segment Members Have in Common'
    _order = 'sequence, member_count desc, id'

    segment_id = fields.Many2one('pharmacy.segment', readonly=True,
                                 ondelete='cascade')
    sequence = fields.Integer(readonly=True)
    section = fields.Char(readonly=True)
    label = fields.Char(string='Value', readonly=True)
    member_count = fields.Integer(string='Members', readonly=True)
    share = fields.Float(string='Share (%)', digits=(5, 1), readonly=True, group_operator='max')
