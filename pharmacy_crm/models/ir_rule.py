# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models


class IrRule(models.Model):
    """The company rules name the user's companies once.

    Odoo 11 caches each user's rule domain but expands a ``child_of`` leaf at every search
    (one query per level of companies, per model searched or read: a patient form read it 28
    times). The pharmacy's company rules use ``pharmacy_company_ids`` instead: the user's
    company and its children (``res.company._pharmacy_company_family``), computed when the
    domain is computed and cached with it. The same records are visible: a new child company,
    a changed parent or a user's new company clears Odoo's caches, as it does for the
    ``user.company_id.id`` the domains already held.
    """

    _inherit = 'ir.rule'

    @api.model
    def _eval_context(self):
        context = super()._eval_context()
        context['pharmacy_company_ids'] = list(
            self.env['res.company']._pharmacy_company_family(self.env.user.company_id.id))
        return context
