# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models

from .pharmacy_server_fields_mixin import DATA_LOAD, DataLoad


class IrModelData(models.Model):
    """The records of the modules' data and demo files are created in the state they
    describe (a prescription already discontinued, a patient transferred out): their state
    fields are the server's (``DataLoad``), not a client's write."""

    _inherit = 'ir.model.data'

    @api.model
    def _update(self, model, module, values, xml_id=False, store=True, noupdate=False,
                mode='init', res_id=False):
        return super(IrModelData, self.with_context(**{DATA_LOAD: DataLoad()}))._update(
            model, module, values, xml_id=xml_id, store=store, noupdate=noupdate, mode=mode,
            res_id=res_id)
