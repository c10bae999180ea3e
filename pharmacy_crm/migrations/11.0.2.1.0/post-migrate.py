# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""11.0.2.1.0: supply on hand carries over. The next due date of every active prescription
becomes the run-out of its counted fills (``tools.dates.supply_run_out``, its SQL twin), and
the patient's the earliest of their active prescriptions', as the ORM computes them; the new
stored fill status is computed by the ORM at this update (a new stored field)."""
import logging

from odoo.addons.pharmacy_crm.tools.dates import supply_run_out_sql

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        WITH chain AS (
          SELECT prescription_id, max(run_out) AS run_out FROM (
            SELECT f.prescription_id, {run_out} AS run_out
              FROM pharmacy_fill f WHERE f.counts) c
           GROUP BY prescription_id)
        UPDATE pharmacy_patient_medication t SET next_due_date = c.run_out
          FROM chain c
         WHERE t.id = c.prescription_id AND t.state = 'active'
           AND t.next_due_date IS DISTINCT FROM c.run_out""".format(
        run_out=supply_run_out_sql('f.fill_date', 'f.days_supply', 'f.prescription_id')))
    prescriptions = cr.rowcount
    cr.execute("""
        WITH target AS (
          SELECT patient_id, min(next_due_date) FILTER (WHERE active) AS next_due_date
            FROM pharmacy_patient_medication GROUP BY patient_id)
        UPDATE res_partner p SET next_due_date = g.next_due_date
          FROM target g
         WHERE p.id = g.patient_id AND p.next_due_date IS DISTINCT FROM g.next_due_date""")
    _logger.info('supply on hand carried over: %d prescriptions and %d patients due later',
                 prescriptions, cr.rowcount)
