# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, models

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_MANAGER
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today


class CrmLead(models.Model):
    """A request from the transfer page becomes a transfer-in lead of the pharmacy team of the
    website's company, from the source "Pharmacy website" through the medium Website; the
    server decides all of that, never the form. The team is told: a To Do for its leader, who
    follows the lead."""

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

    def _pharmacy_web_request_todo(self):
        """A transfer request from the website, for the pharmacy team: a To Do due today
        ("call back") for the team's leader, else the pharmacy's first manager, who follows
        the lead (staff find it without watching the kanban). Returns the activity."""
        self.ensure_one()
        lead = self.sudo()
        user = lead.team_id.user_id
        if not user.has_group(PHARMACY_MANAGER) or lead.company_id not in user.company_ids:
            user = self.env['res.users'].sudo().search([
                ('groups_id', 'in', self.env.ref(PHARMACY_MANAGER).id), ('share', '=', False),
                ('company_ids', 'in', lead.company_id.ids)], order='id', limit=1)
        if user:
            lead.message_subscribe(partner_ids=user.partner_id.ids)
        return self.env['mail.activity'].sudo().create({
            'res_model_id': self.env['ir.model']._get_id(self._name), 'res_id': lead.id,
            'activity_type_id': self.env.ref('mail.mail_activity_data_todo').id,
            'summary': _('Call back: transfer request from the website'),
            'user_id': user.id or self.env.ref('base.user_root').id,
            'date_deadline': pharmacy_today(lead),
        })
