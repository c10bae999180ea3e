# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models
from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF


class ResPartner(models.Model):
    """The patient's id in the dispensing system, the key of the import."""

    _inherit = 'res.partner'
    _pharmacy_validated_fields = ('dispensing_id',)

    dispensing_id = fields.Char(
        string='Dispensing System ID', index=True, copy=False, groups=PHARMACY_STAFF,
        help='The patient\'s id in the dispensing system (PioneerRx, BestRx, ...): the import '
             'of its exports matches the patient by it, then by name and birthdate.')

    _sql_constraints = [
        ('dispensing_id_company_uniq', 'unique(dispensing_id, company_id)',
         'The Dispensing System ID is already the ID of another patient of this pharmacy.'),
    ]
