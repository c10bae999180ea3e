# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, models


class CrmLead(models.Model):
    """A request from the transfer page becomes a transfer-in lead of the pharmacy team of the
    website's company, from the source "Pharmacy website" through the medium Website; the
    server decides all of that, never the form."""

    _inherit = 'crm.lead'

    @api.model
    def website_form_input_filter(self, request, values):
        values = super().website_form_input_filter(request, values)
        if getattr(request, 'pharmacy_transfer', False):
            company = request.website.company_id
            values.update({
                'name': _('Transfer in: %s') % (values.get('contact_name') or _('website')),
                'type': 'opportunity',
                'pharmacy_work_type': 'transfer_in',
                'team_id': self.env['crm.team']._pharmacy_team(company).id,
                'user_id': False,
                'source_id': self.env.ref(
                    'pharmacy_crm_pipeline.utm_source_pharmacy_website').id,
                'medium_id': self.env.ref('utm.utm_medium_website').id,
            })
        return values
