# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import logging

from odoo import SUPERUSER_ID, _, api, fields, models

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_MANAGER
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_now, pharmacy_today

from ..tools.lockout import failures_since_success, window_start

_logger = logging.getLogger(__name__)


class ResAuthenticationAttempt(models.Model):
    """auth_brute_force's login attempts, with the pharmacy's lockout: after N failed logins
    from one address or for one login (settings), refused for a time; the lock is logged in
    the access log and the pharmacy managers get an activity. No attempt's address leaves the
    pharmacy (auth_brute_force looks each one up at ip-api.com over plain HTTP)."""

    _inherit = 'res.authentication.attempt'

    result = fields.Selection(selection_add=[
        ('second_factor', 'Password Right, Next Step Asked')])

    @api.multi
    @api.depends('remote')
    def _compute_metadata(self):
        """No geolocation: an outside service must not learn who tried to log in where."""
        for attempt in self:
            attempt.remote_metadata = False

    @api.model
    def _pharmacy_window_start(self):
        Setting = self.env['pharmacy.setting'].sudo()
        now = fields.Datetime.from_string(pharmacy_now(self))
        return fields.Datetime.to_string(
            window_start(now, Setting.get('lockout_minutes')))

    @api.model
    def _hits_limit(self, limit, remote, login=None):
        """auth_brute_force's own limits (per address, per address and login), counted in the
        lockout window only, so that its bans end too."""
        domain = [('remote', '=', remote)]
        if login is not None:
            domain.append(('login', '=', login))
        return self._pharmacy_failures(domain) >= limit

    @api.model
    def _pharmacy_failures(self, domain):
        """Failures since the last success among the attempts of ``domain`` in the window."""
        attempts = self.search(domain + [('create_date', '>=', self._pharmacy_window_start())],
                               order='create_date, id')
        return failures_since_success(attempts.mapped('result'))

    @api.model
    def _trusted(self, remote, login):
        """Called as the user logging in, who may not read the attempts (administrators
        only, see security/): counted as superuser."""
        self = self.sudo()  # pylint: disable=self-cls-assignment
        if not super(ResAuthenticationAttempt, self)._trusted(remote, login):
            return False
        if not remote or remote in self._whitelist_remotes():
            return True
        limit = self.env['pharmacy.setting'].sudo().get('lockout_attempts')
        by_remote = self._pharmacy_failures([('remote', '=', remote)]) >= limit
        by_login = self._pharmacy_failures([('login', '=', login)]) >= limit
        if not (by_remote or by_login):
            return True
        _logger.warning('Login %r from %s refused: %d failed logins %s', login, remote, limit,
                        'from this address' if by_remote else 'for this login')
        self._pharmacy_lockout_started(remote, login)
        return False

    @api.model
    def _pharmacy_lockout_started(self, remote, login):
        """The first refusal of a lock (no attempt refused in the window yet for this address
        or login): an access log entry and an activity for each pharmacy manager, written in
        a cursor of their own (the login's transaction is rolled back)."""
        first = not self.search_count([
            ('result', '=', 'banned'), ('create_date', '>=', self._pharmacy_window_start()),
            '|', ('remote', '=', remote), ('login', '=', login)])
        if not first:
            return False
        try:
            with self.pool.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env['res.authentication.attempt']._pharmacy_notify_lockout(remote, login)
        except Exception:  # pylint: disable=broad-except
            _logger.exception('Could not report the lockout of %r from %s', login, remote)
        return True

    @api.model
    def _pharmacy_notify_lockout(self, remote, login):
        Setting = self.env['pharmacy.setting']
        limit = Setting.get('lockout_attempts')
        minutes = Setting.get('lockout_minutes')
        user = self.env['res.users'].with_context(active_test=False).search(
            [('login', '=', login)], limit=1)
        self.env['pharmacy.access.log']._append([{
            'event': 'login_locked', 'user_id': user.id or None, 'login': login,
            'res_model': 'res.users', 'res_id': user.id or None, 'record_name': login,
            'company_id': user.company_id.id or None, 'ip': remote}])
        company = user.company_id or self.env.ref('base.main_company')
        document = user.partner_id or company.partner_id
        managers = self.env.ref(PHARMACY_MANAGER).users.filtered(
            lambda manager: manager.active and company in manager.company_ids)
        summary = _('Login locked: %s') % login
        note = _('%(limit)d failed logins from %(remote)s or for the login "%(login)s": logins '
                 'from this address and for this login are refused for %(minutes)d minutes. If '
                 'this was not the staff member mistyping, someone may be guessing passwords.'
                 ) % {'limit': limit, 'remote': remote, 'login': login, 'minutes': minutes}
        todo = self.env.ref('mail.mail_activity_data_todo')
        model = self.env['ir.model']._get(document._name)
        for manager in managers:
            self.env['mail.activity'].with_context(mail_activity_quick_update=True).create({
                'res_model_id': model.id, 'res_id': document.id,
                'activity_type_id': todo.id, 'summary': summary, 'note': note,
                'user_id': manager.id, 'date_deadline': pharmacy_today(company)})
        return True
