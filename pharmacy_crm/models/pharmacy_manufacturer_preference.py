# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class PharmacyManufacturerPreference(models.Model):
    """The manufacturer to dispense for one medication, and who requires it."""

    _name = 'pharmacy.manufacturer.preference'
    _inherit = ['pharmacy.patient.record.mixin']
    _description = 'Preferred Manufacturer'
    _pharmacy_never_delete = False   # a preference list: technicians remove lines
    _order = 'patient_id, id'

    # a line of the contact's preferences (the patient record mixin's patient, any contact)
    patient_id = fields.Many2one(ondelete='cascade', domain=[])
    medication_id = fields.Many2one(
        'pharmacy.medication', required=True, ondelete='restrict',
        help='The medication (by active ingredient and strength) this preference is for.')
    manufacturer_id = fields.Many2one(
        'res.partner', required=True, ondelete='restrict',
        domain=[('is_company', '=', True)])
    required_by = fields.Selection(
        [('patient', 'Patient'), ('insurer', 'Insurer')], required=True, default='patient',
        help='Whether the patient asks for it or the insurer requires it.')
    note = fields.Char()

    _sql_constraints = [
        ('patient_medication_uniq', 'unique(patient_id, medication_id)',
         'The patient already has a preferred manufacturer for this medication.'),
    ]

    def name_get(self):
        """Patient - medication: manufacturer, e.g. "Sandra Tran – Atorvastatin 20 mg:
        Greenstone"."""
        return [(pref.id, '%s – %s: %s' % (
            pref.patient_id.name or '', pref.medication_id.display_name or '',
            pref.manufacturer_id.display_name or '')) for pref in self]
