# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The dispensing-system import, set-based: COPY into a staging table, checks in SQL (and in
Python over the distinct NDC, NPI and DEA values only), one INSERT ... SELECT and one
UPDATE ... FROM per model, then the stored computed fields recomputed in bulk with the ORM's
formulas. Layout of the file and rules: docs/dispensing_import.md.

A refused row gets a refusal, not a sentence: a jsonb ``{"code", "column", <values>}`` that
``pharmacy.import.error`` stores and words in the reader's language (``_refusal``)."""
import collections
import csv
import io
import json
import logging
import re
import time

import psycopg2

from odoo import _, api, models
from odoo.exceptions import UserError

from odoo.addons.pharmacy_crm.tools import is_valid_dea, is_valid_npi, normalize_ndc
from odoo.addons.pharmacy_crm.tools.dates import (fill_status_sql,
                                                  prescription_expiry_date_sql,
                                                  refill_eligible_date_sql,
                                                  supply_run_out_sql)
from odoo.addons.pharmacy_crm.tools.ndc import InvalidNdc
from odoo.addons.pharmacy_crm.models.res_partner import _NKDA_TEXTS
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today

from ..tools import dispensing_csv, dispensing_file
from .pharmacy_import_error import REASON_CODES

_logger = logging.getLogger(__name__)

KINDS = ('patient', 'prescriber', 'medication', 'prescription', 'fill')
DRUG_TYPES = ('brand', 'generic')
SCHEDULES = ('none', '2', '3', '4', '5')
FILL_STATES = ('filled', 'ready', 'picked_up', 'returned')
# a refused line of the file: its number (the header is line 1), the refusal's code and column
# (pharmacy.import.error) and the values its sentence quotes
Refusal = collections.namedtuple('Refusal', 'line code column params')
# the advisory lock of a company's imports: pg_try_advisory_xact_lock(IMPORT_LOCK, company id)
IMPORT_LOCK = 0x50484D49    # 'PHMI'


class FileRefused(UserError):
    """A file refused as a whole: ``code`` (one of ``FILE_REFUSALS``) and the values its
    sentence quotes (``params``); the message is the sentence, in the language of the
    environment that raised it."""

    def __init__(self, message, code, params):
        super().__init__(message)
        self.code, self.params = code, params


# why a whole file is refused (pharmacy.import.log.failure_code): the sentences are
# pharmacy.import._file_sentences
FILE_REFUSALS = [
    ('empty', 'Empty file'),
    ('no_rows', 'Header only'),
    ('header', 'Not the layout'),
    ('xlsx', 'Excel workbook'),
    ('xls', 'Excel 97-2003 workbook'),
    ('zip', 'Zip archive'),
    ('gzip', 'Gzip file'),
    ('utf16', 'UTF-16 text'),
    ('binary', 'Binary data'),
    ('latin1', 'Latin-1 text'),
    ('not_utf8', 'Not UTF-8'),
    ('truncated', 'File cut short'),
    ('field_count', 'Wrong number of values'),
    ('quote', 'Quote not closed'),
    ('unreadable', 'Unreadable line'),
    ('checksum', 'Not the file uploaded'),
]


class ImportBusy(UserError):
    """Another import of the same pharmacy holds its lock: this one is not run now."""


# the medication's therapeutic class as written in the file (a class code) -> the class
# stored on the medication: the ONE place that maps it
CLASS_SQL = "(SELECT c.id FROM pharmacy_therapeutic_class c WHERE c.code = r.therapeutic_class)"
# what an ORM ``create`` under ``tracking_disable`` writes besides the data: see _defaults
NOW = "(now() at time zone 'UTC')"
# a prescription of the file -> the ids of its patient, drug and prescriber: taken when
# imp_prescription is built (those that exist), then those created, in one statement (one
# new version of each row of imp_prescription, not three)
LINK_PRESCRIPTIONS_SQL = """
            UPDATE imp_prescription i
               SET (patient_id, medication_id, prescriber_id) = (COALESCE(i.patient_id, p.id),
                    COALESCE(i.medication_id, m.id), COALESCE(i.prescriber_id, d.id))
              FROM imp_prescription x
              LEFT JOIN imp_patient p ON p.patient_key = x.patient_key
              LEFT JOIN imp_medication m ON m.ndc = x.ndc
              LEFT JOIN imp_prescriber d ON d.npi = x.npi
             WHERE x.rx_number = i.rx_number
               AND (i.patient_id IS NULL OR i.medication_id IS NULL OR i.prescriber_id IS NULL);
"""


# the values an unchanged line's verdict and effect depend on besides the line itself: the
# fill's values (a fill changed at the counter is written back by a full check) and those of
# its prescription, patient, prescriber and medication that the import writes or a check
# reads (a held prescription, an archived patient, a changed catalog schedule or class, a
# patient edited in Odoo); never a value the import's recompute writes. Aliases: the fill's
# values (``fill``: fill_number, fill_date, quantity, days_supply, state, pickup_date,
# prescription_id), rx, p (patient), d (prescriber), m (medication), c (its class).
# (64-bit hashes of the values, as PostgreSQL hashes them for a hash join: no text output;
# a change is missed only if the two hashes collide)
RX_CONTEXT_SQL = (
    "hash_record_extended(ROW(rx.rx_number, rx.patient_id, rx.medication_id, rx.prescriber_id, "
    "rx.date_written, rx.refills_authorized, rx.quantity, rx.days_supply, rx.state, "
    "rx.active, p.name, p.dispensing_id, p.birthdate_date, p.phone, p.allergies, p.nkda, "
    "p.active, p.patient_state, p.company_id, d.name, d.npi, d.dea_number, m.ndc, m.name, "
    "m.generic_name, m.strength, m.dosage_form, m.drug_type, m.schedule, m.company_id, "
    "c.code), 0)")


def _context_hash_sql(fill, prescription, rx_context):
    """SQL: the fingerprint (text) of the context of a fill (see above): ``fill`` the alias
    of its values, ``prescription`` its prescription's id, ``rx_context`` the
    ``RX_CONTEXT_SQL`` of its prescription (computed once per prescription)."""
    return ("hash_record_extended(ROW({f}.fill_number, {f}.fill_date, {f}.quantity, "
            "{f}.days_supply, {f}.state, {f}.pickup_date, {rx}, {context}), 0)::text").format(
                f=fill, rx=prescription, context=rx_context)


# the joins of _context_hash_sql from the prescription ``rx``
CONTEXT_JOINS = ('JOIN res_partner p ON p.id = rx.patient_id '
                 'LEFT JOIN res_partner d ON d.id = rx.prescriber_id '
                 'JOIN pharmacy_medication m ON m.id = rx.medication_id '
                 'LEFT JOIN pharmacy_therapeutic_class c ON c.id = m.therapeutic_class_id')


# the fill summary of a prescription, stored on it (pharmacy.patient.medication's computes)
RX_SUMMARY = ('fill_count', 'refills_remaining', 'last_fill_date', 'last_fill_days_supply',
              'next_due_date', 'refill_eligible_date', 'fill_status')


def _rx_summary_sql(counted, prescriptions):
    """SQL: ``WITH ... target AS (...)``, the ``RX_SUMMARY`` of each prescription (``target``:
    id, the RX_SUMMARY columns, state, date_expiry, company_id), with the ORM's formulas
    (see ``_imp_recompute``), parameter ``%(threshold)s`` the refill threshold (text).
    ``prescriptions``: a query of the prescriptions (id, state, refills_authorized,
    date_expiry, company_id); ``counted``: a query of their counted fills (prescription_id,
    fill_date, days_supply, tie: the fill's id, or a value in the same order as the ids of
    the fills of one prescription). One pass over the counted fills, sorted once: their
    number, the last one (latest date, lowest id: the ORM's stable sort of fills ordered by
    date desc, id desc) and the run-out of the chain."""
    return """WITH counted AS (
              SELECT l.prescription_id, l.fill_date, l.days_supply, row_number() OVER (
                       PARTITION BY l.prescription_id ORDER BY l.fill_date DESC, l.tie ASC)
                       AS rank, {run_out} AS run_out
                FROM ({counted}) l
            ), chain AS (
              SELECT prescription_id, fill_date, days_supply, rank,
                     count(*) OVER rx AS fills, max(run_out) OVER rx AS run_out
                FROM counted WINDOW rx AS (PARTITION BY prescription_id)
            ), summary AS (
              SELECT x.*, COALESCE(c.fills, 0) AS fills, c.fill_date, c.days_supply AS supply,
                     c.run_out
                FROM ({prescriptions}) x
                LEFT JOIN chain c ON c.prescription_id = x.id AND c.rank = 1
            ), computed AS (
              SELECT s.id, s.fills AS fill_count,
                     greatest(s.refills_authorized - greatest(s.fills - 1, 0), 0)
                       AS refills_remaining,
                     s.fill_date AS last_fill_date, s.supply AS last_fill_days_supply,
                     CASE WHEN s.state = 'active' THEN s.run_out END AS next_due_date,
                     CASE WHEN s.state = 'active' THEN {eligible} END
                       AS refill_eligible_date,
                     s.state, s.date_expiry, s.company_id
                FROM summary s
            ), today AS (
              -- each pharmacy's date, once per pharmacy (not once per prescription)
              SELECT c.id, pharmacy_today(c.id) AS today FROM res_company c
              UNION ALL SELECT NULL, pharmacy_today(NULL)
            ), target AS (
              SELECT v.*, {status} AS fill_status
                FROM computed v JOIN today d ON COALESCE(d.id, 0) = COALESCE(v.company_id, 0))
            """.format(counted=counted, prescriptions=prescriptions,
                       run_out=supply_run_out_sql('l.fill_date', 'l.days_supply',
                                                  'l.prescription_id'),
                       eligible=refill_eligible_date_sql('s.fill_date', 's.supply',
                                                         '%(threshold)s'),
                       status=fill_status_sql('v.state', 'd.today', 'v.date_expiry',
                                              'v.refills_remaining', 'v.fill_count',
                                              'v.refill_eligible_date'))


def _last_good_lines(kind, key, good=None):
    """SQL: the last good line (``_good_lines``, or the query ``good``) of each record of
    ``kind`` (its ``key`` column, the file's key of the record): the greatest line number
    of each key (a hash aggregate) joined back to its line. The export is chronological: a
    record's values are those of its last good line. (A ``DISTINCT ON (key) ... ORDER BY
    key, line DESC`` sorted every good line on a text key: 3-9 s at 811,690 lines.)"""
    good = good or _good_lines(kind)
    return ('(SELECT g.* FROM {good} g JOIN (SELECT max(x.line) AS line FROM {good} x '
            'GROUP BY x.{key}) l ON l.line = g.line)').format(good=good, key=key)


def _good_lines(kind):
    """SQL: the good lines that give a record of ``kind`` (patient, prescriber, medication)
    its values: the checked lines not refused, and the last skipped (unchanged) line of each
    such record named by a checked line (``_imp_value_lines``)."""
    return ("(SELECT * FROM imp_row WHERE error IS NULL UNION ALL "
            "SELECT r.* FROM imp_clean_row r JOIN imp_value_line v "
            "ON v.line = r.line AND v.kind = '%s')" % kind)


