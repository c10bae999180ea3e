# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models


class PharmacyMedication(models.Model):
    """The drug adherence follows."""

    _inherit = 'pharmacy.medication'

    def _adherence_drug_key(self):
        """The drug of adherence (PDC): the active ingredient lower-cased, so that a brand and
        its generic are one drug; the name when there is no active ingredient."""
        self.ensure_one()
        return (self.generic_name or self.name).lower()
