# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models


class CrmTeam(models.Model):
    """A "Pharmacy" sales team per pharmacy (company): its leads are the pharmacy's pipeline,
    readable by the pharmacy staff of that company only (see ``crm.lead``)."""

    _inherit = 'crm.team'

    is_pharmacy = fields.Boolean(
        string='Pharmacy Team', readonly=True,
        help="The pharmacy's own pipeline: its leads hold patient data.")

    @api.model
    def _pharmacy_team(self, company):
        """The pharmacy team of ``company``, created when it has none."""
        team = self.sudo().with_context(active_test=False).search(
            [('is_pharmacy', '=', True), ('company_id', '=', company.id)], limit=1)
        if not team:
            team = self.sudo().create({
                'name': _('Pharmacy'), 'is_pharmacy': True, 'company_id': company.id,
                'use_leads': False, 'use_opportunities': True})
        return team

    @api.model
    def _pharmacy_create_teams(self):
        """One pharmacy team per company (install, and each new company). Returns True."""
        for company in self.env['res.company'].sudo().search([]):  # pylint: disable=no-search-all
            self._pharmacy_team(company)
        return True
