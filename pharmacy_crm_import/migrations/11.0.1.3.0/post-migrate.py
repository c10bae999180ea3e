# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The queued file of a dispensing import is kept compressed (``file_gzip``, with the size
of the file as uploaded): the files of queued imports move from the former column ``file``
(base64 of the file), which is dropped with the copies of imported files it may still hold."""
import base64
import gzip

import psycopg2


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT 1 FROM information_schema.columns "
               "WHERE table_name = 'pharmacy_import_log' AND column_name = 'file'")
    if not cr.fetchone():
        return
    cr.execute("SELECT id FROM pharmacy_import_log WHERE file IS NOT NULL AND state = 'queued'")
    for (log_id,) in cr.fetchall():
        cr.execute('SELECT file FROM pharmacy_import_log WHERE id = %s', [log_id])
        data = base64.b64decode(bytes(cr.fetchone()[0]))
        cr.execute('UPDATE pharmacy_import_log SET file_gzip = %s, file_size = %s WHERE id = %s',
                   [psycopg2.Binary(base64.b64encode(gzip.compress(data, compresslevel=1))),
                    len(data), log_id])
    cr.execute('ALTER TABLE pharmacy_import_log DROP COLUMN file')
