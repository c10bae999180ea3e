# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models

from ..tools.letter import LETTER_COUNTRIES

LETTER_REPORT = 'pharmacy_crm_dismissal.pharmacy_dismissal_letter'


class IrActionsReport(models.Model):
    """The dismissal letter is printed on the paper of its pharmacy's country: US Letter in
    the United States (and the other Letter countries), else the company's paper format."""

    _inherit = 'ir.actions.report'

    @api.multi
    def render_qweb_pdf(self, res_ids=None, data=None):
        paper = self._pharmacy_letter_paperformat(res_ids)
        report = self.with_context(pharmacy_paperformat_id=paper.id) if paper else self
        return super(IrActionsReport, report).render_qweb_pdf(res_ids, data=data)

    @api.model
    def _build_wkhtmltopdf_args(self, paperformat_id, landscape,
                                specific_paperformat_args=None, set_viewport_size=False):
        if self.env.context.get('pharmacy_paperformat_id'):
            paperformat_id = self.env['report.paperformat'].browse(
                self.env.context['pharmacy_paperformat_id'])
        return super()._build_wkhtmltopdf_args(
            paperformat_id, landscape, specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size)

    def _pharmacy_letter_paperformat(self, res_ids):
        """The letter's paper format: its own when set on the report, else the letter paper
        of this addon when the pharmacy's company is in a Letter country, else none (Odoo's
        choice: the company's paper format)."""
        if len(self) != 1 or self.report_name != LETTER_REPORT or self.paperformat_id:
            return self.env['report.paperformat']
        records = self.env[self.model].browse(res_ids or [])
        company = records[:1].company_id or self.env.user.company_id
        if company.sudo().country_id.code in LETTER_COUNTRIES:
            return self.env.ref('pharmacy_crm_dismissal.paperformat_letter')
        return self.env['report.paperformat']
