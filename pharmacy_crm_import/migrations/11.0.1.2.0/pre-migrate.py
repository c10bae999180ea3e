# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The import's fingerprints of a fill (``pharmacy_fill.import_line_hash`` and
``import_context_hash``) arrive empty: added here as plain columns, without a default, so
the upgrade does not rewrite the fills. A fill without fingerprint is never skipped: the
first import after the upgrade checks every line in full, as before, and stores them."""


def migrate(cr, version):
    if not version:
        return
    cr.execute('ALTER TABLE pharmacy_fill ADD COLUMN IF NOT EXISTS import_line_hash varchar, '
               'ADD COLUMN IF NOT EXISTS import_context_hash varchar')
