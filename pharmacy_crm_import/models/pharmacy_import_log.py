# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import base64
import gzip
import hashlib
import io
import json
import logging
import time

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tools import html_escape, human_size

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_MANAGER

from .pharmacy_import import FILE_REFUSALS, FileRefused, ImportBusy

_logger = logging.getLogger(__name__)
KINDS = ('patient', 'prescriber', 'medication', 'prescription', 'fill')


class PharmacyImportLog(models.Model):
    """One import of a dispensing-system export: who queued it, when, the file's name and
    sha256, its state, and what it did (counts per kind, the lines refused and why).

    Managers only. Queued by the wizard (or ``create`` over RPC), run by the scheduled action
    *Pharmacy: run queued dispensing imports* in its own transaction, each import all or
    nothing, as the manager who queued it and in their language; that manager is notified on
    the log when it ends. The file is dropped once imported (its name and sha256 stay)."""

    _name = 'pharmacy.import.log'
    _description = 'Dispensing Import'
    _inherit = ['mail.thread', 'pharmacy.server.fields.mixin']
    _order = 'id desc'
    # what one value of a PostgreSQL row may hold is 1 GB; the compressed file is sent as
    # bytea text (escaped), so it is kept well below
    _max_packed_bytes = 400 * 2 ** 20
    # queued by the wizard (or create), then run by ``_run`` only
    _pharmacy_state_actions = {'state': {
        '_run': ('queued', 'running'),
        '_run_done': ('running', 'done'),
        '_run_failed': ('running', 'failed'),
    }}

    name = fields.Char(string='File Name', required=True, readonly=True)
    file = fields.Binary(
        compute='_compute_file', readonly=True, copy=False,
        help='The queued file as it was uploaded; dropped once imported.')
    # the queued file compressed (gzip), in the log's own row, not the attachment store:
    # Odoo 11 shares one file between identical contents and writes it in place, where a
    # queued import could read it half written (or after another log's deletion); compressed
    # because one value of a row holds at most 1 GB (a chain's whole history is more); the
    # sha256 of the file as uploaded is checked before the import
    file_gzip = fields.Binary(string='Compressed File', attachment=False, readonly=True,
                              copy=False, groups='base.group_system')
    file_size = fields.Integer(readonly=True, copy=False,
                               help='Bytes of the file as uploaded.')
    sha256 = fields.Char(string='SHA-256', readonly=True, copy=False)
    state = fields.Selection([
        ('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed'),
    ], default='queued', required=True, readonly=True, index=True, track_visibility='onchange')
    user_id = fields.Many2one('res.users', string='Queued By', required=True, readonly=True,
                              default=lambda self: self.env.user, ondelete='restrict')
    company_id = fields.Many2one('res.company', required=True, readonly=True, index=True,
                                 default=lambda self: self.env.user.company_id)
    date_start = fields.Datetime(string='Started', readonly=True)
    date_end = fields.Datetime(string='Ended', readonly=True)
    duration = fields.Float(string='Seconds', readonly=True, digits=(16, 1))
    failure = fields.Text(readonly=True, help='Why the whole file was refused.')
    failure_code = fields.Selection(FILE_REFUSALS, string='Kind of Failure', readonly=True)
    row_count = fields.Integer(string='Rows', readonly=True)
    bad_count = fields.Integer(string='Bad Rows', readonly=True)
    duplicate_count = fields.Integer(
        string='Duplicate Rows', readonly=True,
        help='Rows whose prescription and fill number come again later in the file: the '
             'later row is imported.')
    error_ids = fields.One2many('pharmacy.import.error', 'import_id', string='Rows Refused',
                                readonly=True)
    patient_new = fields.Integer(string='New Patients', readonly=True)
    patient_updated = fields.Integer(string='Updated Patients', readonly=True)
    patient_unchanged = fields.Integer(string='Unchanged Patients', readonly=True)
    prescriber_new = fields.Integer(string='New Prescribers', readonly=True)
    prescriber_updated = fields.Integer(string='Updated Prescribers', readonly=True)
    prescriber_unchanged = fields.Integer(string='Unchanged Prescribers', readonly=True)
    medication_new = fields.Integer(string='New Medications', readonly=True)
    medication_updated = fields.Integer(string='Updated Medications', readonly=True)
    medication_unchanged = fields.Integer(string='Unchanged Medications', readonly=True)
    prescription_new = fields.Integer(string='New Prescriptions', readonly=True)
    prescription_updated = fields.Integer(string='Updated Prescriptions', readonly=True)
    prescription_unchanged = fields.Integer(string='Unchanged Prescriptions', readonly=True)
    fill_new = fields.Integer(string='New Fills', readonly=True)
    fill_updated = fields.Integer(string='Updated Fills', readonly=True)
    fill_unchanged = fields.Integer(string='Unchanged Fills', readonly=True)

    def _compute_file(self):
        """The uploaded file (base64) from its compressed copy; its size alone when the
        client asks for sizes (``bin_size``), without decompressing."""
        bin_size = self.env.context.get('bin_size') or self.env.context.get('bin_size_file')
        for log in self:
            packed = log.sudo().file_gzip
            if not packed:
                log.file = False
            elif bin_size:
                log.file = human_size(log.file_size)
            else:
                log.file = base64.b64encode(gzip.decompress(base64.b64decode(packed)))

    @api.model
    def create(self, vals):
        """Queue a file: managers only; name and file required, the rest is the server's."""
        self._check_manager()
        vals = {key: vals[key] for key in ('name', 'file') if key in vals}
        # an empty file ('') is queued: its run says the file is empty
        if vals.get('file') in (None, False) or not vals.get('name'):
            raise UserError(_('File of the import is required: upload the CSV export of the '
                              'dispensing system (see Pharmacy > Configuration > Import '
                              'dispensing data).'))
        data = base64.b64decode(vals.pop('file') or b'')
        # what the run checks before it reads the file
        vals.update(sha256=hashlib.sha256(data).hexdigest(), file_size=len(data),
                    file_gzip=self._pack_file(data))
        return super(PharmacyImportLog, self.with_context(
            mail_create_nolog=True)).create(vals)

    def write(self, vals):
        if not self.env.context.get('pharmacy_import_run'):
            raise UserError(_('A dispensing import cannot be changed: queue a new one.'))
        self._pharmacy_check_state_fields(vals)
        return super().write(vals)

    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(_('A dispensing import is the record of what it changed: it is never '
                          'deleted.'))

    @api.model
    def _pack_file(self, data):
        """``data`` compressed for the log's row (base64 of gzip, level 1: a dispensing
        export shrinks about thirteenfold, in under a second per 100 MB); refused with what
        to do when even compressed it exceeds what one value of a row may hold."""
        packed = base64.b64encode(gzip.compress(data, compresslevel=1))
        if len(packed) > self._max_packed_bytes:
            raise UserError(_(
                'File of the import is too large: %(size)d MB, %(packed)d MB compressed, '
                'over the %(limit)d MB one import can hold. Split the export into files of '
                'whole patients (all the rows of a patient in the same file) and import them '
                'one after the other.') % {
                    'size': len(data) // 2 ** 20, 'packed': len(packed) // 2 ** 20,
                    'limit': self._max_packed_bytes // 2 ** 20})
        return packed

    @api.model
    def _check_manager(self):
        if not self.env.user.has_group(PHARMACY_MANAGER):
            raise AccessError(_('Only pharmacy managers may import dispensing data. Ask a '
                                'manager.'))

    def action_run_now(self):
        """Run queued imports of this list now, in this request (managers)."""
        self._check_manager()
        for log in self.filtered(lambda entry: entry.state == 'queued'):
            log.sudo()._run()
        return True

    @api.model
    def _cron_run_queued(self):
        """The scheduled action: run every queued import, oldest first, each committed on
        its own (a failure rolls back that import only and is recorded on its log)."""
        for log in self.sudo().search([('state', '=', 'queued')], order='id'):
            log._run_retrying()

    def _run_retrying(self, progress=None, tries=3):
        """Run this queued import in a transaction of its own, committed; retried up to
        ``tries`` times (each retry logged) when PostgreSQL refuses it for a concurrent
        change (a counter fill committed on a row it writes after its transaction began: see
        ``pharmacy.import._imp_lock_rows``). An import of the same pharmacy running
        elsewhere, or ``tries`` failures: it stays queued for the next run. Returns
        ``_run``'s result, or None when it did not run."""
        self.ensure_one()
        cr = self.env.cr
        cr.commit()  # pylint: disable=invalid-commit
        for attempt in range(1, tries + 1):
            if self.state != 'queued':    # run meanwhile by another process
                return None
            try:
                result = self._run(progress)
                cr.commit()  # pylint: disable=invalid-commit
                return result
            except ImportBusy as err:
                cr.rollback()
                self.env.clear()
                _logger.info('dispensing import %s stays queued: %s', self.name, err.args[0])
                return None
            except psycopg2.OperationalError as err:
                if err.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                    raise
                cr.rollback()
                self.env.clear()
                _logger.info('dispensing import %s: %s (a concurrent change), attempt %d of '
                             '%d', self.name, err.pgcode, attempt, tries)
        return None

    def _run(self, progress=None):
        """Import this log's file as the manager who queued it, in a savepoint: all or
        nothing. Records the counts and refused rows, drops the file, notifies. What it words
        (a whole file's refusal, the message) is in the language of the manager who queued it,
        whoever runs it (the scheduled action has no language)."""
        self.ensure_one()
        lang = self.user_id.lang or self.env.lang
        log = self.with_context(pharmacy_import_run=True, tracking_disable=True, lang=lang)
        importer = self.env['pharmacy.import'].sudo(self.user_id.id).with_context(
            tracking_disable=True, lang=lang)
        # another import of the pharmacy running: ImportBusy, before anything is written
        importer._imp_lock_company(self.company_id)
        log._pharmacy_state_transition('_run', {'date_start': fields.Datetime.now()})
        start = time.monotonic()
        try:
            with self.env.cr.savepoint():
                data = gzip.decompress(base64.b64decode(self.sudo().file_gzip or b''))
                if hashlib.sha256(data).hexdigest() != self.sha256:
                    raise importer._imp_refused('checksum')
                counts, errors = importer._import_file(
                    io.BytesIO(data), self.company_id, progress)
        except (UserError, ValueError) as err:
            # a refused file: its reason on the log, no traceback (logged at INFO)
            failure = str(err.args[0] if err.args else err)
            _logger.info('dispensing import %s refused: %s', self.name, failure)
            log._pharmacy_state_transition('_run_failed', {
                'failure': failure,
                'failure_code': err.code if isinstance(err, FileRefused) else False,
                'date_end': fields.Datetime.now(), 'duration': time.monotonic() - start})
            log._notify()
            return False
        except Exception as err:   # not a refused file: a defect, with its traceback
            if isinstance(err, psycopg2.OperationalError) and \
                    err.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY:
                raise   # retried whole: _run_retrying, or Odoo's retry of an RPC call
            _logger.exception('dispensing import %s failed', self.name)
            self.env.clear()
            log._pharmacy_state_transition('_run_failed', {
                'failure': str(err).strip()[:2000],
                'date_end': fields.Datetime.now(), 'duration': time.monotonic() - start})
            log._notify()
            return False
        log._store_errors(errors)
        vals = {'row_count': counts['rows'], 'bad_count': counts['bad'],
                'duplicate_count': counts['duplicate'], 'file_gzip': False,
                'date_end': fields.Datetime.now(), 'duration': time.monotonic() - start}
        vals.update({key: value for key, value in counts.items() if key in self._fields})
        log._pharmacy_state_transition('_run_done', vals)
        log._notify()
        return counts

    def _store_errors(self, errors):
        """The refused rows (``pharmacy.import``'s ``Refusal``s: line, code, column,
        params), one INSERT per 5,000."""
        if not errors:
            return
        cr = self.env.cr
        rows = [(self.id, error.line, error.code, error.column,
                 json.dumps(error.params, sort_keys=True)) for error in errors]
        for start in range(0, len(rows), 5000):
            chunk = rows[start:start + 5000]
            cr.execute(
                'INSERT INTO pharmacy_import_error (import_id, line, reason_code, file_column, '
                'params, create_uid, create_date, write_uid, write_date) SELECT v.*, %s, '
                "(now() at time zone 'UTC'), %s, (now() at time zone 'UTC') FROM (VALUES "
                + ', '.join(['(%s, %s, %s, %s, %s)'] * len(chunk)) + ') v',
                [self.env.uid, self.env.uid] + [value for row in chunk for value in row])
        self.invalidate_cache(['error_ids'])

    def _summary(self):
        """The log's message, in the language of the environment: the counts, and how many
        rows were refused per kind of refusal and column."""
        self.ensure_one()
        if self.state == 'failed':
            return _('Import of %(name)s failed: %(failure)s') % {
                'name': self.name, 'failure': self.failure}
        lines = [_('Import of %(name)s done in %(seconds).1f s: %(rows)d rows, %(bad)d bad, '
                   '%(duplicate)d duplicate.') % {
                       'name': self.name, 'seconds': self.duration, 'rows': self.row_count,
                       'bad': self.bad_count, 'duplicate': self.duplicate_count}]
        labels = {'patient': _('Patients'), 'prescriber': _('Prescribers'),
                  'medication': _('Medications'), 'prescription': _('Prescriptions'),
                  'fill': _('Fills')}
        for kind in KINDS:
            lines.append(_('%(label)s: %(new)d new, %(updated)d updated, %(unchanged)d '
                           'unchanged.') % {
                'label': labels[kind], 'new': self['%s_new' % kind],
                'updated': self['%s_updated' % kind],
                'unchanged': self['%s_unchanged' % kind]})
        kinds = dict(self.env['pharmacy.import.error']._fields[
            'reason_code']._description_selection(self.env))
        groups = self.env['pharmacy.import.error'].read_group(
            [('import_id', '=', self.id)], ['reason_code', 'file_column'],
            ['reason_code', 'file_column'], orderby='reason_code, file_column', lazy=False)
        for group in groups:
            lines.append(_('%(count)d row(s) refused: %(kind)s (%(column)s).') % {
                'kind': kinds.get(group['reason_code'], group['reason_code']),
                'column': group['file_column'], 'count': group['__count']})
        return '<br/>'.join(html_escape(line) for line in lines)

    def _notify(self):
        """One message on the log, sent to the manager who queued the import, in their
        language."""
        self.ensure_one()
        lang = self.user_id.lang or self.env.lang
        if self.env.lang != lang:
            return self.with_context(lang=lang)._notify()
        message = self.sudo().message_post(
            body=self._summary(), subject=_('Dispensing import: %s') % self.name,
            partner_ids=[self.user_id.partner_id.id], subtype='mail.mt_comment',
            message_type='notification')
        # in the manager's Discuss inbox too when they chose to be notified by email (Odoo
        # marks an emailed notification read: it would be in no inbox)
        self.env['mail.notification'].sudo().search([
            ('mail_message_id', '=', message.id),
            ('res_partner_id', '=', self.user_id.partner_id.id)]).write({'is_read': False})
        return message
