# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class CrmStage(models.Model):
    """The pharmacy pipeline's stages (data) are marked, so that the pharmacy's kanban shows
    them, whichever company's pharmacy team it shows, and the sales teams' kanbans do not."""

    _inherit = 'crm.stage'

    is_pharmacy = fields.Boolean(string='Pharmacy Stage',
                                 help='A stage of the pharmacy pipeline.')
