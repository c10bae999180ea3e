# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .pharmacy_dismissal import DISMISSAL_PARAMS, LOCAL_GROUNDS, dismissal_setting


class ResConfigSettings(models.TransientModel):
    """The dismissal settings (system parameters pharmacy_crm.dismissal_*)."""

    _inherit = 'res.config.settings'

    pharmacy_dismissal_incident_days = fields.Integer(
        string='Incidents on Different Days', default=2,
        help='A dismissal needs incidents on at least this many different days...')
    pharmacy_dismissal_severe_incidents = fields.Integer(
        string='Or Severe Incidents', default=1,
        help='... or at least this many severe incidents (0: severe incidents alone never '
             'suffice).')
    pharmacy_dismissal_notice_days = fields.Integer(
        string='Notice Period', default=30,
        help='Days between the proposal and the earliest effective date, during which the '
             'patient\'s prescriptions are still filled and can be transferred.')
    pharmacy_dismissal_local_grounds = fields.Char(
        string='Local Protected Grounds',
        help='Grounds protected by local law, added to race, colour, national origin, '
             'religion, sex, age and disability in the non-discrimination attestation.')

    @api.constrains('pharmacy_dismissal_incident_days', 'pharmacy_dismissal_severe_incidents',
                    'pharmacy_dismissal_notice_days')
    def _check_pharmacy_dismissal(self):
        for settings in self:
            if not 2 <= settings.pharmacy_dismissal_incident_days <= 20:
                raise ValidationError(_(
                    'Incidents on Different Days must be from 2 to 20: a single bad day is '
                    'never enough (got %s).') % settings.pharmacy_dismissal_incident_days)
            if not 0 <= settings.pharmacy_dismissal_severe_incidents <= 20:
                raise ValidationError(_(
                    'Or Severe Incidents must be from 0 (never enough alone) to 20 (got %s).')
                    % settings.pharmacy_dismissal_severe_incidents)
            if not 0 <= settings.pharmacy_dismissal_notice_days <= 365:
                raise ValidationError(_(
                    'Notice Period must be from 0 to 365 days (got %s).')
                    % settings.pharmacy_dismissal_notice_days)

    @api.model
    def _get_pharmacy_values(self):
        values = super()._get_pharmacy_values()
        values.update(self._get_pharmacy_dismissal_values())
        return values

    def _set_pharmacy_values(self):
        result = super()._set_pharmacy_values()
        self._set_pharmacy_dismissal_values()
        return result

    @api.model
    def _get_pharmacy_dismissal_values(self):
        values = {}
        for name in DISMISSAL_PARAMS:
            values[name] = dismissal_setting(self.env, name)
        values['pharmacy_dismissal_local_grounds'] = self.env['ir.config_parameter'].sudo(
            ).get_param(LOCAL_GROUNDS) or False
        return values

    def _set_pharmacy_dismissal_values(self):
        self.ensure_one()
        params = self.env['ir.config_parameter'].sudo()
        for name, (key, _default) in DISMISSAL_PARAMS.items():
            if self[name] != dismissal_setting(self.env, name):
                params.set_param(key, str(self[name]))
        if (self.pharmacy_dismissal_local_grounds or False) != (
                params.get_param(LOCAL_GROUNDS) or False):
            params.set_param(LOCAL_GROUNDS, self.pharmacy_dismissal_local_grounds or '')
