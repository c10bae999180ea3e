# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import threading
import time
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.http import request

from odoo.addons.auth_session_timeout.models import res_users as timeout_users
from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_MANAGER, PHARMACY_STAFF
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_now

from ..tools.password import password_problems
from ..tools.second_factor import (api_key_index, new_recovery_codes, normalize_recovery_code,
                                   same_hash, token_hash, totp_step, valid_pin)

# the hashes of past passwords: a table of its own, out of the ORM's reach (no RPC reads it)
HISTORY_TABLE = 'pharmacy_password_history'
# how long the second step of a login may wait after the password (seconds)
PENDING_SECONDS = 300
# the attempt's result when the password was right and the next step is asked
# (res.authentication.attempt): neither a failure nor a success for the lockout
PENDING_RESULT = 'second_factor'
# a logged-in user confirming their password (changing it): no second step
_REAUTH = threading.local()


def login_mode():
    """How the credentials being checked were typed: 'login' (the web login page),
    'second_factor' (its second step), 'switch' (the quick user switch), or None (anything
    else: XML-RPC, JSON-RPC, /web/session/authenticate: integrations)."""
    if getattr(_REAUTH, 'active', False):
        return 'reauth'
    try:
        return getattr(request, 'pharmacy_login_mode', None) if request else None
    except RuntimeError:   # no request bound to this thread
        return None


