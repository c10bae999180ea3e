# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResGroups(models.Model):
    """A shorter automatic logoff for the members of a group (e.g. the technicians at the
    counter): the shortest delay that applies to a user wins."""

    _inherit = 'res.groups'

    pharmacy_idle_logoff_minutes = fields.Float(
        'Automatic Logoff (minutes)', digits=(16, 2), default=0.0,
        help='Members of this group are logged off after this many minutes without activity '
             'when it is shorter than the pharmacy\'s setting (and than their other groups\'). '
             '0: none of its own.')

    @api.constrains('pharmacy_idle_logoff_minutes')
    def _check_pharmacy_idle_logoff_minutes(self):
        for group in self:
            if not 0 <= group.pharmacy_idle_logoff_minutes <= 1440:
                raise ValidationError(_(
                    'Automatic Logoff (minutes) of the group %s: 0 (none of its own) to 1440 '
                    '(one day).') % group.name)
