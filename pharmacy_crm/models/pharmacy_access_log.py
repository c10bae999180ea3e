# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.http import request

EVENTS = [
    ('view', 'Viewed'),
    ('create', 'Created'),
    ('write', 'Changed'),
    ('export', 'Exported'),
    ('login_failed', 'Failed login'),
]
# the columns the hooks fill, in the order of the INSERT
_COLUMNS = ('date', 'user_id', 'login', 'event', 'res_model', 'res_id', 'record_name',
            'patient_id', 'field_names', 'record_count', 'ip', 'company_id',
            'create_uid', 'create_date', 'write_uid', 'write_date')


class PharmacyAccessLog(models.Model):
    """Audit trail of patient data: who viewed, created, changed or exported which record of
    which patient, and failed logins.

    Append-only: entries are inserted by the hooks of ``pharmacy.audit.mixin`` and of
    ``res.users`` (one INSERT per batch, see ``_append``); the ORM refuses to create, change
    or delete one, the superuser included. Field names are logged, never their values.
    """

    _name = 'pharmacy.access.log'
    _inherit = ['pharmacy.company.rule.mixin']
    _description = 'Patient Data Access Log'
    _order = 'date desc, id desc'
    _rec_name = 'record_name'

    date = fields.Datetime(required=True, readonly=True, index=True)
    age_days = fields.Integer(
        string='Days Ago', compute='_compute_age_days', search='_search_age_days',
        help="Days between the pharmacy's date of the event and its today (0: today).")
    user_id = fields.Many2one(
        'res.users', readonly=True, index=True, ondelete='restrict',
        help='Who did it; for a failed login, the user whose login was typed, if any.')
    login = fields.Char(readonly=True, help='The login typed, for failed logins.')
    event = fields.Selection(EVENTS, required=True, readonly=True, index=True)
    res_model = fields.Char(string='Model', readonly=True, index=True)
    res_id = fields.Integer(string='Record ID', readonly=True)
    res_model_name = fields.Char(
        string='Type', compute='_compute_res_model_name',
        help='The kind of record, as users name it (e.g. Fill, Contact).')
    record_name = fields.Char(
        string='Record', readonly=True,
        help='The record\'s name when it is not clinical, else its type and ID.')
    patient_id = fields.Many2one(
        'res.partner', readonly=True, index=True, ondelete='restrict',
        help='The patient the record belongs to (for an export: when it holds one patient).')
    field_names = fields.Char(
        string='Fields', readonly=True,
        help='Names of the fields written or exported, never their values.')
    record_count = fields.Integer(
        string='Records', readonly=True, help='Number of records exported.')
    ip = fields.Char(string='IP Address', readonly=True,
                     help='Address of the web or JSON-RPC client, when known.')
    company_id = fields.Many2one('res.company', readonly=True, index=True, ondelete='restrict')

    def _compute_res_model_name(self):
        names = {}
        for entry in self:
            if entry.res_model and entry.res_model not in names:
                names[entry.res_model] = self.env['ir.model'].sudo()._get(entry.res_model).name
            entry.res_model_name = names.get(entry.res_model) or entry.res_model

    def _compute_age_days(self):
        today = fields.Date.from_string(self.env['res.company'].pharmacy_today())
        for entry in self:
            day = entry.company_id.pharmacy_date(entry.date)
            entry.age_days = (today - fields.Date.from_string(day)).days

    @api.model
    def _search_age_days(self, operator, value):
        """``age_days <= n``: logged since the start of the pharmacy's day n days ago."""
        if operator != '<=' or isinstance(value, bool) or not isinstance(value, int):
            raise UserError(_('Days Ago is searched with "<=" and a whole number of days.'))
        Company = self.env['res.company']
        start = fields.Date.from_string(Company.pharmacy_today()) - timedelta(days=value)
        return [('date', '>=', Company.pharmacy_day_start(start))]

    @api.model
    def create(self, vals):  # pylint: disable=method-required-super
        raise UserError(_(
            'Access log entries are written by Pharmacy CRM itself when patient data is viewed, '
            'changed or exported, and on failed logins; they cannot be created by hand.'))

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(_(
            'Access log entries cannot be changed: the access log is an append-only audit '
            'trail.'))

    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(_(
            'Access log entries cannot be deleted: the access log is an append-only audit '
            'trail, kept as evidence of who accessed patient data.'))

    def copy(self, default=None):  # pylint: disable=method-required-super
        raise UserError(_(
            'Access log entries cannot be copied: the access log is an append-only audit '
            'trail.'))

    def action_open_record(self):
        """Open the record the entry is about (the reader's own access rights apply)."""
        self.ensure_one()
        if not self.res_model or not self.res_id or self.res_model not in self.env:
            raise UserError(_('This entry is not about a single record.'))
        return {
            'type': 'ir.actions.act_window',
            'res_model': self.res_model,
            'res_id': self.res_id,
            'view_mode': 'form',
            'target': 'current',
        }

    @api.model
    def _append(self, entries):
        """Insert ``entries`` (dicts of field values) in ONE query, bypassing the ORM, which
        refuses to create entries. ``date`` defaults to now, ``ip`` to the HTTP client's."""
        if not entries:
            return
        now = fields.Datetime.now()
        ip = _client_ip()
        rows = []
        for entry in entries:
            row = dict(entry, create_uid=entry.get('user_id'), write_uid=entry.get('user_id'),
                       create_date=now, write_date=now)
            row.setdefault('date', now)
            row.setdefault('ip', ip)
            rows.append(tuple(row.get(column) for column in _COLUMNS))
        # psycopg2 renders each tuple as a row "(v1, v2, ...)"
        query = 'INSERT INTO pharmacy_access_log (%s) VALUES %s' % (
            ', '.join(_COLUMNS), ', '.join(['%s'] * len(rows)))
        self.env.cr.execute(query, rows)

    @api.model
    def _log_failed_login(self, login, uid=None):
        """One ``login_failed`` entry for the ``login`` typed (or the user ``uid`` whose
        password an RPC call got wrong)."""
        Users = self.env['res.users'].sudo().with_context(active_test=False)
        user = Users.browse(uid).exists() if uid else Users.search([('login', '=', login)])
        self._append([{
            'event': 'login_failed',
            'user_id': user.id or None,
            'login': login or user.login,
            'res_model': 'res.users',
            'res_id': user.id or None,
            'record_name': login or user.login,
            'company_id': user.company_id.id or None,
        }])


def _client_ip():
    """The address of the client of the current HTTP request (web client, JSON-RPC), if any.

    XML-RPC requests are not dispatched through odoo.http: their address is not known.
    """
    try:
        return request.httprequest.remote_addr if request else None
    except RuntimeError:  # no request bound to this thread
        return None
