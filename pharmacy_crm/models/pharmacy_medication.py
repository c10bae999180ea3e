# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.sql import table_exists

from ..tools import normalize_ndc
from ..tools.ndc import InvalidNdc

SCHEDULES = [
    ('none', 'Not controlled'),
    ('2', 'Schedule II'),
    ('3', 'Schedule III'),
    ('4', 'Schedule IV'),
    ('5', 'Schedule V'),
]


class PharmacyMedication(models.Model):
    """A drug product of the catalog, identified by its NDC."""

    _name = 'pharmacy.medication'
    _inherit = ['pharmacy.validation.mixin', 'pharmacy.company.rule.mixin']
    _description = 'Medication'
    _order = 'name, strength'

    name = fields.Char(required=True, index=True, help='Name on the label, e.g. Lipitor.')
    generic_name = fields.Char(
        string='Active Ingredient', index=True, help='Generic name, e.g. atorvastatin.')
    strength = fields.Char(help='e.g. 20 mg, 500 mg/5 mL.')
    dosage_form = fields.Selection([
        ('tablet', 'Tablet'),
        ('capsule', 'Capsule'),
        ('solution', 'Oral solution'),
        ('suspension', 'Suspension'),
        ('injection', 'Injection'),
        ('inhaler', 'Inhaler'),
        ('cream', 'Cream / ointment'),
        ('patch', 'Patch'),
        ('drops', 'Drops'),
        ('other', 'Other'),
    ], default='tablet', required=True)
    drug_type = fields.Selection(
        [('brand', 'Brand'), ('generic', 'Generic')], string='Brand or Generic',
        default='generic', required=True)
    manufacturer_id = fields.Many2one(
        'res.partner', ondelete='restrict',
        domain=[('is_company', '=', True)])
    ndc = fields.Char(
        string='NDC', index=True, copy=False,
        help='National Drug Code, stored in the 11-digit 5-4-2 form. 10-digit codes are '
             'accepted with their hyphens (4-4-2, 5-3-2 or 5-4-1) and padded.')
    therapeutic_class_id = fields.Many2one(
        'pharmacy.therapeutic.class', required=True, index=True,
        ondelete='restrict', default=lambda self: self._default_therapeutic_class(),
        help='Reporting counts fills per therapeutic class.')
    is_maintenance = fields.Boolean(
        string='Maintenance', help='Taken long term (a chronic therapy).')
    schedule = fields.Selection(
        SCHEDULES, string='Controlled Substance', default='none', required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        'res.company', index=True,
        help='Leave empty to share the medication between companies.')

    @api.model
    def _default_therapeutic_class(self):
        """The class "other"; none while the module creates its tables (the column is
        filled by the migration to 11.0.1.1.0, see migrations/)."""
        Class = self.env['pharmacy.therapeutic.class']
        if not table_exists(self.env.cr, Class._table):
            return Class
        return Class.search([('code', '=', 'other')], limit=1)

    @api.constrains('ndc', 'company_id')
    def _check_ndc_unique(self):
        """One catalog entry per NDC and company (shared entries count for every company)."""
        for med in self.filtered('ndc'):
            domain = [('ndc', '=', med.ndc), ('id', '!=', med.id)]
            if med.company_id:
                domain += [('company_id', 'in', [med.company_id.id, False])]
            twin = self.sudo().with_context(active_test=False).search(domain, limit=1)
            if twin:
                raise ValidationError(_(
                    'NDC %(ndc)s is already the NDC of %(medication)s. Each drug product is '
                    'entered once in the catalog; archive the old entry if it is wrong.')
                    % {'ndc': med.ndc, 'medication': twin.display_name})

    def name_get(self):
        return [(med.id, ' '.join(filter(None, [med.name, med.strength]))) for med in self]

    @api.constrains('schedule')
    def _check_schedule_allows_refills(self):
        """A new schedule must fit the refills of the medication's active prescriptions."""
        Prescription = self.env['pharmacy.patient.medication'].sudo()
        for med in self.filtered(lambda m: m.schedule != 'none'):
            limit = 0 if med.schedule == '2' else 5
            broken = Prescription.search([('medication_id', '=', med.id),
                                          ('state', '!=', 'discontinued'),
                                          ('refills_authorized', '>', limit)])
            if broken:
                raise ValidationError(_(
                    'Controlled Substance of %(medication)s cannot become %(schedule)s: '
                    'prescriptions %(rx)s have more than %(limit)s refill(s) authorized. '
                    'Discontinue them or correct their refills first.') % {
                        'medication': med.display_name,
                        'schedule': dict(self._fields['schedule']._description_selection(
                            self.env))[med.schedule],
                        'rx': ', '.join(broken.mapped('rx_number')), 'limit': limit})

    @api.model
    def _pharmacy_prepare_vals(self, vals):
        """Store the NDC in its 11-digit form; a malformed NDC is a ValidationError."""
        vals = super()._pharmacy_prepare_vals(vals)
        if vals.get('ndc'):
            try:
                vals['ndc'] = normalize_ndc(vals['ndc'])
            except InvalidNdc as err:
                if err.code == 'ambiguous':
                    raise ValidationError(_(
                        'NDC "%s" is ambiguous: a 10-digit code needs its hyphens (4-4-2, '
                        '5-3-2 or 5-4-1) to know where the padding zero goes.') % err.text)
                raise ValidationError(_(
                    'NDC "%s" is not a National Drug Code: expected 10 digits with hyphens as '
                    '4-4-2, 5-3-2 or 5-4-1 (e.g. 0574-4072-05), or 11 digits as 5-4-2 (e.g. '
                    '00574-4072-05).') % err.text)
        return vals
