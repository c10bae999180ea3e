# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .pharmacy_sync_appointment import SYNC_ACTIVITY_DAYS, SYNC_EXCLUDED_FORMS
from .pharmacy_sync_due_together import SYNC_DUE_WINDOW_DAYS, SYNC_DUE_WINDOW_DAYS_DEFAULT


class ResConfigSettings(models.TransientModel):
    """The refill sync settings (system parameters pharmacy_crm.sync_*)."""

    _inherit = 'res.config.settings'

    pharmacy_sync_activity_days = fields.Integer(
        string='Call Before a Sync Date', default=7,
        help='Days before a refill sync date the call activity is due: 0 to 60.')
    pharmacy_sync_excluded_forms = fields.Char(
        string='Dosage Forms Not Synced', default='injection,drops,solution,suspension',
        help='Dosage forms not proposed for refill sync, as their keys separated by commas: '
             'tablet, capsule, solution, suspension, injection, inhaler, cream, patch, drops, '
             'other.')
    pharmacy_sync_due_window_days = fields.Integer(
        string='Due Together Within', default=7,
        help='Prescriptions due within this many days of each other are listed in Due '
             'Together: 1 to 60.')

    @api.constrains('pharmacy_sync_activity_days', 'pharmacy_sync_due_window_days',
                    'pharmacy_sync_excluded_forms')
    def _check_pharmacy_sync(self):
        forms = set(dict(self.env['pharmacy.medication']._fields['dosage_form'].selection))
        for settings in self:
            if not 0 <= settings.pharmacy_sync_activity_days <= 60:
                raise ValidationError(_(
                    'Call Before a Sync Date must be a whole number of days from 0 to 60 (got '
                    '%s).') % settings.pharmacy_sync_activity_days)
            if not 1 <= settings.pharmacy_sync_due_window_days <= 60:
                raise ValidationError(_(
                    'Due Together Within must be a whole number of days from 1 to 60 (got '
                    '%s).') % settings.pharmacy_sync_due_window_days)
            unknown = [key for key in _split(settings.pharmacy_sync_excluded_forms)
                       if key not in forms]
            if unknown:
                raise ValidationError(_(
                    'Dosage Forms Not Synced: %(unknown)s is not a dosage form; use keys '
                    'separated by commas among %(forms)s.') % {
                        'unknown': ', '.join(unknown), 'forms': ', '.join(sorted(forms))})

    @api.model
    def _get_pharmacy_values(self):
        values = super()._get_pharmacy_values()
        values.update(self._get_pharmacy_sync_values())
        return values

    def _set_pharmacy_values(self):
        result = super()._set_pharmacy_values()
        self._set_pharmacy_sync_values()
        return result

    @api.model
    def _get_pharmacy_sync_values(self):
        return {
            'pharmacy_sync_activity_days':
                self.env['pharmacy.sync.appointment']._activity_days(),
            'pharmacy_sync_excluded_forms':
                ','.join(self.env['pharmacy.sync.plan']._excluded_forms()),
            'pharmacy_sync_due_window_days': self._sync_due_window_days(),
        }

    def _set_pharmacy_sync_values(self):
        self.ensure_one()
        params = self.env['ir.config_parameter'].sudo()
        current = self._get_pharmacy_sync_values()
        new = {SYNC_ACTIVITY_DAYS: ('pharmacy_sync_activity_days',
                                    str(self.pharmacy_sync_activity_days)),
               SYNC_EXCLUDED_FORMS: ('pharmacy_sync_excluded_forms',
                                     ','.join(_split(self.pharmacy_sync_excluded_forms))),
               SYNC_DUE_WINDOW_DAYS: ('pharmacy_sync_due_window_days',
                                      str(self.pharmacy_sync_due_window_days))}
        for key, (name, value) in new.items():
            if str(current[name]) != value:
                params.set_param(key, value or 'none')

    @api.model
    def _sync_due_window_days(self):
        value = (self.env['ir.config_parameter'].sudo().get_param(SYNC_DUE_WINDOW_DAYS)
                 or '').strip()
        if value.isdigit() and 1 <= int(value) <= 60:
            return int(value)
        return SYNC_DUE_WINDOW_DAYS_DEFAULT


def _split(text):
    return [key.strip() for key in (text or '').split(',') if key.strip()]
