# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models


class PharmacyAdherenceRecompute(models.TransientModel):
    """Recompute adherence (PDC) for any period: replaces that period's rows."""

    _name = 'pharmacy.adherence.recompute'
    _description = 'Recompute Adherence'

    date_start = fields.Date(string='Period Start', required=True,
                             default=lambda self: self._default_period()[0])
    date_end = fields.Date(string='Period End', required=True,
                           default=lambda self: self._default_period()[1])

    @api.model
    def _default_period(self):
        start, end = self.env['pharmacy.adherence']._rolling_period()
        return fields.Date.to_string(start), fields.Date.to_string(end)

    def action_recompute(self):
        self.ensure_one()
        count = self.env['pharmacy.adherence'].recompute_period(self.date_start, self.date_end)
        action = self.env.ref('pharmacy_crm_adherence.pharmacy_adherence_action').read()[0]
        action['domain'] = [('date_start', '=', self.date_start),
                            ('date_end', '=', self.date_end)]
        action['name'] = _('Adherence %(start)s to %(end)s (%(count)d)') % {
            'start': self.date_start, 'end': self.date_end, 'count': count}
        return action
