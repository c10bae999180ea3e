# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, fields, models

PQA_CLASSES = ('statin', 'ras_antagonist', 'diabetes_non_insulin')


class PharmacyTherapeuticClass(models.Model):
    """Which classes adherence measures: the Pharmacy Quality Alliance's three (statins, RAS
    antagonists, diabetes non-insulin) at install, more as managers choose."""

    _inherit = 'pharmacy.therapeutic.class'

    measure_adherence = fields.Boolean(
        help='Adherence (PDC) is computed for the patients filling medications of this class.')

    @api.model
    def _mark_pqa_classes(self):
        """At install (data, before the demo computes figures): the classes the Pharmacy
        Quality Alliance measures are measured, where nobody has chosen yet (NULL), so that a
        database that had the column before (adherence moved out of pharmacy_crm) keeps the
        manager's choice. Returns the number of classes set."""
        self.env.cr.execute(
            "UPDATE pharmacy_therapeutic_class SET measure_adherence = (code = ANY(%s)) "
            "WHERE measure_adherence IS NULL", [list(PQA_CLASSES)])
        self.invalidate_cache(['measure_adherence'])
        return self.env.cr.rowcount
