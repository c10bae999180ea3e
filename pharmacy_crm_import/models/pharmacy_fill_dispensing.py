# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class PharmacyFill(models.Model):
    """The dispensing system's number of a fill: imported fills are matched by their
    prescription's Rx number and this number. The import's fingerprints of the fill
    (``pharmacy.import._imp_skip_unchanged``): a 64-bit hash of the file's line it was last
    checked against, and a 64-bit hash of its values and its records' (prescription, patient,
    prescriber, medication) as that import left them; an unchanged line behind an unchanged
    context is not checked again."""

    _inherit = 'pharmacy.fill'
    _pharmacy_server_fields = ('early_refill_by', 'fill_number', 'import_line_hash',
                               'import_context_hash')

    # no index of its own: the import finds a fill by prescription and fill number, through
    # the unique index below; nothing searches fill numbers alone (an index on it cost
    # every imported fill one more index insertion)
    fill_number = fields.Integer(
        readonly=True, copy=False,
        help='Number of the fill in the dispensing system (1 = first fill): set by the '
             'dispensing import only.')
    import_line_hash = fields.Char(
        readonly=True, copy=False, groups='base.group_system',
        help='Hash of the line of the dispensing export this fill was last checked against '
             '(set by the dispensing import only).')
    import_context_hash = fields.Char(
        readonly=True, copy=False, groups='base.group_system',
        help='Hash of the values of this fill, its prescription, patient, prescriber and '
             'medication as the dispensing import last left them (set by the import only).')

    _sql_constraints = [
        ('fill_number_prescription_uniq', 'unique(prescription_id, fill_number)',
         'This fill number is already used by another fill of the prescription.'),
    ]
