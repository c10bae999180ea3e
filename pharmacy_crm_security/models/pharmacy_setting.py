# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models

from odoo.addons.pharmacy_crm.models.pharmacy_setting_spec import PharmacySettingSpec

# auth_session_timeout's system parameters (seconds; paths that are no activity)
DELAY_KEY = 'inactive_session_time_out_delay'
IGNORED_PATH_KEY = 'inactive_session_time_out_ignored_url'
# requests the web client makes by itself, without the user: never activity
IGNORED_PATHS = ('/longpolling/poll', '/calendar/notify', '/longpolling/im_status')

IDLE_LOGOFF_MINUTES = PharmacySettingSpec(
    'idle_logoff_minutes', 'float', 'Automatic Logoff (minutes)', 15.0, minimum=0,
    above_minimum=True, maximum=1440, digits=2, apply='_apply_idle_logoff',
    help_text='A session with no activity (no click, key or page of its user; the '
              'notifications the web client polls for do not count) for this many minutes is '
              'closed and its screen goes back to the login page. More than 0 and at most '
              '1440 (one day); 15 by default.')

LOCKOUT_ATTEMPTS = PharmacySettingSpec(
    'lockout_attempts', 'integer', 'Failed Logins Before Lockout', 5, minimum=1, maximum=100,
    help_text='After this many failed logins in a row from one address, or for one login, '
              'further logins from that address and for that login are refused for the '
              'lockout time, the lock is written in the access log and the pharmacy managers '
              'get an activity. 1 to 100; 5 by default.')
LOCKOUT_MINUTES = PharmacySettingSpec(
    'lockout_minutes', 'integer', 'Lockout (minutes)', 15, minimum=1, maximum=1440,
    help_text='How long logins stay refused after too many failed logins (failures older '
              'than this are forgotten). 1 to 1440; 15 by default.')
PASSWORD_MIN_LENGTH = PharmacySettingSpec(
    'password_min_length', 'integer', 'Password Length', 12, minimum=8, maximum=128,
    help_text='Fewest characters of a pharmacy staff member\'s new password: 8 to 128; 12 by '
              'default.')
PASSWORD_MIN_CLASSES = PharmacySettingSpec(
    'password_min_classes', 'integer', 'Password Character Classes', 3, minimum=1, maximum=4,
    help_text='Of lowercase letters, uppercase letters, digits and symbols, how many kinds a '
              'new password must mix: 1 to 4; 3 by default.')
PASSWORD_HISTORY = PharmacySettingSpec(
    'password_history', 'integer', 'Passwords Not Reused', 5, minimum=0, maximum=24,
    help_text='A new password may not be one of the user\'s last passwords, this many: 0 to '
              '24 (0: no check); 5 by default.')
PASSWORD_EXPIRY_DAYS = PharmacySettingSpec(
    'password_expiry_days', 'integer', 'Password Expiry (days)', 0, minimum=0, maximum=3650,
    days=True,
    help_text='Days after which a password no longer logs in and a manager must set a new '
              'one; 0 (the default): never, as current guidance prefers long passwords to '
              'forced changes.')
TWO_FACTOR_REQUIRED = PharmacySettingSpec(
    'two_factor_required', 'integer', 'Two-Factor Login Required', 1, minimum=0, maximum=2,
    help_text='Who must log in with a second factor (a code of an authenticator app): 1 (the '
              'default) the pharmacy managers, 2 all pharmacy staff, 0 only the users who '
              'turned it on in their preferences. Over XML-RPC and JSON-RPC these users log '
              'in with an API key, never with the password alone.')


class PharmacySetting(models.AbstractModel):
    """The automatic logoff delay, the lockout after failed logins, the password rules."""

    _inherit = 'pharmacy.setting'
    _pharmacy_setting_specs = (IDLE_LOGOFF_MINUTES, LOCKOUT_ATTEMPTS, LOCKOUT_MINUTES,
                               PASSWORD_MIN_LENGTH, PASSWORD_MIN_CLASSES, PASSWORD_HISTORY,
                               PASSWORD_EXPIRY_DAYS, TWO_FACTOR_REQUIRED)

    @api.model
    def _apply_idle_logoff(self, minutes):
        """auth_session_timeout reads its own parameters (seconds, cached): write them, which
        clears its cache. Polling URLs are kept out of the activity."""
        Param = self.env['ir.config_parameter'].sudo()
        Param.set_param(DELAY_KEY, str(max(1, int(round(minutes * 60)))))
        ignored = [path for path in (Param.get_param(IGNORED_PATH_KEY) or '').split(',')
                   if path]
        missing = [path for path in IGNORED_PATHS if path not in ignored]
        if missing:
            Param.set_param(IGNORED_PATH_KEY, ','.join(ignored + missing))
        return True
