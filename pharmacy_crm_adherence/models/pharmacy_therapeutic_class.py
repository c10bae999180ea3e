# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class PharmacyTherapeuticClass(models.Model):
    """Which classes adherence measures: the Pharmacy Quality Alliance's three (statins, RAS
    antagonists, diabetes non-insulin) at install, more as managers choose."""

    _inherit = 'pharmacy.therapeutic.class'

    measure_adherence = fields.Boolean(
        help='Adherence (PDC) is computed for the patients filling medications of this class.')
