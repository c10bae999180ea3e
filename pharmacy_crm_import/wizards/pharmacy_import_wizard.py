# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, fields, models

from ..tools import dispensing_csv


class PharmacyImportWizard(models.TransientModel):
    """Upload a dispensing export: it is queued and imported in the background."""

    _name = 'pharmacy.import.wizard'
    _description = 'Import Dispensing Data'

    file = fields.Binary(required=True)
    file_name = fields.Char()
    columns = fields.Text(
        readonly=True, default=lambda self: self._default_columns(),
        help='The columns the first line of the file names (any order).')

    def _default_columns(self):
        return _('Required: %(required)s.\nOptional: %(optional)s.') % {
            'required': ', '.join(dispensing_csv.REQUIRED),
            'optional': ', '.join(dispensing_csv.OPTIONAL)}

    def action_queue(self):
        """Queue the file and open its import log (counts and refused rows once it ran)."""
        self.ensure_one()
        log = self.env['pharmacy.import.log'].create({
            'name': self.file_name or 'dispensing.csv', 'file': self.file})
        cron = self.env.ref('pharmacy_crm_import.ir_cron_pharmacy_import', raise_if_not_found=False)
        if cron:   # run at the cron thread's next check instead of the next interval
            cron.sudo().write({'nextcall': fields.Datetime.now()})
        return {
            'type': 'ir.actions.act_window', 'res_model': 'pharmacy.import.log',
            'res_id': log.id, 'view_mode': 'form', 'target': 'current',
        }
