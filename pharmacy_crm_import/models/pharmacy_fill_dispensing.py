# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class PharmacyFill(models.Model):
    """The dispensing system's number of a fill: imported fills are matched by their
    prescription's Rx number and this number."""

    _inherit = 'pharmacy.fill'
    _pharmacy_server_fields = ('early_refill_by', 'fill_number')

    fill_number = fields.Integer(
        readonly=True, index=True, copy=False,
        help='Number of the fill in the dispensing system (1 = first fill): set by the '
             'dispensing import only.')

    _sql_constraints = [
        ('fill_number_prescription_uniq', 'unique(prescription_id, fill_number)',
         'This fill number is already used by another fill of the prescription.'),
    ]
