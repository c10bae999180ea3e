# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class PharmacyApiKeyNew(models.TransientModel):
    """A new API key of the user: named, shown once."""

    _name = 'pharmacy.api.key.new'
    _description = 'New API Key'

    name = fields.Char('Used By', help='What will log in with the key, e.g. "Nightly '
                                       'dispensing import".')
    key = fields.Char(readonly=True)

    @api.multi
    def action_generate(self):
        self.ensure_one()
        if not (self.name or '').strip():
            raise UserError(_('Name the API key after what will use it.'))
        key = self.env['pharmacy.api.key']._pharmacy_generate(self.env.user, self.name.strip())
        self.write({'key': key})
        return self._pharmacy_reopen()

    @api.multi
    def action_done(self):
        self.write({'key': False})
        return {'type': 'ir.actions.client', 'tag': 'reload'}

    def _pharmacy_reopen(self):
        return {'type': 'ir.actions.act_window', 'res_model': self._name, 'view_mode': 'form',
                'res_id': self.id, 'target': 'new', 'name': _('New API Key')}
