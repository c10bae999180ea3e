# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import base64
import time

from markupsafe import Markup
from reportlab.graphics import renderSVG
from reportlab.graphics.barcode import createBarcodeDrawing

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.second_factor import new_totp_secret, provisioning_uri, totp_step


def qr_code_img(text):
    """An ``<img>`` of a QR code of ``text`` (SVG inline), drawn by the server with reportlab
    (as Odoo's barcodes; SVG because reportlab's PNG needs a cairo backend we do not have):
    the secret never travels in a URL."""
    drawing = createBarcodeDrawing('QR', value=text, width=220, height=220)
    svg = renderSVG.drawToString(drawing).encode('utf-8')
    return Markup('<img class="o_pharmacy_totp_qr" alt="QR code" '
                  'src="data:image/svg+xml;base64,%s"/>') % base64.b64encode(svg).decode()


class PharmacyTotpSetup(models.TransientModel):
    """Set up two-factor login from the preferences: scan the QR code (or type the secret)
    in an authenticator app, confirm with its code; the recovery codes are then shown once.
    A wizard is its creator's alone (transient records)."""

    _name = 'pharmacy.totp.setup'
    _description = 'Two-Factor Login Setup'

    state = fields.Selection([('scan', 'Scan'), ('codes', 'Recovery Codes')], default='scan',
                             readonly=True)
    secret = fields.Char(readonly=True, default=lambda self: new_totp_secret(),
                         help='Type it in the app when it cannot scan the QR code.')
    qr_code = fields.Html('QR Code', compute='_compute_qr_code', sanitize=False)
    code = fields.Char(help='The six digits the app shows now.')
    recovery_codes = fields.Text(readonly=True)

    @api.depends('secret')
    def _compute_qr_code(self):
        issuer = self.env.user.company_id.name or 'Pharmacy CRM'
        for wizard in self:
            wizard.qr_code = wizard.secret and str(qr_code_img(
                provisioning_uri(wizard.secret, self.env.user.login, issuer)))

    @api.multi
    def action_confirm(self):
        """The code proves the app holds the secret: two-factor login is on, with new
        recovery codes (shown once, then only their hashes are kept)."""
        self.ensure_one()
        step = self.secret and totp_step(self.secret, self.code, time.time())
        if step is None or not self.secret:
            raise UserError(_('The code does not match: type the six digits the app shows '
                              'now (check that the phone\'s clock is right).'))
        user = self.env.user.sudo()
        user._pharmacy_set_totp(self.secret, step)
        codes = user._pharmacy_new_recovery_codes()
        self.write({'state': 'codes', 'secret': False, 'code': False,
                    'recovery_codes': '\n'.join(codes)})
        return self._pharmacy_reopen()

    @api.multi
    def action_done(self):
        """The codes were written down: they are shown no more."""
        self.write({'recovery_codes': False})
        return {'type': 'ir.actions.act_window_close'}

    def _pharmacy_reopen(self):
        return {'type': 'ir.actions.act_window', 'res_model': self._name, 'view_mode': 'form',
                'res_id': self.id, 'target': 'new', 'name': _('Two-Factor Login')}
