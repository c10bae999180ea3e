# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, fields, models

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF

# not adherent in the class in the latest period computed (the greatest period end, and of
# those the longest period: pharmacy.adherence's "Latest Period")
NON_ADHERENT_SQL = """EXISTS (
    SELECT 1 FROM pharmacy_adherence a
     WHERE a.patient_id = p.id AND a.class_id = %s AND NOT a.adherent
       AND (a.date_start, a.date_end) = (SELECT l.date_start, l.date_end
                                           FROM pharmacy_adherence l
                                          ORDER BY l.date_end DESC, l.date_start LIMIT 1))"""


class PharmacySegment(models.Model):
    """Patients not adherent in a therapeutic class in the latest period: clinical."""

    _inherit = 'pharmacy.segment'

    non_adherent_class_id = fields.Many2one(
        'pharmacy.therapeutic.class', string='Not Adherent in Class', groups=PHARMACY_STAFF,
        help='Patients whose adherence (PDC) in this class is below the threshold in the '
             'latest period computed.')

    @api.model
    def _pharmacy_clinical_fields(self):
        return super()._pharmacy_clinical_fields() + ['non_adherent_class_id']

    def _pharmacy_criteria(self):
        criteria = super()._pharmacy_criteria()
        if self.non_adherent_class_id:
            criteria.append((NON_ADHERENT_SQL, [self.non_adherent_class_id.id]))
        return criteria
