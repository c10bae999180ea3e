# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""11.0.1.1.0: adherence in percent for the Trends pivot. adherent_share becomes 100 (was 1)
for an adherent row; the new stored pdc_percent = pdc x 100 is filled here, in SQL, before
the ORM would compute it row by row."""


def migrate(cr, version):
    if not version:
        return
    cr.execute('UPDATE pharmacy_adherence SET adherent_share = 100 WHERE adherent_share = 1')
    cr.execute('ALTER TABLE pharmacy_adherence ADD COLUMN IF NOT EXISTS pdc_percent numeric')
    cr.execute('UPDATE pharmacy_adherence SET pdc_percent = pdc * 100')