# safe casts: NULL for a malformed value (never an exception: one bad row must not stop the
# file), dates limited to 1900-2100 as the ORM's value checks. Written inline in the statement
# (a SQL function that PostgreSQL does not inline costs a function call per value: 4x slower)
def _sql_date(x):
    """SQL: the date of the text ``x`` (YYYY-MM-DD, a real day of 1900-2100), else NULL."""
    return ("CASE WHEN {x} ~ '^(19\\d\\d|20\\d\\d|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' "
            "THEN CASE WHEN substr({x}, 9, 2) <= '28' THEN {x}::date "
            "WHEN substr({x}, 9, 2)::int <= extract(day FROM (substr({x}, 1, 8) || '01')::date "
            "+ interval '1 month' - interval '1 day') THEN {x}::date END END").format(x=x)


def _sql_int(x):
    """SQL: the whole number of the text ``x``, else NULL."""
    return "CASE WHEN {x} ~ '^-?\\d{{1,9}}$' THEN {x}::int END".format(x=x)


def _sql_num(x):
    """SQL: the number of the text ``x``, else NULL."""
    return "CASE WHEN {x} ~ '^-?\\d{{1,12}}(\\.\\d{{1,6}})?$' THEN {x}::numeric END".format(x=x)


def _refusal(code, column, **params):
    """SQL: the refusal ``code`` (one of ``pharmacy.import.error``'s REASONS) of the file's
    ``column``, with ``params`` = {name: SQL expression of a value its sentence quotes}: a
    jsonb object ``{"code": ..., "column": ..., name: value, ...}``. Built only for the rows
    refused (inside a CASE), stored on the log as it is, worded when read."""
    if code not in REASON_CODES:
        raise ValueError('unknown refusal %s' % code)
    items = ["'code'", "'%s'" % code, "'column'", "'%s'" % column]
    for name in sorted(params):
        items += ["'%s'" % name, params[name]]
    return 'jsonb_build_object(%s)' % ', '.join(items)


def _case(rules):
    """SQL: the refusal of the first of ``rules`` = [(condition, refusal)] whose condition
    holds (NULL when none does)."""
    return 'CASE %s END' % ' '.join('WHEN %s THEN %s' % rule for rule in rules)


def _only_errors(statement):
    """``UPDATE imp_row ... SET error = CASE ... END ... WHERE ...`` also filtered on that
    CASE being not NULL: the rows that pass are not rewritten (each rewrite of a staging row
    costs a new row version; most rows pass every check)."""
    match = re.match(r'\s*UPDATE imp_row (r )?SET error = CASE\b', statement)
    if not match:
        return statement
    start = statement.index('CASE', match.start())
    depth = 0
    for token in re.finditer(r'\b(CASE|END)\b', statement[start:]):
        depth += 1 if token.group(1) == 'CASE' else -1
        if not depth:
            case = statement[start:start + token.end()]
            break
    else:
        return statement
    return '%s AND (%s) IS NOT NULL' % (statement.rstrip().rstrip(';'), case)


