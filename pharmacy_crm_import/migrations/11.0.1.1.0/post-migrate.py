# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The queued file of a dispensing import moves from the attachment store (shared between
identical contents, written in place) into the log's own row (``pharmacy_import_log.file``)."""
import psycopg2

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    attachments = env['ir.attachment'].search([
        ('res_model', '=', 'pharmacy.import.log'), ('res_field', '=', 'file')])
    for attachment in attachments:
        cr.execute('UPDATE pharmacy_import_log SET file = %s WHERE id = %s',
                   [psycopg2.Binary(attachment.datas or b''), attachment.res_id])
    attachments.unlink()
