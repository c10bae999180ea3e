# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    """The adherence threshold (system parameter pharmacy_crm.adherence_threshold)."""

    _inherit = 'res.config.settings'

    pharmacy_adherence_threshold = fields.Float(
        string='Adherence Threshold', digits=(16, 2), default=0.8,
        help='A patient is adherent for a class when their PDC (proportion of days covered) '
             'is at least this share: more than 0 and at most 1, 0.80 by default (PQA). A new '
             'value applies at once to every stored adherence figure.')

    @api.constrains('pharmacy_adherence_threshold')
    def _check_pharmacy_adherence_threshold(self):
        for settings in self:
            if not 0 < settings.pharmacy_adherence_threshold <= 1:
                raise ValidationError(_(
                    'Adherence Threshold must be more than 0 and at most 1, e.g. 0.80 for 80%% '
                    '(got %s).') % settings.pharmacy_adherence_threshold)

    @api.model
    def _get_pharmacy_values(self):
        values = super()._get_pharmacy_values()
        values['pharmacy_adherence_threshold'] = self.env['pharmacy.adherence']._get_threshold()
        return values

    def _set_pharmacy_values(self):
        result = super()._set_pharmacy_values()
        self.env['pharmacy.adherence']._apply_threshold(self.pharmacy_adherence_threshold)
        return result
