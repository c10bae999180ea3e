# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""A damaged file is refused whole, through the log as a manager runs it: its kind of failure,
a sentence naming the problem, the file's own line (the header is line 1) and what to do; the
database unchanged; no traceback nor warning in the server log. And the file read is the file
uploaded (its sha256)."""
import base64
import gzip
import hashlib
import html
import io
import zipfile
from unittest import mock

from ..models import pharmacy_import, pharmacy_import_log
from .test_dispensing_import import row
from ..tools import dispensing_file
from ..tools.dispensing_csv import to_bytes as csv_bytes
from odoo.addons.pharmacy_crm.tests.common import PharmacyCase


class TestDamagedFiles(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env['res.company'].create({'name': 'Damaged Files Pharmacy'})
        cls.manager.write({'company_ids': [(4, cls.company.id)], 'company_id': cls.company.id})
        # three good rows: lines 2 to 4
        cls.good = csv_bytes([
            row(), row(fill_number='2', fill_date='2026-02-04', pickup_date='2026-02-05'),
            row(rx_number='DMG2', fill_date='2026-01-07', pickup_date='2026-01-08')])

    def _database(self):
        self.env.cr.execute("""
            SELECT (SELECT count(*) FROM res_partner), (SELECT max(write_date) FROM res_partner),
                   (SELECT count(*) FROM pharmacy_medication),
                   (SELECT count(*) FROM pharmacy_patient_medication),
                   (SELECT max(write_date) FROM pharmacy_patient_medication),
                   (SELECT count(*) FROM pharmacy_fill),
                   (SELECT count(*) FROM pharmacy_import_error)
        """)
        return self.env.cr.fetchone()

    def _run(self, data):
        log = self.env['pharmacy.import.log'].sudo(self.manager).create(
            {'name': 'fills.csv', 'file': base64.b64encode(data)})
        log.action_run_now()
        return log

    def _run_refused(self, data):
        """Run ``data``: the log and the calls of the importer's and the log's loggers."""
        with mock.patch.object(pharmacy_import, '_logger') as importer, \
                mock.patch.object(pharmacy_import_log, '_logger') as log_model:
            log = self._run(data)
        return log, importer.mock_calls + log_model.mock_calls

    def _refused(self, data, code, *fragments):
        """Run ``data``: refused with ``code``, its failure holds each of ``fragments``."""
        before = self._database()
        log, output = self._run_refused(data)
        self.assertEqual((log.state, log.failure_code, log.row_count), ('failed', code, 0),
                         log.failure)
        for fragment in fragments:
            self.assertIn(fragment, log.failure)
        self.assertEqual(self._database(), before)
        # logged at INFO (or DEBUG), never a warning, an error or a traceback
        self.assertTrue(output)
        self.assertEqual({call[0] for call in output} - {'info', 'debug', 'log'}, set(), output)
        self.assertIn(log.failure, html.unescape(log.message_ids[0].body))
        return log

    def test_good_file_is_imported(self):
        """The reference: the same rows whole are imported."""
        log = self._run(self.good)
        self.assertEqual((log.state, log.row_count, log.fill_new), ('done', 3, 3))

    def test_cut_in_the_last_field(self):
        self._refused(self.good[:-3], 'truncated', 'cut at line 4', 'no line break',
                      'nothing was imported')

    def test_cut_mid_line(self):
        lines = self.good.split(b'\n')
        cut = b'\n'.join(lines[:3] + [lines[3][:40]])
        self._refused(cut, 'truncated', 'cut at line 4')
        # the same with a line break: fewer values than the header names
        self._refused(cut + b'\n', 'truncated', 'cut at line 4', 'fewer values')

    def test_wrong_number_of_values_in_the_middle(self):
        lines = self.good.split(b'\n')
        lines[2] = lines[2] + b',extra'
        self._refused(b'\n'.join(lines), 'field_count', 'Line 3 has 29 values',
                      'names 28 columns')

    def test_what_copy_would_read(self):
        """Lines PostgreSQL's COPY would read without an error are refused as Python's
        strict reader refuses them (the whole check runs when ``simple_quotes`` does not
        hold, or when COPY reads another number of rows than the file has lines)."""
        lines = self.good.split(b'\n')
        quoted = list(lines)
        # COPY reads "DMG1"x as DMG1x; a quote must end its value
        quoted[2] = b'"DMG1"x' + quoted[2][quoted[2].index(b','):]
        self._refused(b'\n'.join(quoted), 'quote', 'Line 3 has a quoted value')
        # COPY stops at a line \. (its end-of-data marker): one value, not 28
        marker = lines[:2] + [b'\\.'] + lines[2:]
        self._refused(b'\n'.join(marker), 'field_count', 'Line 3 has 1 values')
        # a doubled quote inside a quoted value: read in full by both readers
        doubled = list(lines)
        doubled[1] = doubled[1].replace(b',NKDA,', b',"penicillin ""severe""",', 1)
        self.assertIn(b'""severe""', doubled[1])
        log = self._run(b'\n'.join(doubled))
        self.assertEqual((log.state, log.row_count), ('done', 3))
        # blank lines at the end (COPY reads the rows without them)
        log = self._run(self.good + b'\r\n\n')
        self.assertEqual((log.state, log.row_count), ('done', 3))

    def test_simple_quotes(self):
        """The text on which COPY and Python's strict CSV reader read the same values."""
        for text, simple in (('a,b\n', True), ('"a","b, c"\r\n', True), ('a,"",b\n', True),
                             ('a,"x\ny",b\n', True), ('a,"b"x\n', False),
                             ('a,b"c\n', False), ('a, "b"\n', False), ('a,"b""c"\n', False),
                             ('a,"b\n', False), ('a,"x,"y\n', False), ('"a"\r"b"\n', False)):
            self.assertEqual(dispensing_file.simple_quotes(text), simple, text)

    def test_random_bytes(self):
        # 3,200 bytes as random as a hash's (a NUL byte among them)
        data = b''.join(hashlib.sha256(b'%d' % i).digest() for i in range(100))
        log = self._refused(data, 'binary', 'Line ', 'binary data', 'CSV UTF-8')
        self.assertIn('Line %d ' % (data[:data.index(b'\x00')].count(b'\n') + 1), log.failure)
        # bytes that are not UTF-8 nor NUL: the line, the byte and what to do
        self._refused(self.good + b'\x81\x01\x02 junk\n', 'not_utf8', 'Line 5 is not UTF-8',
                      'byte 0x81', 'Export the file as CSV UTF-8')

    def test_utf16(self):
        self._refused(self.good.decode().encode('utf-16'), 'utf16', 'UTF-16',
                      'CSV UTF-8 (Comma delimited)')

    def test_latin1(self):
        data = csv_bytes([row(), row(patient_id='D9', last_name='Muñoz', rx_number='L2')])
        self._refused(data.decode().encode('latin-1'), 'latin1', 'Line 3 is not UTF-8', '"ñ"',
                      'byte 0xF1', 'Latin-1', 'Export the file as CSV UTF-8')

    def test_xlsx_and_zip(self):
        xlsx, archive = io.BytesIO(), io.BytesIO()
        with zipfile.ZipFile(xlsx, 'w') as book:
            book.writestr('[Content_Types].xml', '<Types/>')
            book.writestr('xl/workbook.xml', '<workbook/>')
        with zipfile.ZipFile(archive, 'w') as files:
            files.writestr('fills.csv', self.good)
        self._refused(xlsx.getvalue(), 'xlsx', 'Excel workbook (.xlsx)', 'CSV UTF-8')
        self._refused(archive.getvalue(), 'zip', 'zip archive', 'extract')

    def test_empty_and_header_only(self):
        self._refused(b'', 'empty', 'empty (0 bytes)', 'CSV UTF-8')
        self._refused(csv_bytes([]), 'no_rows', 'header line and no row')

    def test_line_numbers_are_the_files(self):
        """A value quoted over two lines (lines 2-3): the refused row after it is line 4, and
        a byte order mark (Excel's CSV UTF-8) is read as UTF-8."""
        data = csv_bytes([row(allergies='penicillin\nsulfa'), row(rx_number='Q2', ndc='1')])
        log = self._run(b'\xef\xbb\xbf' + data)
        self.assertEqual([(e.line, e.reason_code) for e in log.error_ids],
                         [(4, 'ndc_invalid')])

    def test_file_not_the_one_uploaded(self):
        log = self.env['pharmacy.import.log'].sudo(self.manager).create(
            {'name': 'fills.csv', 'file': base64.b64encode(self.good)})
        before = self._database()
        self.env.cr.execute('UPDATE pharmacy_import_log SET file_gzip = %s WHERE id = %s',
                            [base64.b64encode(gzip.compress(self.good[:-30] + b'\n')), log.id])
        log.invalidate_cache()
        log.action_run_now()
        self.assertEqual((log.state, log.failure_code), ('failed', 'checksum'))
        self.assertIn('not the file that was uploaded', log.failure)
        self.assertEqual(self._database(), before)
