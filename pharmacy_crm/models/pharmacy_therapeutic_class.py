# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class PharmacyTherapeuticClass(models.Model):
    """A therapeutic class of the catalog (statins, RAS antagonists, ...).

    Statins, RAS antagonists and non-insulin diabetes drugs are data of the module (codes
    ``statin``, ``ras_antagonist``, ``diabetes_non_insulin``) with ``other``; managers add
    more (e.g. beta blockers). Reporting counts fills per class.
    """

    _name = 'pharmacy.therapeutic.class'
    _inherit = ['pharmacy.validation.mixin']
    _description = 'Therapeutic Class'
    _order = 'sequence, name'

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, help='Stable key of the class, used by imports (e.g. statin).')
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ('code_unique', 'UNIQUE(code)',
         'Code of a therapeutic class must be unique: another class has it.'),
    ]
