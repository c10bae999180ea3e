# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models

LATEST_PERIOD_SQL = """(SELECT l.date_start, l.date_end FROM pharmacy_adherence l
                         ORDER BY l.date_end DESC, l.date_start LIMIT 1)"""


class ResPartner(models.Model):
    """The value score's adherence part: the share of the patient's classes adherent in the
    latest period (NULL without a row: unknown)."""

    _inherit = 'res.partner'

    @api.model
    def _pharmacy_value_adherence_sql(self):
        return """(SELECT AVG(CASE WHEN a.adherent THEN 1.0 ELSE 0.0 END)
                     FROM pharmacy_adherence a
                    WHERE a.patient_id = p.id
                      AND (a.date_start, a.date_end) = %s)""" % LATEST_PERIOD_SQL