class ResUsers(models.Model):
    """auth_session_timeout, fixed for visitors who are not logged in, with a shorter delay per
    group; the password rules of pharmacy staff (length, kinds of characters, no reuse,
    expiry); two factors (TOTP, recovery codes), API keys for integrations and the PIN of the
    quick user switch, all checked where every login passes: ``check_credentials``."""

    _inherit = 'res.users'

    pharmacy_totp_enabled = fields.Boolean(
        'Two-Factor Login', compute='_compute_pharmacy_second_factor',
        help='Logins ask for a code of an authenticator app after the password.')
    pharmacy_two_factor_required = fields.Boolean(
        'Two-Factor Login Required', compute='_compute_pharmacy_second_factor',
        help='The user must log in with a second factor: a pharmacy manager, or any pharmacy '
             'staff member when the setting says so, or a user who turned it on.')
    pharmacy_recovery_codes_left = fields.Integer(
        'Recovery Codes Left', compute='_compute_pharmacy_second_factor')
    pharmacy_pin_set = fields.Boolean('Switch PIN Set', compute='_compute_pharmacy_second_factor')
    pharmacy_api_key_ids = fields.One2many(
        'pharmacy.api.key', 'user_id', 'API Keys',
        help='Keys an integration (a script, the dispensing import) logs in with in place of '
             'the password. Only their names are shown: a key is shown once, when generated.')

    @classmethod
    def _build_model(cls, pool, cr):
        model = super()._build_model(pool, cr)
        readable = ['pharmacy_totp_enabled', 'pharmacy_two_factor_required',
                    'pharmacy_recovery_codes_left', 'pharmacy_pin_set', 'pharmacy_api_key_ids']
        model.SELF_READABLE_FIELDS = model.SELF_READABLE_FIELDS + [
            name for name in readable if name not in model.SELF_READABLE_FIELDS]
        return model

    @api.model_cr_context
    def init(self):
        result = super().init()
        self.env.cr.execute("""
            CREATE TABLE IF NOT EXISTS pharmacy_password_history (
                id serial PRIMARY KEY,
                user_id integer NOT NULL REFERENCES res_users (id) ON DELETE CASCADE,
                password_crypt varchar NOT NULL,
                create_date timestamp NOT NULL)""")
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS pharmacy_password_history_user_id_index
                ON pharmacy_password_history (user_id, create_date)""")
        # second factors and the switch PIN: out of the ORM's reach (no RPC reads them)
        self.env.cr.execute("""
            CREATE TABLE IF NOT EXISTS pharmacy_user_second_factor (
                user_id integer PRIMARY KEY REFERENCES res_users (id) ON DELETE CASCADE,
                totp_secret varchar,
                totp_last_step bigint,
                totp_enabled_date timestamp,
                pin_crypt varchar)""")
        self.env.cr.execute("""
            CREATE TABLE IF NOT EXISTS pharmacy_recovery_code (
                id serial PRIMARY KEY,
                user_id integer NOT NULL REFERENCES res_users (id) ON DELETE CASCADE,
                code_hash varchar NOT NULL,
                used_date timestamp)""")
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS pharmacy_recovery_code_user_id_index
                ON pharmacy_recovery_code (user_id)""")
        return result

    @api.multi
    def _compute_pharmacy_second_factor(self):
        if not self.ids:
            return
        self.env.cr.execute("""
            SELECT u.id, f.totp_secret IS NOT NULL, f.pin_crypt IS NOT NULL,
                   (SELECT count(*) FROM pharmacy_recovery_code c
                     WHERE c.user_id = u.id AND c.used_date IS NULL)
              FROM res_users u LEFT JOIN pharmacy_user_second_factor f ON f.user_id = u.id
             WHERE u.id IN %s""", [tuple(self.ids)])
        rows = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for user in self:
            totp, pin, codes = rows.get(user.id, (False, False, 0))
            user.pharmacy_totp_enabled = totp
            user.pharmacy_pin_set = pin
            user.pharmacy_recovery_codes_left = codes
            user.pharmacy_two_factor_required = user.sudo()._pharmacy_two_factor_required()

    @api.multi
    def write(self, vals):
        if vals.get('password'):
            self._pharmacy_check_password(vals['password'])
        return super().write(vals)

    # --- actions (the user's preferences) ------------------------------------------------
    def _pharmacy_check_self(self):
        self.ensure_one()
        if self.id != self.env.uid:
            raise AccessError(_('Only %s may change their own second factor, PIN and API '
                                'keys.') % self.name)

    @api.multi
    def action_pharmacy_totp_setup(self):
        """Set up two-factor login (or another phone): a wizard shows the QR code."""
        self._pharmacy_check_self()
        wizard = self.env['pharmacy.totp.setup'].create({})
        return wizard._pharmacy_reopen()

    @api.multi
    def action_pharmacy_totp_disable(self):
        """Turn two-factor login off, unless the pharmacy requires it of this user."""
        self._pharmacy_check_self()
        user = self.sudo()
        user._pharmacy_set_totp(None)
        if user._pharmacy_two_factor_required():
            raise UserError(_('Two-factor login is required of %s (a pharmacy manager, or the '
                              'setting for all pharmacy staff): it stays on. Set it up again '
                              'to move it to another phone.') % self.name)
        return {'type': 'ir.actions.client', 'tag': 'reload_context'}

    @api.multi
    def action_pharmacy_recovery_codes(self):
        """New recovery codes (the old ones stop working), shown once."""
        self._pharmacy_check_self()
        if not self.pharmacy_totp_enabled:
            raise UserError(_('Set up two-factor login first: recovery codes replace a code '
                              'of the authenticator app.'))
        codes = self.sudo()._pharmacy_new_recovery_codes()
        wizard = self.env['pharmacy.totp.setup'].create({
            'state': 'codes', 'recovery_codes': '\n'.join(codes)})
        return wizard._pharmacy_reopen()

    @api.multi
    def action_pharmacy_pin_setup(self):
        self._pharmacy_check_self()
        wizard = self.env['pharmacy.pin.setup'].create({})
        return {'type': 'ir.actions.act_window', 'res_model': wizard._name, 'view_mode': 'form',
                'res_id': wizard.id, 'target': 'new', 'name': _('Switch PIN')}

    @api.multi
    def action_pharmacy_api_key_new(self):
        self._pharmacy_check_self()
        wizard = self.env['pharmacy.api.key.new'].create({})
        return wizard._pharmacy_reopen()

    # --- second factors ------------------------------------------------------------------
    def _pharmacy_is_staff(self):
        return self.env.ref(PHARMACY_STAFF) in self.groups_id

    def _pharmacy_two_factor_required(self):
        """A user must log in with a second factor when they turned it on, or when the
        setting *Two-Factor Login Required* names them: 1 = pharmacy managers, 2 = all
        pharmacy staff, 0 = nobody (only those who turned it on)."""
        self.ensure_one()
        if self._pharmacy_totp_secret():
            return True
        level = self.env['pharmacy.setting'].sudo().get('two_factor_required')
        groups = self.sudo().groups_id
        return bool(level >= 1 and self.env.ref(PHARMACY_MANAGER) in groups
                    or level >= 2 and self.env.ref(PHARMACY_STAFF) in groups)

    def _pharmacy_totp_secret(self):
        self.env.cr.execute("SELECT totp_secret, totp_last_step FROM pharmacy_user_second_factor"
                            " WHERE user_id = %s", [self.id])
        row = self.env.cr.fetchone()
        return row[0] if row else None

    def _pharmacy_factor_row(self):
        self.env.cr.execute("""
            INSERT INTO pharmacy_user_second_factor (user_id) VALUES (%s)
            ON CONFLICT (user_id) DO NOTHING""", [self.id])

    def _pharmacy_set_totp(self, secret, step=None):
        """Turn TOTP on with ``secret`` (its first code's ``step`` used), or off (None: the
        recovery codes go too). The user's credentials cached by RPC are forgotten."""
        self.ensure_one()
        self._pharmacy_factor_row()
        self.env.cr.execute("""
            UPDATE pharmacy_user_second_factor
               SET totp_secret = %s, totp_last_step = %s, totp_enabled_date = %s
             WHERE user_id = %s""", [secret, step, pharmacy_now(self) if secret else None,
                                     self.id])
        if not secret:
            self.env.cr.execute("DELETE FROM pharmacy_recovery_code WHERE user_id = %s",
                                [self.id])
        self._pharmacy_forget_cached_credentials()
        self.invalidate_cache(['pharmacy_totp_enabled', 'pharmacy_two_factor_required',
                               'pharmacy_recovery_codes_left'], self.ids)
        return True

    def _pharmacy_forget_cached_credentials(self):
        """``res.users.check`` keeps the credentials of each RPC caller: forget this user's,
        so that the next call is checked again (in this process; the others check cached
        credentials in ``check`` below)."""
        type(self)._Users__uid_cache[self.env.cr.dbname].pop(self.id, None)

    def _pharmacy_new_recovery_codes(self):
        """New recovery codes for the user, replacing the old ones; only their hashes are
        kept. Returns the codes (to show once)."""
        self.ensure_one()
        codes = new_recovery_codes()
        self.env.cr.execute("DELETE FROM pharmacy_recovery_code WHERE user_id = %s", [self.id])
        for code in codes:
            self.env.cr.execute(
                "INSERT INTO pharmacy_recovery_code (user_id, code_hash) VALUES (%s, %s)",
                [self.id, token_hash(normalize_recovery_code(code))])
        self.invalidate_cache(['pharmacy_recovery_codes_left'], self.ids)
        return codes

    def _pharmacy_verify_code(self, code):
        """A code of the user's authenticator app (not replayed), or one of their unused
        recovery codes (then used up): True or False."""
        self.ensure_one()
        self.env.cr.execute("""
            SELECT totp_secret, totp_last_step FROM pharmacy_user_second_factor
             WHERE user_id = %s FOR UPDATE""", [self.id])
        row = self.env.cr.fetchone()
        if not row or not row[0]:
            return False
        step = totp_step(row[0], code, time.time(), last_step=row[1])
        if step is not None:
            self.env.cr.execute("UPDATE pharmacy_user_second_factor SET totp_last_step = %s "
                                "WHERE user_id = %s", [step, self.id])
            return True
        normalized = normalize_recovery_code(code)
        if len(normalized) != 10:
            return False
        self.env.cr.execute("""
            UPDATE pharmacy_recovery_code SET used_date = %s
             WHERE user_id = %s AND code_hash = %s AND used_date IS NULL RETURNING id""",
                            [pharmacy_now(self), self.id, token_hash(normalized)])
        return bool(self.env.cr.fetchone())

    def _pharmacy_set_pin(self, pin):
        self.ensure_one()
        if pin and not valid_pin(pin):
            raise UserError(_('A switch PIN is 4 to 8 digits.'))
        self._pharmacy_factor_row()
        crypt = self._crypt_context().encrypt(pin) if pin else None
        self.env.cr.execute("UPDATE pharmacy_user_second_factor SET pin_crypt = %s "
                            "WHERE user_id = %s", [crypt, self.id])
        self.invalidate_cache(['pharmacy_pin_set'], self.ids)
        return True

    def _pharmacy_pin_matches(self, pin):
        if not valid_pin(pin):
            return False
        self.env.cr.execute("SELECT pin_crypt FROM pharmacy_user_second_factor "
                            "WHERE user_id = %s", [self.id])
        row = self.env.cr.fetchone()
        return bool(row and row[0] and self._crypt_context().verify(pin, row[0]))

    def _pharmacy_api_key_matches(self, key):
        index = api_key_index(key)
        self.env.cr.execute("""
            SELECT key_hash FROM pharmacy_api_key
             WHERE user_id = %s AND key_index = %s AND active""", [self.id, index])
        row = self.env.cr.fetchone()
        return bool(row and same_hash(row[0], token_hash(key)))

    # --- where every login passes ----------------------------------------------------------
    def _pharmacy_guarded(self, check):
        """``check()`` (a credential other than the password) under auth_brute_force's
        attempt and lockout, as the password is: refused while locked, counted when wrong."""
        login = self.env.user.login
        with self._auth_attempt(login):
            attempt = self._auth_attempt_update({'login': login})
            if not self.env['res.authentication.attempt']._trusted(attempt.get('remote'), login):
                error = AccessDenied()
                error.reason = 'banned'
                raise error
            if not check():
                raise AccessDenied()
        return True

    def _pharmacy_pending(self, next_step):
        """The password was right; the web login page goes on to ``next_step``
        ('second_factor', 'enrol', 'password_expired'): the attempt is neither a failure nor
        a success (a second step guessed wrong is a failure)."""
        request.pharmacy_login_pending = {'uid': self.env.uid, 'login': self.env.user.login,
                                          'next': next_step}
        error = AccessDenied()
        error.reason = PENDING_RESULT
        raise error

    @api.model
    def check_credentials(self, password):
        """Every login and every RPC call not cached passes here, as the user.

        - the web login's second step: a code of the authenticator app or a recovery code
          (or, when setting it up, a code of the new secret);
        - an API key, over RPC only (XML-RPC, JSON-RPC, /web/session/authenticate);
        - the quick switch: the switch PIN or the password;
        - else the password, refused when older than the expiry setting (the web login page
          goes on to a page to change it); a logged-in user changing their password
          ('reauth') confirms it with the password alone.
        Then a user who must use two factors: the web login page goes on to the second step;
        the quick switch needs the code typed with it; anything else (RPC) is refused: an
        integration logs in with an API key."""
        user = self.env.user
        mode = login_mode()
        with self._auth_attempt(user.login):
            if mode == 'second_factor':
                return self._pharmacy_guarded(lambda: self._pharmacy_second_step(password))
            if api_key_index(password):
                return self._pharmacy_guarded(
                    lambda: mode is None and user.sudo()._pharmacy_api_key_matches(password))
            if mode == 'switch' and user.sudo()._pharmacy_pin_matches(password):
                self._pharmacy_guarded(lambda: True)    # a PIN is refused while locked too
            else:
                super().check_credentials(password)
                if self._pharmacy_password_expired():
                    if mode == 'login':
                        self._pharmacy_pending('password_expired')
                    raise AccessDenied()
            if mode == 'reauth' or not user.sudo()._pharmacy_two_factor_required():
                return None
            if mode == 'login':
                enrolled = bool(user.sudo()._pharmacy_totp_secret())
                self._pharmacy_pending('second_factor' if enrolled else 'enrol')
            if mode == 'switch':
                code = getattr(request, 'pharmacy_switch_code', None)
                if code and user.sudo()._pharmacy_verify_code(code):
                    return None
                request.pharmacy_switch_needs_code = True
            raise AccessDenied()

    @api.model
    def change_password(self, old_passwd, new_passwd):
        """The user, logged in (with their second factor, or an API key), confirms their old
        password: the password alone, as Odoo asks it."""
        _REAUTH.active = True
        try:
            return super().change_password(old_passwd, new_passwd)
        finally:
            _REAUTH.active = False

    def _pharmacy_second_step(self, code):
        """The second step of the web login, for the user whose password was checked in this
        browser session a moment ago (the session remembers it, not the browser)."""
        pending = request.session.get('pharmacy_login_pending') or {}
        if (pending.get('uid') != self.env.uid
                or pending.get('next') not in ('second_factor', 'enrol')
                or pending.get('time', 0) < time.time() - PENDING_SECONDS):
            return False
        user = self.env.user.sudo()
        if pending['next'] == 'second_factor':
            return user._pharmacy_verify_code(code)
        secret = pending.get('secret')
        step = secret and totp_step(secret, code, time.time())
        if step is None or not secret:
            return False
        user._pharmacy_set_totp(secret, step)
        request.pharmacy_new_recovery_codes = user._pharmacy_new_recovery_codes()
        return True

    @classmethod
    def check(cls, db, uid, passwd):
        """RPC calls: credentials cached by an earlier call are checked again when the user
        must now use two factors (unless they are an API key still active), so that turning
        two factors on or revoking a key takes effect at once in every worker."""
        cache = cls._Users__uid_cache[cls.pool.db_name]
        if passwd and cache.get(uid) == passwd:
            with cls.pool.cursor() as cr:
                user = api.Environment(cr, SUPERUSER_ID, {})[cls._name].browse(uid)
                if api_key_index(passwd):
                    still = user._pharmacy_api_key_matches(passwd)
                else:
                    still = not user._pharmacy_two_factor_required()
            if not still:
                cache.pop(uid, None)
        return super().check(db, uid, passwd)

    @classmethod
    def _pharmacy_log_failed_login(cls, login=None, uid=None):
        """A right password whose login goes on to a second step is no failed login."""
        if login_mode() == 'login' and getattr(request, 'pharmacy_login_pending', None):
            return None
        return super()._pharmacy_log_failed_login(login=login, uid=uid)

    # --- automatic logoff ------------------------------------------------------------------
    @api.model_cr_context
    def _auth_timeout_check(self):
        """Only a logged-in session is logged off. auth_session_timeout also checks the
        public user's session of a new visitor (a patient opening an unsubscribe link, the
        website's home page), whose session file does not exist yet: it logged an ERROR with a
        traceback and sent the visitor to the login page. Such a session has nothing to log
        off. (The request is read where auth_session_timeout reads it, which its tests mock.)"""
        request_ = timeout_users.http.request
        if request_ and not request_.session.uid:
            return None
        return super()._auth_timeout_check()

    @api.model_cr_context
    def _auth_timeout_deadline_calculate(self):
        """The session's user's own delay: the shortest of the groups' (res.groups *Automatic
        Logoff (minutes)*) and the pharmacy's."""
        deadline = super()._auth_timeout_deadline_calculate()
        request_ = timeout_users.http.request
        uid = request_ and request_.session.uid
        if deadline is False or not uid:
            return deadline
        return time.time() - self.browse(uid)._pharmacy_idle_logoff_seconds()

    def _pharmacy_idle_logoff_seconds(self):
        """The shortest delay that applies to the user (seconds): the pharmacy's setting, or
        a shorter one set on one of their groups (0 on a group: none of its own)."""
        delay = self.env['ir.config_parameter'].sudo()._auth_timeout_get_parameter_delay()
        self.env.cr.execute("""
            SELECT min(g.pharmacy_idle_logoff_minutes) FROM res_groups g
              JOIN res_groups_users_rel r ON r.gid = g.id
             WHERE r.uid = %s AND g.pharmacy_idle_logoff_minutes > 0""", [self.id])
        minutes = self.env.cr.fetchone()[0]
        if minutes:
            group_delay = max(1, int(round(minutes * 60)))
            delay = min(delay, group_delay) if delay > 0 else group_delay
        return delay

    # --- passwords -------------------------------------------------------------------------
    @api.multi
    def _pharmacy_check_password(self, password):
        """A new password of a pharmacy staff member follows the rules of the settings and is
        none of their last passwords; UserError saying what is missing."""
        Setting = self.env['pharmacy.setting'].sudo()
        min_length = Setting.get('password_min_length')
        min_classes = Setting.get('password_min_classes')
        history = Setting.get('password_history')
        for user in self.filtered(lambda u: u._pharmacy_is_staff()):
            problems = password_problems(password, min_length, min_classes)
            if problems:
                raise UserError(_(
                    'The password of %(user)s needs at least %(length)d characters, and '
                    'characters of at least %(classes)d of these kinds: lowercase letters, '
                    'uppercase letters, digits, symbols. A long phrase is easiest to '
                    'remember.') % {'user': user.name, 'length': min_length,
                                    'classes': min_classes})
            if history and user._pharmacy_used_before(password, history):
                raise UserError(_(
                    'The password of %(user)s may not be one of their last %(count)d '
                    'passwords: choose a new one.') % {'user': user.name, 'count': history})
        return True

    def _pharmacy_used_before(self, password, count):
        self.env.cr.execute("""
            SELECT password_crypt FROM pharmacy_password_history WHERE user_id = %s
             ORDER BY create_date DESC, id DESC LIMIT %s""", [self.id, count])
        crypt = self._crypt_context()
        return any(crypt.verify(password, row[0]) for row in self.env.cr.fetchall())

    def _set_encrypted_password(self, encrypted):
        """Every password set (auth_crypt) goes to the history, with its date."""
        result = super()._set_encrypted_password(encrypted)
        self.env.cr.execute("""
            INSERT INTO pharmacy_password_history (user_id, password_crypt, create_date)
            VALUES (%s, %s, %s)""", [self.id, encrypted, pharmacy_now(self)])
        return result

    def _pharmacy_password_expired(self):
        """A pharmacy staff member's password older than the expiry setting (0: never).
        Passwords set before this addon was installed have no date."""
        days = self.env['pharmacy.setting'].sudo().get('password_expiry_days')
        user = self.env.user
        if not days or not user._pharmacy_is_staff():
            return False
        self.env.cr.execute("SELECT max(create_date) FROM pharmacy_password_history "
                            "WHERE user_id = %s", [user.id])
        changed = self.env.cr.fetchone()[0]     # text, as Odoo reads timestamps
        now = fields.Datetime.from_string(pharmacy_now(self))
        return bool(changed and changed < fields.Datetime.to_string(now - timedelta(days=days)))
