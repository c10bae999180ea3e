# Copyright 2026 Pharmacy CRM contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, api, models
from odoo.exceptions import ValidationError

REFILL_THRESHOLD = 'pharmacy_crm.refill_threshold'


class IrConfigParameter(models.Model):
    """Validate the refill-too-soon threshold and apply a new one to every prescription."""

    _inherit = 'ir.config_parameter'

    @api.constrains('key', 'value')
    def _check_refill_threshold(self):
        for param in self.filtered(lambda p: p.key == REFILL_THRESHOLD):
            try:
                valid = 0 < float(param.value) <= 1
            except (TypeError, ValueError):
                valid = False
            if not valid:
                raise ValidationError(_(
                    'System parameter %(key)s must be a share of the days supply between 0 and '
                    '1, e.g. 0.8 for 80%% (got "%(value)s").')
                    % {'key': REFILL_THRESHOLD, 'value': param.value})

    @api.model
    def create(self, vals):
        param = super().create(vals)
        if param.key == REFILL_THRESHOLD:
            self._recompute_refill_dates()
        return param

    def write(self, vals):
        result = super().write(vals)
        if REFILL_THRESHOLD in self.mapped('key'):
            self._recompute_refill_dates()
        return result

    @api.model
    def _recompute_refill_dates(self):
        """Recompute the stored refill-too-soon dates: active prescriptions with a fill."""
        prescriptions = self.env['pharmacy.patient.medication'].sudo().search(
            [('state', '=', 'active'), ('last_fill_date', '!=', False)])
        # forget the cached dates, else recompute() writes them back unchanged
        prescriptions.invalidate_cache(['refill_eligible_date'], prescriptions.ids)
        self.env.add_todo(prescriptions._fields['refill_eligible_date'], prescriptions)
        prescriptions.recompute()
