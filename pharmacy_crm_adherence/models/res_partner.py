# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models
from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF
from odoo.tools import html_escape


class ResPartner(models.Model):
    """A patient's adherence figures and their PDC badges."""

    _inherit = 'res.partner'
    _pharmacy_server_fields = ('adherence_ids', 'adherence_badges')

    adherence_ids = fields.One2many(
        'pharmacy.adherence', 'patient_id', readonly=True,
        groups=PHARMACY_STAFF)
    adherence_badges = fields.Html(
        string='PDC', compute='_compute_adherence_badges', sanitize=False,
        groups=PHARMACY_STAFF,
        help='PDC per therapeutic class of the latest period computed: green when adherent.')

    def _compute_adherence_badges(self):
        """One badge per class of the patient's rows of the latest period (one search)."""
        Adherence = self.env['pharmacy.adherence']
        rows = Adherence.search([('patient_id', 'in', self.ids), ('is_latest', '=', True)],
                                order='class_id') if self.ids else Adherence
        for partner in self:
            partner.adherence_badges = ' '.join(
                '<span class="label label-%s o_pharmacy_pdc_badge" title="%s">%s %.0f%%</span>'
                % ('success' if row.adherent else 'danger',
                   html_escape('%s .. %s' % (row.date_start, row.date_end)),
                   html_escape(row.class_id.name), row.pdc * 100)
                for row in rows if row.patient_id == partner) or False