class PharmacyImport(models.AbstractModel):
    """The importer. Only private methods: it is reached through ``pharmacy.import.log``
    (managers) or ``scripts/import_dispensing.py`` (a sysadmin on the server)."""

    _name = 'pharmacy.import'
    _description = 'Dispensing Import'

    @api.model
    def _import_file(self, handle, company, progress=None):
        """Import the CSV read from the binary file ``handle`` for ``company``, in the
        current transaction, as the current user. Returns ``(counts, errors)``: counts
        ``{'rows', 'bad', 'duplicate', '<kind>_new', '<kind>_updated', '<kind>_unchanged'}``
        and errors ``[Refusal(line, code, column, params)]`` sorted by line."""
        cr = self.env.cr
        raw = handle.read()
        try:
            text = dispensing_file.decode(raw)
        except dispensing_file.FileProblem as problem:
            raise self._imp_refused(problem.code, **problem.params)
        first, _sep, text = text.partition('\n')
        header = next(csv.reader([first]), [])
        header = [name.strip() for name in header]
        names = dispensing_csv.NAMES + tuple(self._imp_extra_columns())
        unknown = [name for name in header if name not in names]
        missing = [name for name in dispensing_csv.REQUIRED if name not in header]
        if unknown or missing or len(set(header)) != len(header):
            raise self._imp_refused('header', unknown=', '.join(unknown) or '-',
                                    missing=', '.join(missing) or '-',
                                    required=', '.join(dispensing_csv.REQUIRED),
                                    optional=', '.join(dispensing_csv.OPTIONAL + tuple(
                                        self._imp_extra_columns())))
        try:
            # the whole check of every line in Python only when COPY alone would not find
            # what it finds (dispensing_file.simple_quotes); else after COPY, if needed
            body = text
            text, simple = dispensing_file.prepare(text)
            lines = None if simple else dispensing_file.check_rows(text, len(header))[1]
        except dispensing_file.FileProblem as problem:
            raise self._imp_refused(problem.code, **problem.params)
        # what COPY reads: the file's own bytes after the header line when they are the
        # rows as checked (no blank line at the end), not the text encoded again
        source = (io.BytesIO(raw[raw.index(b'\n') + 1:]) if text is body
                  else io.StringIO(text, newline=''))
        del raw, body
        self._imp_lock_company(company)
        self._imp_drop()
        # room to hash and sort the file's rows in memory (this transaction only)
        cr.execute("SET LOCAL work_mem = '256MB'")
        # names of the layout and the addons' extra columns (the header was checked against
        # them); hash: the line's fingerprint, computed by COPY (whatever the order of the
        # columns), over every column, the extra ones included: PostgreSQL's 64-bit hash of
        # the row of values (as the context's; an MD5 of the columns joined cost COPY twice
        # as much: 2.5 s more at 811,690 lines)
        query = ('CREATE TEMP TABLE imp_stage (line bigserial, %s, hash text GENERATED ALWAYS '
                 'AS (hash_record_extended(ROW(%s), 0)::text) STORED) ON COMMIT DROP') % (
                     ', '.join('%s text' % name for name in names), ', '.join(names))
        cr.execute(query)  # pylint: disable=sql-injection
        try:
            with cr.savepoint():
                cr.copy_expert('COPY imp_stage (%s) FROM STDIN WITH (FORMAT csv)' % ', '.join(
                    header), _Reader(source, progress))
                copied = cr.rowcount
        except psycopg2.DataError as err:
            _logger.info('dispensing import: COPY refused the file: %s', err)
            if simple:     # the whole check names the line and the problem
                lines = self._imp_check_rows_file(text, len(header))
            # what the check let through (e.g. a value PostgreSQL's CSV reader refuses)
            match = re.search(r'line (\d+)', err.diag.context or '')
            row = int(match.group(1)) if match else 0
            raise self._imp_refused('unreadable', line=(
                lines[row - 1] if lines and 0 < row <= len(lines) else row + 1),
                detail=(err.diag.message_primary or '').strip())
        if simple and copied != text.count('\n'):
            # a row over several lines, or a line COPY takes for the end of the data (\.)
            lines = self._imp_check_rows_file(text, len(header))
            if copied != (len(lines) if lines else text.count('\n')):
                raise self._imp_refused('unreadable', line=(
                    lines[copied] if lines and copied < len(lines) else copied + 2),
                    detail='%d / %d' % (copied, len(lines) if lines else text.count('\n')))
        del text
        if lines:   # a value quoted over several lines: each row's line is the file's
            cr.execute('CREATE TEMP TABLE imp_lines (row bigint, line bigint) ON COMMIT DROP')
            cr.execute('INSERT INTO imp_lines SELECT * FROM unnest(%s::bigint[], %s::bigint[])',
                       [list(range(1, len(lines) + 1)), lines])
            cr.execute('UPDATE imp_stage s SET line = l.line - 1 FROM imp_lines l '
                       'WHERE l.row = s.line')
        skipped = self._imp_skip_unchanged(company)
        self._imp_stage_rows(company, checked=skipped is not None)
        self._imp_value_lines(company, skipped is not None)
        self._imp_check_identifiers()
        self._imp_check_rows()
        self._imp_match(company)
        self._imp_lock_rows()
        if progress:
            progress(0, None, 'locked')
        self._imp_check_fills()
        counts = self._imp_counts()
        counts['rows'] += skipped or 0
        if progress:
            progress(counts['rows'], counts['rows'], 'checked')
        changed_fills = self._imp_write(company, counts)
        if skipped:
            self._imp_count_skipped(counts)
        self._imp_recompute(analyze={
            'pharmacy_fill': counts['fill_new'],
            'pharmacy_patient_medication': counts['prescription_new'],
            'res_partner': counts['patient_new'] + counts['prescriber_new']})
        cr.execute('SELECT line + 1, error FROM imp_row WHERE error IS NOT NULL ORDER BY line')
        errors = []
        for line, error in cr.fetchall():
            params = json.loads(error) if isinstance(error, str) else dict(error)
            errors.append(Refusal(line, params.pop('code'), params.pop('column'), params))
        self._imp_drop()
        self.invalidate_cache()   # the ORM cache knows nothing of what SQL wrote
        # what reacts to fills (other addons) runs once, set-based, in the same transaction
        self.env['pharmacy.fill'].browse(changed_fills)._pharmacy_fills_changed()
        return counts, errors

    @api.model
    def _imp_check_rows_file(self, text, width):
        """``dispensing_file.check_rows``: the file's line of each row (None when each row
        is one line), or the file refused (``FileRefused``)."""
        try:
            return dispensing_file.check_rows(text, width)[1]
        except dispensing_file.FileProblem as problem:
            raise self._imp_refused(problem.code, **problem.params)

    # --- hooks of other addons (the only two) ------------------------------------------------
    @api.model
    def _imp_extra_columns(self):
        """Hook: optional columns an addon reads besides the layout's (``dispensing_csv``):
        accepted in the header, staged as text in ``imp_stage`` (its ``line`` is
        ``imp_row.line``), never checked nor written by the importer. None here."""
        return ()

    @api.model
    def _imp_patients_created(self, company, patient_ids):
        """Hook, set-based: ``patient_ids`` (a list of res.partner ids) were just created by
        this import for ``company``, in SQL. The staging tables are there: ``imp_patient``
        (patient_key, id), ``imp_row`` (line, patient_key, error: NULL for a good line; the
        lines checked by this import, which include every line of a new patient: a line
        skipped as unchanged names an existing fill) and ``imp_stage`` (line, the raw text of
        every column, the extra ones included).
        Nothing here; returns True."""
        return True

    @api.model
    def _imp_refused(self, code, **params):
        """The ``FileRefused`` of the whole file for ``code`` with ``params``, worded in the
        language of the environment (logged at INFO: a refused file is no server error)."""
        sentence = self._file_sentences()[code]
        _logger.info('dispensing import: file refused (%s) %s', code, params)
        return FileRefused(sentence % collections.defaultdict(str, params), code, params)

    @api.model
    def _file_sentences(self):
        """{code: sentence}: why a whole file is refused and what to do, in the language of
        the environment (the codes of ``FILE_REFUSALS``)."""
        export = _('Export the fills again as CSV UTF-8 and import that file.')
        return {
            'empty': _('The file is empty (0 bytes): the export or the transfer did not '
                       'finish.') + ' ' + export,
            'no_rows': _('The file has its header line and no row: there is nothing to '
                         'import. Check the dates of the export in the dispensing system.')
            + ' ' + export,
            'header': _('The file\'s first line must name its columns, each once: required '
                        '%(required)s; optional %(optional)s (as listed in Import Dispensing '
                        'Data). Unknown: %(unknown)s. Missing: %(missing)s.'),
            'xlsx': _('This is an Excel workbook (.xlsx), not a CSV file: in Excel, use Save '
                      'As > "CSV UTF-8 (Comma delimited)", or export the fills from the '
                      'dispensing system as CSV UTF-8, and import that file.'),
            'xls': _('This is an Excel 97-2003 workbook (.xls), not a CSV file: in Excel, use '
                     'Save As > "CSV UTF-8 (Comma delimited)" and import that file.'),
            'zip': _('This is a zip archive, not a CSV file: extract the CSV export from it '
                     'and import that file.'),
            'gzip': _('This is a gzip-compressed file, not a CSV file: decompress it and '
                      'import the CSV file it holds.'),
            'utf16': _('The file is UTF-16 text (Excel\'s "Unicode Text"), not UTF-8: export '
                       'it as CSV UTF-8 (in Excel: Save As > "CSV UTF-8 (Comma delimited)") '
                       'and import that file.'),
            'binary': _('Line %(line)s holds binary data (a NUL byte): this is not a CSV text '
                        'file.') + ' ' + export,
            'latin1': _('Line %(line)s is not UTF-8: its character "%(char)s" (byte '
                        '0x%(byte)s) is Latin-1/Windows-1252 text, as Excel\'s plain "CSV" '
                        'writes it. Export the file as CSV UTF-8 and import it again.'),
            'not_utf8': _('Line %(line)s is not UTF-8 text (byte 0x%(byte)s): the file is not '
                          'a CSV UTF-8 export, or it is damaged. Export the file as CSV UTF-8 '
                          'and import it again.'),
            'truncated': _('The file is cut at line %(line)s: its last line is not complete '
                           '(no line break at its end, or fewer values than the header '
                           'names). The transfer stopped early: nothing was imported. Copy '
                           'or export the whole file again.'),
            'field_count': _('Line %(line)s has %(count)s values where the header names '
                             '%(expected)s columns: nothing was imported. A comma inside a '
                             'value must be within quotes; check that line or export the '
                             'file again as CSV UTF-8.'),
            'quote': _('Line %(line)s has a quoted value that is not closed, or is followed '
                       'by other characters: nothing was imported. Check that line or export '
                       'the file again as CSV UTF-8.'),
            'unreadable': _('Line %(line)s cannot be read (%(detail)s): nothing was '
                            'imported.') + ' ' + export,
            'checksum': _('The file queued is not the file that was uploaded (its SHA-256 '
                          'differs): nothing was imported. Upload the file again.'),
        }

    @api.model
    def _imp_lock_company(self, company):
        """One import of a pharmacy at a time: the transaction's advisory lock of the
        company, or ``ImportBusy``. Then a write of the company's row: an import whose
        snapshot is older than the end of the one before (it started its transaction while
        the other ran) gets a serialisation failure here, at once, and is retried, instead
        of writing over what it cannot see (a duplicate Rx number, a half-counted fill)."""
        cr = self.env.cr
        cr.execute('SELECT pg_try_advisory_xact_lock(%s, %s)', (IMPORT_LOCK, company.id))
        if not cr.fetchone()[0]:
            _logger.info('dispensing import: another import of company %s is running',
                         company.id)
            raise ImportBusy(_('Another dispensing import of %s is running: the imports of '
                               'a pharmacy run one at a time. This one stays queued and runs '
                               'once the other has ended.') % company.name)
        cr.execute('UPDATE res_company SET write_date = write_date WHERE id = %s',
                   [company.id])

    @api.model
    def _imp_lock_rows(self):
        """The rows the import may write and the counter writes too, locked before any is
        written, in one order (prescriptions, their patients, the fills whose values the file
        changes, each by id), as the counter writes them (a fill, its prescription, its
        patient): a counter fill of one of them waits for the import to end (then Odoo
        retries it on what the import wrote) instead of failing the import half-way. A row
        the counter changed since this transaction started raises a serialisation failure
        here, before anything is written: the import is retried
        (``pharmacy.import.log._run_retrying``, Odoo's RPC retry)."""
        self._imp_sql("""
            SELECT 1 FROM pharmacy_patient_medication
             WHERE id IN (SELECT id FROM imp_prescription WHERE id IS NOT NULL)
             ORDER BY id FOR NO KEY UPDATE;
            SELECT 1 FROM res_partner
             WHERE id IN (SELECT id FROM imp_patient WHERE id IS NOT NULL
                          UNION SELECT current_patient_id FROM imp_prescription
                           WHERE current_patient_id IS NOT NULL)
             ORDER BY id FOR NO KEY UPDATE;
            SELECT 1 FROM pharmacy_fill
             WHERE id IN (SELECT r.fill_id FROM imp_row r JOIN pharmacy_fill g ON g.id = r.fill_id
                           WHERE (g.fill_date, g.quantity, g.days_supply, g.state,
                                  g.pickup_date) IS DISTINCT FROM (r.fill_date, r.quantity,
                                  r.days_supply, r.state, r.pickup_date))
             ORDER BY id FOR NO KEY UPDATE;
        """)

    @api.model
    def _imp_sql(self, sql, params=None):
        """Run the statements of ``sql`` one by one, logging each one's time."""
        for statement in re.split(r';\s*\n', sql):
            if not statement.strip():
                continue
            start = time.monotonic()
            self.env.cr.execute(_only_errors(statement), params)
            seconds = time.monotonic() - start
            _logger.log(logging.INFO if seconds > 1 else logging.DEBUG,
                        'dispensing import: %.2f s %s', seconds,
                        ' '.join(statement.split())[:100])

    @api.model
    def _imp_drop(self):
        """Drop the staging tables: a second import in the same transaction starts clean."""
        self.env.cr.execute('DROP TABLE IF EXISTS %s' % ', '.join(  # pylint: disable=sql-injection
            'pg_temp.imp_%s' % name for name in (
                'stage', 'row', 'ndc', 'npi', 'dea', 'patient', 'name_match', 'prescriber',
                'medication', 'prescription', 'fill', 'rx_ids', 'lines', 'clean', 'check',
                'dirty_rx', 'value_line', 'clean_row', 'refused', 'medication_changed',
                'typed', 'rx_summary', 'rx_new', 'rx_counted')))

    # --- unchanged lines --------------------------------------------------------------------
    @api.model
    def _imp_skip_unchanged(self, company):
        """The lines of the file that need no check: ``imp_clean`` (line, its fill and that
        fill's records), and ``imp_check`` (line): the lines to check in full. Returns the
        number of lines skipped, or None when the company has no fingerprint yet (every line
        is checked: no table is built).

        A line is skipped when (1) its fingerprint (``imp_stage.hash``: PostgreSQL's 64-bit
        hash of every column's text) is the ``import_line_hash`` of a fill of the company:
        the line was checked and accepted before
        and that fill holds what it said, and no other line of the file is matched to that
        fill (a line repeated or replaced is a duplicate to count: checked); (2) the fill's
        ``import_context_hash`` is the hash of the values now in the database of that fill, its
        prescription, patient, prescriber, medication and therapeutic class
        (``_context_hash_sql``): nothing the verdict or the effect of the line depends on has
        changed since (a fill or patient edited at the counter, a prescription held or
        archived, a catalog schedule or class changed, a patient archived: checked again);
        (3) no line of its prescription is checked: the rules between the lines of a
        prescription (duplicates, the refills count, one patient per Rx number, the
        prescription's values from its last good line) see all of them.

        Why the skip is safe: a line that is skipped would pass every check again with the
        same result and write nothing. Its own checks read only its text (unchanged), the
        pharmacy's date (a date not in the future stays so), its prescription's other lines
        (checked together, by (3)) and the records of (2) (unchanged). What it writes is the
        fill it already wrote (by (1) and (2)); a prescription takes its values from its own
        lines (all skipped). A patient, prescriber or medication named by both skipped and
        checked lines takes its values from the last good line among all of them
        (``_imp_value_lines``). Lines refused before, new lines and changed lines have no
        fingerprint that matches: they are checked in full, and so are the other lines of
        their prescriptions. A line changed in any column has another fingerprint (the hash
        covers every column, in the layout's order, whatever the file's order), unless the
        two 64-bit hashes collide (about 1 in 10^19 per changed line, as for the context).
        Fingerprints stored before the line hash was 64-bit (MD5, 11.0.1.2.0) never match:
        the first import after the change checks every line and stores the new ones."""
        cr = self.env.cr
        cr.execute('SELECT 1 FROM pharmacy_fill WHERE company_id = %s '
                   'AND import_line_hash IS NOT NULL LIMIT 1', [company.id])
        if not cr.fetchone():
            return None
        # one pass over the file's lines: each with the fill whose fingerprints it matches
        # (or none); then the lines without one, or whose fill another line matches too, move
        # to imp_check, and so do the lines of their prescriptions. (rx_number: the line's;
        # a matched line's is its prescription's, which the context hash covers.)
        self._imp_sql("""
            CREATE TEMP TABLE imp_clean ON COMMIT DROP AS
              WITH x AS MATERIALIZED (
                SELECT rx.id, rx.patient_id, p.dispensing_id, rx.prescriber_id,
                       d.npi, rx.medication_id, m.ndc, {rx_context} AS context
                  FROM pharmacy_patient_medication rx {joins}
                 WHERE rx.company_id = %(company)s
              ), matched AS (
                SELECT f.id AS fill_id, f.import_line_hash, x.*
                  FROM pharmacy_fill f JOIN x ON x.id = f.prescription_id
                 WHERE f.company_id = %(company)s AND f.import_context_hash = {context})
              SELECT s.line, f.fill_id, f.id AS prescription_id,
                     NULLIF(btrim(s.rx_number), '') AS rx_number,
                     f.patient_id, f.dispensing_id AS patient_key, f.prescriber_id, f.npi,
                     f.medication_id, f.ndc
                FROM imp_stage s LEFT JOIN matched f ON f.import_line_hash = s.hash;
            CREATE TEMP TABLE imp_check (line bigint, rx_number text) ON COMMIT DROP;
            WITH moved AS (
              DELETE FROM imp_clean c
               WHERE c.fill_id IS NULL OR c.fill_id IN (
                     SELECT fill_id FROM imp_clean WHERE fill_id IS NOT NULL
                      GROUP BY fill_id HAVING count(*) > 1)
              RETURNING c.line, c.rx_number)
            INSERT INTO imp_check SELECT line, rx_number FROM moved;
            CREATE TEMP TABLE imp_dirty_rx ON COMMIT DROP AS
              SELECT DISTINCT rx_number FROM imp_check WHERE rx_number IS NOT NULL;
            WITH moved AS (
              DELETE FROM imp_clean c USING imp_dirty_rx x WHERE x.rx_number = c.rx_number
              RETURNING c.line, c.rx_number)
            INSERT INTO imp_check SELECT line, rx_number FROM moved;
            CREATE INDEX ON imp_check (line);
            ANALYZE imp_check;
        """.format(joins=CONTEXT_JOINS, rx_context=RX_CONTEXT_SQL,
                   context=_context_hash_sql('f', 'f.prescription_id', 'x.context')),
            {'company': company.id})
        cr.execute('SELECT count(*) FROM imp_clean')
        return cr.fetchone()[0]

    @api.model
    def _imp_value_lines(self, company, skipping):
        """``imp_value_line`` (kind, line): for each patient, prescriber and medication named by
        a checked line, the last skipped line naming it, and ``imp_clean_row`` their typed
        values (``_good_lines``): the record's values are those of the last good line of the
        whole file, skipped lines included (they are good: ``_imp_skip_unchanged``). Empty
        when nothing is skipped."""
        if not skipping:
            self.env.cr.execute(
                'CREATE TEMP TABLE imp_value_line (kind varchar, line bigint) ON COMMIT DROP; '
                'CREATE TEMP TABLE imp_clean_row ON COMMIT DROP AS '
                'SELECT * FROM imp_row WITH NO DATA')
            return
        self._imp_sql("""
            CREATE TEMP TABLE imp_value_line ON COMMIT DROP AS
              SELECT 'patient'::varchar AS kind, max(c.line) AS line FROM imp_clean c
               WHERE c.patient_key IN (SELECT patient_key FROM imp_row) GROUP BY c.patient_key
              UNION ALL
              SELECT 'prescriber', max(c.line) FROM imp_clean c
               WHERE c.npi IN (SELECT npi FROM imp_row) GROUP BY c.npi
              UNION ALL
              SELECT 'medication', max(c.line) FROM imp_clean c
               WHERE c.ndc IN (SELECT ndc FROM imp_row) GROUP BY c.ndc;
            ANALYZE imp_value_line;
        """)
        self._imp_stage_rows(company, target='imp_clean_row',
                             lines='SELECT line FROM imp_value_line')

    @api.model
    def _imp_count_skipped(self, counts):
        """The records of the skipped lines that no checked line names: unchanged, counted
        as a full check counts them."""
        cr = self.env.cr
        # the skipped prescriptions once (a prescription has one patient, prescriber and
        # medication), then the records of each kind among them
        kinds = (('patient', 'patient_id', 'imp_patient'),
                 ('prescriber', 'prescriber_id', 'imp_prescriber'),
                 ('medication', 'medication_id', 'imp_medication'),
                 ('prescription', 'prescription_id', 'imp_prescription'))
        cr.execute(  # pylint: disable=sql-injection
            'WITH rx AS MATERIALIZED (SELECT prescription_id, min(patient_id) AS patient_id, '
            'min(prescriber_id) AS prescriber_id, min(medication_id) AS medication_id '
            'FROM imp_clean GROUP BY prescription_id) SELECT %s' % ', '.join(
                '(SELECT count(*) FROM (SELECT DISTINCT {column} AS id FROM rx) c '
                'WHERE c.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {table} i '
                'WHERE i.id = c.id))'.format(column=column, table=table)
                for _kind, column, table in kinds))
        for (kind, _column, _table), count in zip(kinds, cr.fetchone()):
            counts['%s_unchanged' % kind] += count

    # --- staging ----------------------------------------------------------------------------
    @api.model
    def _imp_stage_rows(self, company, checked=False, target='imp_row', lines=None):
        """``target`` (imp_row): the typed values of each line (NULL where malformed) and its
        error; only the lines of ``imp_check`` when ``checked``, only ``lines`` (SQL: a query
        of line numbers) when given."""
        cr = self.env.cr
        if checked:
            lines = 'SELECT line FROM imp_check'
        where = ' WHERE line IN (%s)' % lines if lines else ''
        # the NDCs normalised by tools/ndc.py once per distinct value, joined in the typed copy
        cr.execute(  # pylint: disable=sql-injection
            "SELECT DISTINCT NULLIF(btrim(ndc), '') FROM imp_stage WHERE btrim(ndc) <> ''"
            + (' AND line IN (%s)' % lines if lines else ''))
        ndcs = []
        for (text,) in cr.fetchall():
            try:
                ndcs.append((text, normalize_ndc(text)))
            except InvalidNdc:
                ndcs.append((text, None))
        cr.execute('CREATE TEMP TABLE IF NOT EXISTS imp_ndc (text varchar PRIMARY KEY, '
                   'ndc varchar) ON COMMIT DROP')
        if ndcs:
            cr.execute('INSERT INTO imp_ndc VALUES %s ON CONFLICT DO NOTHING' % ', '.join(
                ['%s'] * len(ndcs)), ndcs)
        cr.execute('ANALYZE imp_ndc')
        # the dates and numbers typed once per distinct text (a few thousand values: dates
        # of fills, birthdates, small numbers), by the same safe casts, joined in the typed
        # copy: a regular expression per value of each line cost ~2 us a value, 10 values a
        # line (about 15 s of the 811,690 lines at 20,000 patients)
        typed = {'date': ('birthdate', 'date_written', 'fill_date', 'pickup_date'),
                 'int': ('refills_authorized', 'rx_days_supply', 'fill_number', 'days_supply'),
                 'num': ('quantity', 'rx_quantity')}
        cr.execute('CREATE TEMP TABLE IF NOT EXISTS imp_typed (text text PRIMARY KEY, '
                   'd date, i int, n numeric) ON COMMIT DROP')
        # (the distinct texts of the 10 columns in one scan: one hash table per column)
        names = [name for kind_names in typed.values() for name in kind_names]
        cr.execute(  # pylint: disable=sql-injection
            """INSERT INTO imp_typed
               SELECT v, {date}, {int}, {num} FROM (
                 SELECT DISTINCT NULLIF(btrim(COALESCE({names})), '') AS v
                   FROM (SELECT {names} FROM imp_stage{where}
                          GROUP BY GROUPING SETS ({sets})) g
                 UNION SELECT '0') x
               WHERE v IS NOT NULL
               ON CONFLICT DO NOTHING""".format(
                date=_sql_date('v'), int=_sql_int('v'), num=_sql_num('v'), where=where,
                names=', '.join(names), sets=', '.join('(%s)' % name for name in names)))
        cr.execute('ANALYZE imp_typed')
        # s: the trimmed values (NULL when empty), computed once (OFFSET 0: not flattened)
        trim = {name: 's.%s' % name for name in dispensing_csv.NAMES}
        trim['trimmed'] = ', '.join("NULLIF(btrim(%s), '') AS %s, %s AS raw_%s" % (
            name, name, name, name) for name in dispensing_csv.NAMES)
        column = {'date': 'd', 'int': 'i', 'num': 'n'}
        trim.update({'%s_%s' % (kind, name): 't_%s.%s' % (name, column[kind])
                     for kind, names in typed.items() for name in names})
        trim['typed'] = ' '.join(
            'LEFT JOIN imp_typed t_{name} ON t_{name}.text = {value}'.format(
                name=name, value="COALESCE(s.rx_quantity, '0')" if name == 'rx_quantity'
                else 's.%s' % name)
            for names in typed.values() for name in names)
        trim['target'], trim['where'] = target, where
        cr.execute("""
            CREATE TEMP TABLE {target} ON COMMIT DROP AS SELECT
                s.line, s.hash AS line_hash, {patient_id} AS patient_key, {last_name} AS last_name,
                {first_name} AS first_name, s.raw_birthdate AS birthdate_text,
                {date_birthdate} AS birthdate, {phone} AS phone,
                {allergies} AS allergies,
                upper(rtrim({allergies}, '.')) = ANY(%(nkda)s) AS nkda,
                {prescriber_npi} AS npi, {prescriber_name} AS prescriber_name,
                upper(replace({prescriber_dea}, ' ', '')) AS dea,
                {ndc} AS ndc_text, n.ndc AS ndc, {drug_name} AS drug_name,
                {generic_name} AS generic_name, {strength} AS strength,
                COALESCE({dosage_form}, 'tablet') AS dosage_form,
                COALESCE({drug_type}, 'generic') AS drug_type,
                COALESCE({schedule}, 'none') AS schedule,
                {therapeutic_class} AS therapeutic_class,
                {rx_number} AS rx_number, s.raw_date_written AS written_text,
                {date_date_written} AS date_written,
                s.raw_refills_authorized AS refills_text,
                {int_refills_authorized} AS refills_authorized,
                s.raw_rx_quantity AS rx_quantity_text, {num_rx_quantity} AS rx_quantity,
                s.raw_rx_days_supply AS rx_days_text,
                {int_rx_days_supply} AS rx_days_supply,
                s.raw_fill_number AS fill_number_text, {int_fill_number} AS fill_number,
                s.raw_fill_date AS fill_date_text, {date_fill_date} AS fill_date,
                s.raw_quantity AS quantity_text, {num_quantity} AS quantity,
                s.raw_days_supply AS days_text, {int_days_supply} AS days_supply,
                {state} AS state, {pickup_date} AS pickup_text,
                {date_pickup_date} AS pickup_date,
                NULL::int AS partner_id, NULL::int AS prescriber_id, NULL::int AS medication_id,
                NULL::varchar AS eff_schedule, NULL::int AS prescription_id,
                NULL::int AS fill_id, FALSE AS duplicate, NULL::jsonb AS error
            FROM (SELECT line, hash, {trimmed} FROM imp_stage{where} OFFSET 0) s
            LEFT JOIN imp_ndc n ON n.text = s.ndc {typed}
        """.format(**trim), {'nkda': sorted(_NKDA_TEXTS)})
        if target != 'imp_row':
            return
        # statistics of the columns the joins and filters use only (all 40: 3x longer)
        cr.execute('CREATE INDEX ON imp_row (line); '
                   'ANALYZE imp_row (line, patient_key, npi, dea, ndc_text, rx_number, '
                   'fill_number, error)')

    @api.model
    def _imp_check_identifiers(self):
        """NPI and DEA are checked by the Python of ``tools`` once per distinct value (the
        NDC in _imp_stage_rows, joined in the typed copy)."""
        cr = self.env.cr
        cr.execute('SELECT DISTINCT npi FROM imp_row WHERE npi IS NOT NULL')
        npis = [(npi, is_valid_npi(npi)) for (npi,) in cr.fetchall()]
        cr.execute('SELECT DISTINCT dea, prescriber_name FROM imp_row WHERE dea IS NOT NULL')
        Partner = self.env['res.partner']
        deas = [(dea, name, is_valid_dea(dea, Partner.new({'name': name})._prescriber_last_name()))
                for dea, name in cr.fetchall()]
        cr.execute('CREATE TEMP TABLE imp_npi (npi varchar, valid bool) ON COMMIT DROP;'
                   'CREATE TEMP TABLE imp_dea (dea varchar, name varchar, valid bool) '
                   'ON COMMIT DROP')
        for table, rows in (('imp_npi', npis), ('imp_dea', deas)):
            if rows:
                cr.execute('INSERT INTO %s VALUES %s' % (table, ', '.join(
                    ['%s'] * len(rows))), rows)
        self._imp_sql("""
            UPDATE imp_row r SET error = {npi}
              FROM imp_npi n WHERE n.npi = r.npi AND NOT n.valid;
            UPDATE imp_row r SET error = {dea}
              FROM imp_dea d WHERE r.error IS NULL AND d.dea = r.dea
                   AND d.name = r.prescriber_name AND NOT d.valid;
        """.format(npi=_refusal('npi_invalid', 'prescriber_npi', value='r.npi'),
                   dea=_refusal('dea_invalid', 'prescriber_dea', value='r.dea',
                                name='r.prescriber_name')))

    @api.model
    def _imp_check_rows(self):
        """Each line on its own: well-formed values and the rules a fill must satisfy that
        need no other line (first failing rule only)."""
        forms = self._imp_keys('pharmacy.medication', 'dosage_form')
        classes = tuple(self.env['pharmacy.therapeutic.class'].sudo().search(
            [('code', '!=', False)]).mapped('code')) or ('',)

        def not_a_date(column, text):
            return _refusal('not_a_date', column, value="COALESCE(%s, '')" % text)

        def not_in_list(column, value, allowed):
            return _refusal('not_in_list', column, value=value, allowed=allowed)

        def not_whole_number(column, text, minimum):
            return _refusal('not_whole_number', column, value="COALESCE(%s, '')" % text,
                            minimum=str(minimum))

        rules = [
            ('patient_key IS NULL', _refusal('empty', 'patient_id')),
            ('last_name IS NULL', _refusal('empty', 'last_name')),
            ('first_name IS NULL', _refusal('empty', 'first_name')),
            ('birthdate IS NULL', not_a_date('birthdate', 'birthdate_text')),
            ('birthdate > %(today)s', _refusal('future', 'birthdate', value='birthdate')),
            ('allergies IS NULL', _refusal('no_allergies', 'allergies')),
            ('npi IS NULL', _refusal('empty', 'prescriber_npi')),
            ('prescriber_name IS NULL', _refusal('empty', 'prescriber_name')),
            ('ndc IS NULL', _refusal('ndc_invalid', 'ndc', value="COALESCE(ndc_text, '')")),
            ('drug_name IS NULL', _refusal('empty', 'drug_name')),
            ('dosage_form NOT IN %(forms)s',
             not_in_list('dosage_form', 'dosage_form', '%(forms_text)s')),
            ('drug_type NOT IN %(drug_types)s',
             not_in_list('drug_type', 'drug_type', '%(drug_types_text)s')),
            ('schedule NOT IN %(schedules)s',
             not_in_list('schedule', 'schedule', '%(schedules_text)s')),
            ('therapeutic_class IS NULL OR therapeutic_class NOT IN %(classes)s',
             not_in_list('therapeutic_class', "COALESCE(therapeutic_class, '')",
                         '%(classes_text)s')),
            ('rx_number IS NULL', _refusal('empty', 'rx_number')),
            ('date_written IS NULL', not_a_date('date_written', 'written_text')),
            ('date_written > %(today)s',
             _refusal('future', 'date_written', value='date_written')),
            ('refills_authorized IS NULL OR refills_authorized < 0',
             not_whole_number('refills_authorized', 'refills_text', 0)),
            ('rx_quantity IS NULL OR rx_quantity < 0',
             _refusal('not_number', 'rx_quantity', value="COALESCE(rx_quantity_text, '')",
                      minimum='0')),
            ('rx_days_supply IS NULL OR rx_days_supply <= 0',
             not_whole_number('rx_days_supply', 'rx_days_text', 1)),
            ('fill_number IS NULL OR fill_number < 1',
             not_whole_number('fill_number', 'fill_number_text', 1)),
            ('fill_date IS NULL', not_a_date('fill_date', 'fill_date_text')),
            ('fill_date > %(today)s', _refusal('future', 'fill_date', value='fill_date')),
            ('quantity IS NULL OR quantity <= 0',
             _refusal('not_positive', 'quantity', value="COALESCE(quantity_text, '')")),
            ('days_supply IS NULL OR days_supply <= 0',
             not_whole_number('days_supply', 'days_text', 1)),
            ('state IS NULL OR state NOT IN %(states)s',
             not_in_list('state', "COALESCE(state, '')", '%(states_text)s')),
            ('pickup_text IS NOT NULL AND pickup_date IS NULL',
             not_a_date('pickup_date', 'pickup_text')),
            ("state = 'picked_up' AND pickup_date IS NULL",
             _refusal('pickup_required', 'pickup_date')),
            ('pickup_date < fill_date', _refusal('pickup_before_fill', 'pickup_date',
                                                 value='pickup_date', fill_date='fill_date')),
        ]
        params = {'today': self._imp_today()}
        for name, keys in (('forms', forms), ('drug_types', DRUG_TYPES),
                           ('schedules', SCHEDULES), ('classes', classes),
                           ('states', FILL_STATES)):
            params.update({name: keys, name + '_text': ', '.join(keys)})
        self._imp_sql('UPDATE imp_row r SET error = %s WHERE error IS NULL' % _case(rules),
                      params)

    @api.model
    def _imp_keys(self, model, field):
        return tuple(key for key, _label in self.env[model]._fields[field].selection)

    @api.model
    def _imp_today(self):
        return pharmacy_today(self)

    # --- matching ---------------------------------------------------------------------------
    @api.model
    def _imp_match(self, company):
        """Existing records of the import's company, by key: patients by dispensing id, then
        by name and birthdate (once, when exactly one patient without dispensing id matches);
        prescribers by NPI; medications by NDC (the company's or shared); prescriptions by Rx
        number; fills by prescription and fill number. The values of a new or changed record
        are those of its last good line (the export is chronological)."""
        params = {'company': company.id}
        self._imp_sql("""
            -- the lines refused so far: the records below take the values of the last good
            -- line; _imp_write takes them again only if a line was refused since
            CREATE TEMP TABLE imp_refused ON COMMIT DROP AS
              SELECT count(*) AS at_match FROM imp_row WHERE error IS NOT NULL;
            CREATE TEMP TABLE imp_patient ON COMMIT DROP AS
              SELECT patient_key, first_name || ' ' || last_name AS name,
                     birthdate, phone, CASE WHEN nkda THEN NULL ELSE allergies END AS allergies,
                     nkda, NULL::int AS id
                FROM {good_patient} r;
            ANALYZE imp_patient;
            UPDATE imp_patient i SET id = p.id FROM res_partner p
             WHERE p.dispensing_id = i.patient_key AND p.company_id = %(company)s;
            CREATE TEMP TABLE imp_name_match ON COMMIT DROP AS
              SELECT i.patient_key, min(p.id) AS id, count(*) AS n
                FROM imp_patient i JOIN res_partner p ON p.is_patient
                 AND p.company_id = %(company)s AND p.dispensing_id IS NULL
                 AND lower(p.name) = lower(i.name) AND p.birthdate_date = i.birthdate
               WHERE i.id IS NULL GROUP BY i.patient_key;
            UPDATE imp_patient i SET id = m.id FROM imp_name_match m
             WHERE m.patient_key = i.patient_key AND m.n = 1;
            UPDATE imp_row r SET error = {ambiguous}
              FROM imp_name_match m WHERE m.patient_key = r.patient_key AND m.n > 1
               AND r.error IS NULL;
            DELETE FROM imp_patient i USING imp_name_match m
             WHERE m.patient_key = i.patient_key AND m.n > 1;

            CREATE TEMP TABLE imp_prescriber ON COMMIT DROP AS
              SELECT npi, prescriber_name AS name, dea, NULL::int AS id
                FROM {good_prescriber} r;
            UPDATE imp_prescriber i SET id = (
              SELECT p.id FROM res_partner p WHERE p.npi = i.npi
                 AND (p.company_id = %(company)s OR p.company_id IS NULL)
               ORDER BY p.company_id NULLS LAST, p.id LIMIT 1);

            CREATE TEMP TABLE imp_medication ON COMMIT DROP AS
              SELECT ndc, drug_name AS name, generic_name, strength,
                     dosage_form, drug_type, schedule, therapeutic_class, NULL::int AS id,
                     NULL::varchar AS current_schedule
                FROM {good_medication} r;
            UPDATE imp_medication i SET id = m.id, current_schedule = m.schedule
              FROM (SELECT DISTINCT ON (ndc) id, ndc, schedule FROM pharmacy_medication
                     WHERE company_id = %(company)s OR company_id IS NULL
                     ORDER BY ndc, company_id NULLS LAST, id) m
             WHERE m.ndc = i.ndc;
            ALTER TABLE imp_medication ADD COLUMN eff_schedule varchar;
            UPDATE imp_medication SET eff_schedule = COALESCE(current_schedule, schedule);
        """.format(ambiguous=_refusal('patient_ambiguous', 'patient_id', value='r.patient_key',
                                      count='m.n'),
                   good_patient=_last_good_lines('patient', 'patient_key'),
                   good_prescriber=_last_good_lines('prescriber', 'npi'),
                   good_medication=_last_good_lines('medication', 'ndc')), params)
        # a controlled substance limits the refills (the catalog's schedule when it exists)
        self._imp_sql("""
            UPDATE imp_row r SET error = {refills}
              FROM imp_medication m
             WHERE m.ndc = r.ndc AND r.error IS NULL AND m.eff_schedule <> 'none';
            -- the ids of its patient, drug and prescriber that exist (LINK_PRESCRIPTIONS_SQL)
            CREATE TEMP TABLE imp_prescription ON COMMIT DROP AS
              SELECT r.rx_number, r.patient_key, r.ndc, r.npi,
                     r.date_written, r.refills_authorized, r.rx_quantity AS quantity,
                     r.rx_days_supply AS days_supply, m.eff_schedule, NULL::int AS id,
                     p.id AS patient_id, m.id AS medication_id,
                     d.id AS prescriber_id, NULL::int AS current_patient_id,
                     NULL::varchar AS current_state, NULL::bool AS patient_may_fill
                FROM {last_rx} r JOIN imp_medication m ON m.ndc = r.ndc
                LEFT JOIN imp_patient p ON p.patient_key = r.patient_key
                LEFT JOIN imp_prescriber d ON d.npi = r.npi;
            ANALYZE imp_prescription;
            UPDATE imp_prescription i SET id = p.id, current_patient_id = p.patient_id,
                   current_state = p.state
              FROM pharmacy_patient_medication p
             WHERE p.rx_number = i.rx_number AND p.company_id = %(company)s;
            CREATE INDEX ON imp_prescription (id);
            CREATE INDEX ON imp_prescription (rx_number);
            ANALYZE imp_prescription;
            UPDATE imp_prescription i
               SET patient_may_fill = p.active AND p.patient_state = 'active'
              FROM res_partner p WHERE p.id = i.patient_id;
            UPDATE imp_row r SET error = {rx_patient}
              FROM imp_prescription i WHERE i.rx_number = r.rx_number AND r.error IS NULL;
            UPDATE imp_row r SET fill_id = f.id FROM imp_prescription i, pharmacy_fill f
             WHERE i.rx_number = r.rx_number AND f.prescription_id = i.id
               AND f.fill_number = r.fill_number AND r.error IS NULL;
            CREATE INDEX ON imp_row (fill_id);
            ANALYZE imp_row (fill_id, error, ndc, duplicate);
        """.format(refills=_case([
            ("m.eff_schedule = '2' AND r.refills_authorized > 0",
             _refusal('refills_schedule_2', 'refills_authorized',
                      value='r.refills_authorized')),
            ("m.eff_schedule IN ('3', '4', '5') AND r.refills_authorized > 5",
             _refusal('refills_schedule_3_5', 'refills_authorized',
                      value='r.refills_authorized'))]),
            rx_patient=_case([
                ('r.patient_key <> i.patient_key',
                 _refusal('rx_patient_in_file', 'rx_number', value='r.rx_number',
                          patient='i.patient_key')),
                ('i.current_patient_id <> COALESCE(i.patient_id, 0)',
                 _refusal('rx_other_patient', 'rx_number', value='r.rx_number'))]),
            last_rx=_last_good_lines(
                'prescription', 'rx_number', good='(SELECT r.* FROM imp_row r JOIN '
                'imp_medication m ON m.ndc = r.ndc WHERE r.error IS NULL)')), params)

    @api.model
    def _imp_check_fills(self):
        """Rules of a fill against its prescription, with the prescription's final values:
        within its dates (written .. expiry) unless returned; a new fill needs an active
        prescription of an active patient; at most refills + 1 counted fills (the fills of
        the database not in the file count too); a later line with the same prescription and
        fill number replaces an earlier one (counted as duplicate)."""
        expiry = prescription_expiry_date_sql('i.date_written', 'i.eff_schedule')
        # the counted fills of the file's prescriptions: the good lines not replaced, and the
        # fills of the database no good line of the file names
        counted = """
              SELECT r.line, r.rx_number, r.fill_date, r.fill_number FROM imp_row r
               WHERE r.error IS NULL AND NOT r.duplicate AND r.state <> 'returned'
              UNION ALL
              SELECT NULL, p.rx_number, f.fill_date, f.fill_number FROM pharmacy_fill f
                JOIN imp_prescription p ON p.id = f.prescription_id
               WHERE f.counts AND NOT EXISTS (
                     SELECT 1 FROM imp_row r WHERE r.fill_id = f.id AND r.error IS NULL)"""
        self._imp_sql("""
            -- (the last good line of each prescription and fill number repeated: a hash
            -- aggregate, not a join of every line with every line of its prescription)
            UPDATE imp_row r SET duplicate = TRUE FROM (
              SELECT rx_number, fill_number, max(line) AS line FROM imp_row
               WHERE error IS NULL GROUP BY rx_number, fill_number HAVING count(*) > 1) later
             WHERE later.rx_number = r.rx_number AND later.fill_number = r.fill_number
               AND later.line > r.line AND r.error IS NULL;
            UPDATE imp_row r SET error = {fill}
              FROM imp_prescription i
             WHERE i.rx_number = r.rx_number AND r.error IS NULL AND NOT r.duplicate;
            -- (ranked: only the prescriptions with more counted fills than allowed, found
            -- by a hash aggregate; ranking every line sorted them all, 2-3 s at 809,712)
            WITH over AS (
              SELECT c.rx_number FROM ({counted}) c
                JOIN imp_prescription i ON i.rx_number = c.rx_number
               GROUP BY c.rx_number, i.refills_authorized
              HAVING count(*) > i.refills_authorized + 1
            ), ranked AS (
              SELECT line, rx_number, row_number() OVER (
                       PARTITION BY rx_number ORDER BY fill_date, fill_number) AS rank
                FROM ({counted}) c WHERE c.rx_number IN (SELECT rx_number FROM over))
            UPDATE imp_row r SET error = {beyond}
              FROM ranked k, imp_prescription i
             WHERE k.line = r.line AND i.rx_number = r.rx_number
               AND k.rank > i.refills_authorized + 1;
            UPDATE imp_row r SET duplicate = FALSE WHERE r.error IS NOT NULL;
        """.format(counted=counted, fill=_case([
            ("r.state <> 'returned' AND r.fill_date < i.date_written",
             _refusal('fill_before_written', 'fill_date', value='r.fill_date',
                      rx_number='r.rx_number', date_written='i.date_written')),
            ("r.state <> 'returned' AND r.fill_date > %s" % expiry,
             _refusal('fill_after_expiry', 'fill_date', value='r.fill_date',
                      rx_number='r.rx_number', date_expiry=expiry)),
            ("r.fill_id IS NULL AND i.id IS NOT NULL AND i.current_state <> 'active'",
             _refusal('rx_not_active', 'rx_number', value='r.rx_number',
                      state='i.current_state')),
            ('r.fill_id IS NULL AND NOT COALESCE(i.patient_may_fill, TRUE)',
             _refusal('patient_not_active', 'patient_id', value='r.patient_key'))]),
            beyond=_refusal('beyond_refills', 'fill_number', value='r.fill_number',
                            rx_number='r.rx_number', refills='i.refills_authorized',
                            fills='i.refills_authorized + 1')))

    @api.model
    def _imp_counts(self):
        cr = self.env.cr
        cr.execute('SELECT count(*), count(*) FILTER (WHERE error IS NOT NULL), '
                   'count(*) FILTER (WHERE duplicate) FROM imp_row')
        rows, bad, duplicate = cr.fetchone()
        return {'rows': rows, 'bad': bad, 'duplicate': duplicate}

    # --- writing ----------------------------------------------------------------------------
    @api.model
    def _imp_defaults(self, model, exclude):
        """Column -> value that the ORM's ``create`` would write by default (as this user)."""
        Model = self.env[model]
        names = [name for name, field in Model._fields.items()
                 if field.store and field.column_type and not field.compute
                 and not field.related and name not in exclude
                 and name not in models.LOG_ACCESS_COLUMNS and name != 'id']
        defaults = Model.default_get(names)
        return {name: Model._fields[name].convert_to_column(value, Model)
                for name, value in defaults.items()
                if Model._fields[name].column_type and not isinstance(value, list)}

    @api.model
    def _imp_insert(self, table, model, values, source, exclude=()):
        """INSERT INTO table (columns) SELECT values FROM source, with the ORM's defaults
        and access columns; ``values``: column -> SQL expression. Returns the new ids."""
        defaults = self._imp_defaults(model, set(values) | set(exclude))
        columns = list(values) + list(defaults) + list(models.LOG_ACCESS_COLUMNS)
        expressions = list(values.values()) + ['%s'] * len(defaults) + [
            '%(uid)s', NOW, '%(uid)s', NOW]
        params = {'uid': self.env.uid}
        for index, value in enumerate(defaults.values()):
            params['d%d' % index] = value
            expressions[len(values) + index] = '%%(d%d)s' % index
        self.env.cr.execute('INSERT INTO %s (%s) SELECT %s FROM %s RETURNING id' % (
            table, ', '.join('"%s"' % c for c in columns), ', '.join(expressions), source),
            params)
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _imp_update(self, table, source, assignments, where, returning=False):
        """UPDATE table t SET column = expression, ... FROM source WHERE where, only on the
        rows where one of the values changes (then write_uid and write_date too): the count."""
        columns = ', '.join('"%s"' % column for column in assignments)
        values = ', '.join(assignments.values())
        old = ', '.join('t."%s"' % column for column in assignments)
        self.env.cr.execute(
            'UPDATE %s t SET (%s, write_uid, write_date) = (%s, %%(uid)s, %s) FROM %s '
            'WHERE %s AND ROW(%s) IS DISTINCT FROM ROW(%s)%s' % (
                table, columns, values, NOW, source, where, old, values,
                ' RETURNING t.id' if returning else ''),
            {'uid': self.env.uid})
        if returning:
            return [row[0] for row in self.env.cr.fetchall()]
        return self.env.cr.rowcount

    @api.model
    def _imp_last_good_lines(self):
        """The values of each record from its last good line, again (lines were refused
        since _imp_match took them); a record only refused lines name is not written."""
        self._imp_sql("""
            UPDATE imp_patient i SET (name, birthdate, phone, allergies, nkda) = (
                   r.first_name || ' ' || r.last_name, r.birthdate, r.phone,
                   CASE WHEN r.nkda THEN NULL ELSE r.allergies END, r.nkda)
              FROM (SELECT DISTINCT ON (patient_key) * FROM {good_patient} g
                     ORDER BY patient_key, line DESC) r WHERE r.patient_key = i.patient_key;
            UPDATE imp_prescriber i SET (name, dea) = (r.prescriber_name, r.dea)
              FROM (SELECT DISTINCT ON (npi) * FROM {good_prescriber} g
                     ORDER BY npi, line DESC) r WHERE r.npi = i.npi;
            UPDATE imp_medication i SET (name, generic_name, strength, dosage_form, drug_type,
                   schedule, therapeutic_class) = (r.drug_name, r.generic_name, r.strength,
                   r.dosage_form, r.drug_type, r.schedule, r.therapeutic_class)
              FROM (SELECT DISTINCT ON (ndc) * FROM {good_medication} g
                     ORDER BY ndc, line DESC) r WHERE r.ndc = i.ndc;
            DELETE FROM imp_patient i WHERE NOT EXISTS (SELECT 1 FROM {good_patient} r
              WHERE r.patient_key = i.patient_key);
            DELETE FROM imp_prescriber i WHERE NOT EXISTS (SELECT 1 FROM {good_prescriber} r
              WHERE r.npi = i.npi);
            DELETE FROM imp_medication i WHERE NOT EXISTS (SELECT 1 FROM {good_medication} r
              WHERE r.ndc = i.ndc);
        """.format(good_patient=_good_lines('patient'),
                   good_prescriber=_good_lines('prescriber'),
                   good_medication=_good_lines('medication')))

    @api.model
    def _imp_write(self, company, counts):
        cr = self.env.cr
        # what only bad lines name is not written; the values are those of the last good line
        # (as _imp_match took them, unless a line was refused since)
        cr.execute('SELECT at_match FROM imp_refused')
        if cr.fetchone()[0] != counts['bad']:
            self._imp_last_good_lines()
        company_id = int(company.id)
        # patients (a new partner is its own commercial partner: its id is taken first, so
        # that the INSERT writes it, not a second UPDATE of every new row)
        self._imp_new_ids('imp_patient', 'res_partner')
        new = self._imp_insert('res_partner', 'res.partner', {
            'id': 'i.id', 'commercial_partner_id': 'i.id',
            'name': 'i.name', 'display_name': 'i.name', 'is_patient': 'TRUE',
            'dispensing_id': 'i.patient_key', 'birthdate_date': 'i.birthdate',
            'phone': 'i.phone', 'allergies': 'i.allergies', 'nkda': 'i.nkda',
            'company_id': str(company_id), 'partner_share': 'TRUE',
        }, 'imp_patient i WHERE i.created')
        counts['patient_new'] = len(new)
        self._imp_patients_created(company, new)
        updated = self._imp_update('res_partner', 'imp_patient i', {
            'name': 'i.name', 'display_name': 'i.name', 'dispensing_id': 'i.patient_key',
            'birthdate_date': 'i.birthdate', 'phone': 'i.phone', 'allergies': 'i.allergies',
            'nkda': 'i.nkda'}, 't.id = i.id AND NOT i.created')
        counts['patient_updated'] = updated
        # prescribers
        self._imp_new_ids('imp_prescriber', 'res_partner')
        new = self._imp_insert('res_partner', 'res.partner', {
            'id': 'i.id', 'commercial_partner_id': 'i.id',
            'name': 'i.name', 'display_name': 'i.name', 'is_prescriber': 'TRUE',
            'npi': 'i.npi', 'dea_number': 'i.dea', 'company_id': str(company_id),
            'partner_share': 'TRUE'}, 'imp_prescriber i WHERE i.created')
        counts['prescriber_new'] = len(new)
        counts['prescriber_updated'] = self._imp_update('res_partner', 'imp_prescriber i', {
            'name': 'i.name', 'display_name': 'i.name', 'dea_number': 'i.dea'},
            't.id = i.id AND NOT i.created')
        # medications: the catalog's schedule is kept (a manager changes it in the catalog)
        new = self._imp_insert('pharmacy_medication', 'pharmacy.medication', {
            'ndc': 'i.ndc', 'name': 'i.name', 'generic_name': 'i.generic_name',
            'strength': 'i.strength', 'dosage_form': 'i.dosage_form',
            'drug_type': 'i.drug_type', 'schedule': 'i.schedule',
            'therapeutic_class_id': CLASS_SQL.replace('r.', 'i.')},
            'imp_medication i WHERE i.id IS NULL', exclude=('company_id',))
        cr.execute('UPDATE imp_medication i SET id = m.id FROM pharmacy_medication m WHERE '
                   'i.id IS NULL AND m.id = ANY(%s) AND m.ndc = i.ndc', [new])
        counts['medication_new'] = len(new)
        updated = self._imp_update(
            'pharmacy_medication', 'imp_medication i', {
                'name': 'i.name', 'generic_name': 'i.generic_name', 'strength': 'i.strength',
                'dosage_form': 'i.dosage_form', 'drug_type': 'i.drug_type',
                'therapeutic_class_id': CLASS_SQL.replace('r.', 'i.')},
            't.id = i.id AND NOT t.id = ANY(%s)' % self._imp_array(new), returning=True)
        counts['medication_updated'] = len(updated)
        # the catalog entries changed: their prescriptions' fills are recomputed too
        cr.execute('CREATE TEMP TABLE imp_medication_changed ON COMMIT DROP AS '
                   'SELECT unnest(%s::int[]) AS id', [updated])
        self._imp_sql(LINK_PRESCRIPTIONS_SQL + """
            -- a prescription all of whose lines are bad is not written
            DELETE FROM imp_prescription i WHERE NOT EXISTS (
              SELECT 1 FROM imp_row r WHERE r.rx_number = i.rx_number AND r.error IS NULL);
        """)
        # prescriptions (their ids taken first, as the partners': no UPDATE of imp_prescription
        # matching the new rows back by an array of every new id)
        self._imp_new_ids('imp_prescription', 'pharmacy_patient_medication',
                          'patient_id IS NOT NULL AND medication_id IS NOT NULL')
        # its statistics again: every row was just rewritten (an estimate of 1 row made the
        # fills' statement below join the catalog by nested loops: 4.6 million rows
        # filtered at 20,000 patients), and _imp_new_rx_summary filters on ``created``
        cr.execute('ANALYZE imp_prescription; '
                   'SELECT EXISTS (SELECT 1 FROM imp_prescription WHERE created)')
        new = []
        if cr.fetchone()[0]:
            # stored related/computed values inserted as _imp_recompute computes them, the
            # fill summary included (_imp_new_rx_summary): no UPDATE rewrites a new
            # prescription (none to insert: no statement, e.g. a re-import)
            values = {
                'id': 'i.id', 'rx_number': 'i.rx_number', 'patient_id': 'i.patient_id',
                'medication_id': 'i.medication_id', 'prescriber_id': 'i.prescriber_id',
                'date_written': 'i.date_written', 'refills_authorized': 'i.refills_authorized',
                'quantity': 'i.quantity', 'days_supply': 'i.days_supply',
                'company_id': str(company_id), 'patient_state': 'pp.patient_state',
                'schedule': 'mm.schedule', 'date_expiry': 's.date_expiry'}
            values.update({name: 's.%s' % name for name in RX_SUMMARY})
            self._imp_new_rx_summary(company, self._imp_defaults(
                'pharmacy.patient.medication', set(values)).get('state'))
            new = self._imp_insert(
                'pharmacy_patient_medication', 'pharmacy.patient.medication', values,
                'imp_prescription i JOIN res_partner pp ON pp.id = i.patient_id '
                'JOIN pharmacy_medication mm ON mm.id = i.medication_id '
                'JOIN imp_rx_summary s ON s.id = i.id WHERE i.created')
        counts['prescription_new'] = len(new)
        counts['prescription_updated'] = self._imp_update(
            'pharmacy_patient_medication', 'imp_prescription i', {
                'medication_id': 'i.medication_id', 'prescriber_id': 'i.prescriber_id',
                'date_written': 'i.date_written', 'refills_authorized': 'i.refills_authorized',
                'quantity': 'i.quantity', 'days_supply': 'i.days_supply'},
            't.id = i.id AND NOT i.created')
        self._imp_sql("""
            -- the good lines with their prescription, whose stored values a new fill copies:
            -- a new fill's id taken in the order of the lines (as the ORM would create them),
            -- which _imp_new_rx_summary relies on
            CREATE TEMP TABLE imp_fill ON COMMIT DROP AS
              WITH x AS MATERIALIZED (
                SELECT i.rx_number, rx.id, rx.patient_id, rx.medication_id, rx.company_id,
                       m.therapeutic_class_id, rx.days_supply, {rx_context} AS context
                  FROM imp_prescription i JOIN pharmacy_patient_medication rx ON rx.id = i.id
                  {joins})
              SELECT CASE WHEN f.fill_id IS NULL THEN nextval('pharmacy_fill_id_seq') END
                       AS id, f.* FROM (
              SELECT r.fill_id, x.id AS prescription_id, r.fill_number, r.fill_date,
                     r.quantity, r.days_supply, r.state, r.pickup_date,
                     x.patient_id AS rx_patient_id, x.medication_id AS rx_medication_id,
                     x.company_id AS rx_company_id, x.therapeutic_class_id AS rx_class_id,
                     x.days_supply AS rx_days_supply, r.line_hash,
                     {context} AS context_hash
                FROM imp_row r JOIN x ON x.rx_number = r.rx_number
               WHERE r.error IS NULL AND NOT r.duplicate ORDER BY r.line) f;
        """.format(joins=CONTEXT_JOINS, rx_context=RX_CONTEXT_SQL,
                   context=_context_hash_sql('r', 'x.id', 'x.context')))
        # (a file of new fills only, e.g. into an empty pharmacy, matches no fill: the two
        # UPDATEs of matched fills below would read every line for nothing)
        cr.execute('SELECT EXISTS (SELECT 1 FROM imp_fill WHERE fill_id IS NOT NULL)')
        matched = cr.fetchone()[0]
        # a new fill is inserted with its stored related and computed fields (the formulas
        # of _imp_recompute, which then finds nothing to change on it): no second write
        new = self._imp_insert('pharmacy_fill', 'pharmacy.fill', {
            'id': 'i.id', 'prescription_id': 'i.prescription_id', 'fill_number': 'i.fill_number',
            'fill_date': 'i.fill_date', 'quantity': 'i.quantity',
            'days_supply': 'i.days_supply', 'state': 'i.state',
            'pickup_date': 'i.pickup_date', 'patient_id': 'i.rx_patient_id',
            'medication_id': 'i.rx_medication_id', 'company_id': 'i.rx_company_id',
            'therapeutic_class_id': 'i.rx_class_id', 'counts': "i.state <> 'returned'",
            'is_short_fill': '0 < i.days_supply AND i.days_supply < i.rx_days_supply',
            'import_line_hash': 'i.line_hash', 'import_context_hash': 'i.context_hash'},
            'imp_fill i WHERE i.fill_id IS NULL')
        counts['fill_new'] = len(new)
        updated = self._imp_update('pharmacy_fill', 'imp_fill i', {
            'fill_date': 'i.fill_date', 'quantity': 'i.quantity',
            'days_supply': 'i.days_supply', 'state': 'i.state', 'pickup_date': 'i.pickup_date'},
            't.id = i.fill_id', returning=True) if matched else []
        counts['fill_updated'] = len(updated)
        # the fingerprints of the fills checked (not a change of the fill: no write_date)
        if matched:
            cr.execute('UPDATE pharmacy_fill t SET (import_line_hash, import_context_hash) = '
                       '(i.line_hash, i.context_hash) FROM imp_fill i WHERE t.id = i.fill_id '
                       'AND (t.import_line_hash, t.import_context_hash) IS DISTINCT FROM '
                       '(i.line_hash, i.context_hash)')
        for kind, table in (('patient', 'imp_patient'), ('prescriber', 'imp_prescriber'),
                            ('medication', 'imp_medication'),
                            ('prescription', 'imp_prescription')):
            cr.execute('SELECT count(*) FROM %s' % table)  # pylint: disable=sql-injection
            counts['%s_unchanged' % kind] = cr.fetchone()[0] - counts[
                '%s_new' % kind] - counts['%s_updated' % kind]
        counts['fill_unchanged'] = (counts['rows'] - counts['bad'] - counts['duplicate']
                                    - counts['fill_new'] - counts['fill_updated'])
        return new + updated

    @api.model
    def _imp_new_ids(self, table, target, where='TRUE'):
        """The ids of the records of ``table`` (imp_patient, imp_prescriber: res_partner;
        imp_prescription: pharmacy_patient_medication) to create (no id yet, and ``where``),
        taken from the sequence of ``target``: ``created`` is TRUE on those rows."""
        self.env.cr.execute(  # pylint: disable=sql-injection
            "ALTER TABLE {t} ADD COLUMN created boolean NOT NULL DEFAULT FALSE; "
            "UPDATE {t} SET (id, created) = (nextval(pg_get_serial_sequence('{target}', "
            "'id')), TRUE) WHERE id IS NULL AND ({where})".format(
                t=table, target=target, where=where))

    @api.model
    def _imp_new_rx_summary(self, company, state):
        """``imp_rx_summary``: the fill summary (``RX_SUMMARY``) and expiry of each
        prescription this import creates (``imp_prescription.created``), as
        ``_imp_recompute`` would compute it once its fills are written: a new prescription
        has no fill in the database, its fills are its good lines not replaced by a later one
        (``imp_fill``), and a new fill takes its id in the order of its line
        (``_imp_write``), so that a line's number orders the fills of a prescription as
        their ids do. ``state``: the state a new prescription is created with (its
        default). Inserted with it, a new prescription is not rewritten by the recompute,
        which leaves it out: an UPDATE of a row inserted by the same transaction checks its
        foreign keys again (7.8 s of the full import at 20,000 patients)."""
        threshold = self.env['pharmacy.patient.medication']._refill_threshold()
        # its two inputs materialized and analyzed first (prescriptions and counted lines):
        # the planner then joins them by hashes. (Written as one statement over
        # imp_prescription filtered on ``created``, with no statistics of that column, it
        # ran over 16 minutes at 100,000 patients: nested loops on estimates of one row.)
        self._imp_sql("""
            CREATE TEMP TABLE imp_rx_new ON COMMIT DROP AS
              SELECT i.id, i.rx_number, %(state)s::varchar AS state, i.refills_authorized,
                     {expiry} AS date_expiry, %(company)s AS company_id
                FROM imp_prescription i JOIN pharmacy_medication m ON m.id = i.medication_id
               WHERE i.created;
            ANALYZE imp_rx_new;
            CREATE TEMP TABLE imp_rx_counted ON COMMIT DROP AS
              SELECT n.id AS prescription_id, r.fill_date, r.days_supply, r.line AS tie
                FROM imp_row r JOIN imp_rx_new n ON n.rx_number = r.rx_number
               WHERE r.error IS NULL AND NOT r.duplicate AND r.state <> 'returned';
            ANALYZE imp_rx_counted;
            CREATE TEMP TABLE imp_rx_summary ON COMMIT DROP AS
            {summary} SELECT * FROM target;
            ALTER TABLE imp_rx_summary ADD PRIMARY KEY (id);
            ANALYZE imp_rx_summary;
        """.format(expiry=prescription_expiry_date_sql('i.date_written', 'm.schedule'),
                   summary=_rx_summary_sql('SELECT * FROM imp_rx_counted',
                                           'SELECT * FROM imp_rx_new')),
            {'state': state, 'company': company.id, 'threshold': str(threshold)})

    @api.model
    def _imp_array(self, ids):
        return 'ARRAY[%s]::int[]' % ','.join(str(int(i)) for i in ids) if ids else \
            "'{}'::int[]"

    # --- stored computed fields -------------------------------------------------------------
    @api.model
    def _imp_recompute(self, analyze=None):
        """The stored computed and related fields of every record the import touched (and of
        the prescriptions of a medication it changed; not of the prescriptions it created,
        inserted with them: ``_imp_new_rx_summary``), with the ORM's formulas
        (``_rx_summary_sql`` for a prescription's fill summary):

        - fill: patient_id, medication_id, company_id (its prescription's),
          therapeutic_class_id (its medication's), counts = state is not returned,
          is_short_fill = 0 < days supply < the prescription's days supply (not the fills
          of the prescriptions this import created: inserted with these values, from the
          prescription as written);
        - prescription: patient_state and company_id (its patient's), schedule (its
          medication's), date_expiry = written + 12 months (6 for schedules III-V), and from
          its counted fills: fill_count, refills_remaining = max(refills - (fills - 1), 0),
          last_fill_date and last_fill_days_supply (latest fill date; the lowest id among
          fills of that date, as the ORM's stable sort of fills ordered by date desc, id
          desc), next_due_date = the run-out of its counted fills, supply on hand carried
          over (max of each fill's date + the days supply of the fills dated on or after it)
          and refill_eligible_date = last + ceil(its days supply x threshold), for active
          prescriptions only (the SQL twins of ``pharmacy_crm/tools/dates.py``);
          and fill_status (``fill_status_sql`` on the values just computed, the pharmacy's
          date taken once per pharmacy: ``_pharmacy_refresh_fill_status`` ran the same
          formula after, calling ``pharmacy_today`` four times per prescription);
        - patient: next_due_date = earliest due date of its active (not archived)
          prescriptions, on_controlled_substance = an active prescription of a schedule.
        Each UPDATE writes only rows whose value changes (then write_uid and write_date, as
        the ORM's recompute does), so a re-import writes nothing. ``analyze``: {table: rows
        the import inserted}."""
        cr = self.env.cr
        # fresh statistics after bulk writes, or the planner takes the new rows for absent:
        # a table analyzed when the import added more than 50 rows + 10% of it (the rule of
        # PostgreSQL's autovacuum, which sees the rows only once committed)
        analyzed = []
        for table, added in sorted((analyze or {}).items()):
            cr.execute('SELECT reltuples FROM pg_class WHERE oid = %s::regclass', [table])
            if added > 50 + 0.1 * max(cr.fetchone()[0], 0):
                cr.execute('ANALYZE %s' % table)  # pylint: disable=sql-injection
                analyzed.append(table)
        threshold = self.env['pharmacy.patient.medication']._refill_threshold()
        params = {'uid': self.env.uid, 'threshold': str(threshold)}
        self._imp_sql("""
            -- (not the prescriptions the import created: inserted with their values)
            CREATE TEMP TABLE imp_rx_ids ON COMMIT DROP AS
              SELECT id FROM imp_prescription WHERE id IS NOT NULL AND NOT created
              UNION SELECT p.id FROM pharmacy_patient_medication p
                JOIN imp_medication_changed m ON m.id = p.medication_id
              EXCEPT SELECT id FROM imp_prescription WHERE created;
            ALTER TABLE imp_rx_ids ADD PRIMARY KEY (id);
            ANALYZE imp_rx_ids;
            UPDATE pharmacy_patient_medication t
               SET (patient_state, company_id, schedule, date_expiry, write_uid, write_date) =
                   (p.patient_state, p.company_id, m.schedule, {expiry}, %(uid)s, {now})
              FROM imp_rx_ids x, res_partner p, pharmacy_medication m
             WHERE t.id = x.id AND p.id = t.patient_id AND m.id = t.medication_id
               AND (t.patient_state, t.company_id, t.schedule, t.date_expiry) IS DISTINCT FROM
                   (p.patient_state, p.company_id, m.schedule, {expiry});
            UPDATE pharmacy_fill t
               SET (patient_id, medication_id, company_id, therapeutic_class_id, counts,
                    is_short_fill, write_uid, write_date) =
                   (rx.patient_id, rx.medication_id, rx.company_id, m.therapeutic_class_id,
                    t.state <> 'returned', 0 < t.days_supply AND t.days_supply < rx.days_supply,
                    %(uid)s, {now})
              FROM imp_rx_ids x, pharmacy_patient_medication rx, pharmacy_medication m
             WHERE t.prescription_id = x.id AND rx.id = x.id AND m.id = rx.medication_id
               AND (t.patient_id, t.medication_id, t.company_id, t.therapeutic_class_id,
                    t.counts, t.is_short_fill) IS DISTINCT FROM
                   (rx.patient_id, rx.medication_id, rx.company_id, m.therapeutic_class_id,
                    t.state <> 'returned', 0 < t.days_supply AND t.days_supply < rx.days_supply);
            {summary}
            UPDATE pharmacy_patient_medication t
               SET (fill_count, refills_remaining, last_fill_date, last_fill_days_supply,
                    next_due_date, refill_eligible_date, fill_status, write_uid,
                    write_date) =
                   (g.fill_count, g.refills_remaining, g.last_fill_date,
                    g.last_fill_days_supply, g.next_due_date, g.refill_eligible_date,
                    g.fill_status, %(uid)s, {now})
              FROM target g
             WHERE t.id = g.id
               AND (t.fill_count, t.refills_remaining, t.last_fill_date,
                    t.last_fill_days_supply, t.next_due_date, t.refill_eligible_date,
                    t.fill_status)
                   IS DISTINCT FROM (g.fill_count, g.refills_remaining, g.last_fill_date,
                    g.last_fill_days_supply, g.next_due_date, g.refill_eligible_date,
                    g.fill_status);
            WITH target AS (
              SELECT p.id,
                     min(rx.next_due_date) FILTER (WHERE rx.active) AS next_due_date,
                     COALESCE(bool_or(rx.active AND rx.state = 'active'
                                      AND rx.schedule <> 'none'), FALSE)
                       AS on_controlled_substance
                FROM res_partner p
                LEFT JOIN pharmacy_patient_medication rx ON rx.patient_id = p.id
               WHERE p.id IN (SELECT id FROM imp_patient WHERE id IS NOT NULL
                              UNION SELECT patient_id FROM imp_prescription WHERE created
                              UNION SELECT patient_id FROM pharmacy_patient_medication
                                     WHERE id IN (SELECT id FROM imp_rx_ids))
               GROUP BY p.id)
            UPDATE res_partner t
               SET (next_due_date, on_controlled_substance, write_uid, write_date) =
                   (g.next_due_date, g.on_controlled_substance, %(uid)s, {now})
              FROM target g
             WHERE t.id = g.id AND (t.next_due_date, t.on_controlled_substance)
                   IS DISTINCT FROM (g.next_due_date, g.on_controlled_substance);
        """.format(now=NOW, expiry=prescription_expiry_date_sql('t.date_written', 'm.schedule'),
                   summary=_rx_summary_sql(
                       'SELECT l.prescription_id, l.fill_date, l.days_supply, l.id AS tie '
                       'FROM pharmacy_fill l WHERE l.counts AND l.prescription_id IN '
                       '(SELECT id FROM imp_rx_ids)',
                       'SELECT rx.id, rx.state, rx.refills_authorized, rx.date_expiry, '
                       'rx.company_id FROM imp_rx_ids x JOIN pharmacy_patient_medication rx '
                       'ON rx.id = x.id')), params)
        # and again once the recompute has written their computed columns: analyzed before
        # it only, the statistics of a first import said every patient's due date was empty,
        # and the patient list "due in 7 days" sorted every patient until autovacuum's next
        # analysis (61 ms instead of 3 ms at 100,000 patients)
        for table in ('pharmacy_patient_medication', 'res_partner'):
            if table in analyzed:
                cr.execute('ANALYZE %s' % table)  # pylint: disable=sql-injection


class _Reader:
    """The file object COPY reads: chunks of the CSV (bytes, or text psycopg2 encodes), with
    ``progress(bytes or characters read, None, 'copy')`` about once a second."""

    def __init__(self, text, progress=None):
        self.text, self.progress = text, progress
        self.done, self.last = 0, 0.0

    def read(self, size=-1):  # pylint: disable=method-required-super
        data = self.text.read(size if size and size > 0 else 65536)
        self.done += len(data)
        now = time.monotonic()
        if self.progress and (now - self.last > 1 or not data):
            self.last = now
            self.progress(self.done, None, 'copy')
        return data

    def readline(self, size=-1):
        return self.text.readline(size)
