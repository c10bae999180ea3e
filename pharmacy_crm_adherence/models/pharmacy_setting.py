# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models

from odoo.addons.pharmacy_crm.models.pharmacy_setting_spec import PharmacySettingSpec

ADHERENCE_THRESHOLD = PharmacySettingSpec(
    'adherence_threshold', 'float', 'Adherence Threshold', 0.8, minimum=0, above_minimum=True,
    maximum=1, digits=2, apply='_apply_adherence_threshold',
    help_text='A patient is adherent for a class when their PDC (proportion of days covered) '
              'is at least this share: more than 0 and at most 1, 0.80 by default (PQA). A new '
              'value applies at once to every stored adherence figure.')


class PharmacySetting(models.AbstractModel):
    """The adherence threshold."""

    _inherit = 'pharmacy.setting'
    _pharmacy_setting_specs = (ADHERENCE_THRESHOLD,)

    @api.model
    def _apply_adherence_threshold(self, threshold):
        """A new threshold reclassifies every stored adherence row."""
        return self.env['pharmacy.adherence']._reclassify(threshold)
