# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessDenied, UserError

from odoo.addons.auth_session_timeout.models import res_users as timeout_users
from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_now

from ..tools.password import password_problems

# the hashes of past passwords: a table of its own, out of the ORM's reach (no RPC reads it)
HISTORY_TABLE = 'pharmacy_password_history'


class ResUsers(models.Model):
    """auth_session_timeout, fixed for visitors who are not logged in; the password rules of
    pharmacy staff (length, kinds of characters, no reuse, expiry)."""

    _inherit = 'res.users'

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
        return result

    @api.multi
    def write(self, vals):
        if vals.get('password'):
            self._pharmacy_check_password(vals['password'])
        return super().write(vals)

    # --- automatic logoff ------------------------------------------------------------------
    @api.model_cr_context
    def _auth_timeout_check(self):
        """Only a logged-in session is logged off. auth_session_timeout also checks the
        public user's session of a new visitor (a patient opening an unsubscribe link, the
        website's home page), whose session file does not exist yet: it logged an ERROR with a
        traceback and sent the visitor to the login page. Such a session has nothing to log
        off. (The request is read where auth_session_timeout reads it, which its tests mock.)"""
        request = timeout_users.http.request
        if request and not request.session.uid:
            return None
        return super()._auth_timeout_check()

    # --- passwords -------------------------------------------------------------------------
    def _pharmacy_is_staff(self):
        return self.env.ref(PHARMACY_STAFF) in self.groups_id

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

    @api.model
    def check_credentials(self, password):
        """A pharmacy staff member's password older than the expiry setting logs in no more
        (0: never expires). Passwords set before this addon was installed have no date."""
        result = super().check_credentials(password)
        days = self.env['pharmacy.setting'].sudo().get('password_expiry_days')
        user = self.env.user
        if days and user._pharmacy_is_staff():
            self.env.cr.execute("""
                SELECT max(create_date) FROM pharmacy_password_history
                 WHERE user_id = %s""", [user.id])
            changed = self.env.cr.fetchone()[0]     # text, as Odoo reads timestamps
            now = fields.Datetime.from_string(pharmacy_now(self))
            if changed and changed < fields.Datetime.to_string(now - timedelta(days=days)):
                raise AccessDenied()
        return result
