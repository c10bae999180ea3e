# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.second_factor import valid_pin


class PharmacyPinSetup(models.TransientModel):
    """The user's switch PIN: 4 to 8 digits typed twice, stored with the password hash."""

    _name = 'pharmacy.pin.setup'
    _description = 'Switch PIN'

    pin = fields.Char('New PIN', help='4 to 8 digits; empty: no PIN (login and password '
                                      'only).')
    pin_confirm = fields.Char('Confirm PIN')

    @api.multi
    def action_save(self):
        self.ensure_one()
        if self.pin != self.pin_confirm:
            raise UserError(_('The two PINs differ: type the same PIN twice.'))
        if self.pin and not valid_pin(self.pin):
            raise UserError(_('A switch PIN is 4 to 8 digits.'))
        self.env.user.sudo()._pharmacy_set_pin(self.pin or None)
        self.write({'pin': False, 'pin_confirm': False})
        return {'type': 'ir.actions.act_window_close'}
