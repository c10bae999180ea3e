# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import logging

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessDenied

_logger = logging.getLogger(__name__)


class ResUsers(models.Model):
    """Failed logins go to the pharmacy access log."""

    _inherit = 'res.users'

    @classmethod
    def _login(cls, db, login, password):
        """A login refused (web client, JSON-RPC or XML-RPC ``authenticate``) is logged."""
        uid = super()._login(db, login, password)
        if not uid:
            cls._pharmacy_log_failed_login(login=login)
        return uid

    @classmethod
    def check(cls, db, uid, passwd):
        """An RPC call with a wrong password for ``uid`` (which skips ``_login``) is logged."""
        try:
            return super().check(db, uid, passwd)
        except AccessDenied:
            cls._pharmacy_log_failed_login(uid=uid if isinstance(uid, int) else None)
            raise

    @classmethod
    def _pharmacy_log_failed_login(cls, login=None, uid=None):
        """Write the entry in a cursor of its own, committed at once: the caller's
        transaction may roll back. Never let the log break a login."""
        try:
            with cls.pool.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env['pharmacy.access.log']._log_failed_login(login, uid=uid)
        except Exception:  # pylint: disable=broad-except
            _logger.exception('Could not write the failed login of %r to the access log',
                              login or uid)
