# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""11.0.1.1.0: check what pre-migrate carried over, once the module is loaded: every
medication has a class and every fill its medication's; log the medications per class."""
import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        SELECT COUNT(*) FROM pharmacy_fill f
          JOIN pharmacy_medication m ON m.id = f.medication_id
         WHERE f.therapeutic_class_id IS DISTINCT FROM m.therapeutic_class_id""")
    mismatched = cr.fetchone()[0]
    cr.execute('SELECT COUNT(*) FROM pharmacy_medication WHERE therapeutic_class_id IS NULL')
    missing = cr.fetchone()[0]
    if missing or mismatched:
        raise RuntimeError('therapeutic classes not migrated: %d medications without a class, '
                           '%d fills with another class than their medication'
                           % (missing, mismatched))
    cr.execute("""
        SELECT c.code, COUNT(m.id) FROM pharmacy_therapeutic_class c
          LEFT JOIN pharmacy_medication m ON m.therapeutic_class_id = c.id
         GROUP BY c.code ORDER BY c.code""")
    _logger.info('therapeutic classes migrated: %s', dict(cr.fetchall()))
