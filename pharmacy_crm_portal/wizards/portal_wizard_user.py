# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, models


class PortalWizardUser(models.TransientModel):
    _inherit = 'portal.wizard.user'

    def action_apply(self):
        """Odoo's invitation, then a note in the patient's chatter (read by staff only)."""
        result = super().action_apply()
        for wizard_user in self.filtered(lambda w: w.in_portal and w.partner_id.is_patient):
            wizard_user.partner_id.message_post(
                body=_('Invited to the patient portal (%(group)s) by %(user)s, at %(email)s.')
                % {'group': wizard_user.wizard_id.portal_id.name, 'user': self.env.user.name,
                   'email': wizard_user.email},
                message_type='comment', subtype='mail.mt_note')
        return result
