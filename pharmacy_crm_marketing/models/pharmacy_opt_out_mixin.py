# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models


class PharmacyOptOutMixin(models.AbstractModel):
    """A record whose ``opt_out`` is someone's unsubscribe (a contact, a mailing contact):
    setting it refuses the email marketing consent of the patients it stands for, through the
    model's ``_pharmacy_refuse_email_marketing``. The consent's own changes write ``opt_out``
    back under the context key ``pharmacy_consent_sync``, which does not loop."""

    _name = 'pharmacy.opt.out.mixin'
    _description = 'Opt-out that Reaches Consent'

    @api.model
    def create(self, vals):
        record = super().create(vals)
        if vals.get('opt_out') and not self.env.context.get('pharmacy_consent_sync'):
            record._pharmacy_refuse_email_marketing()
        return record

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if vals.get('opt_out') and not self.env.context.get('pharmacy_consent_sync'):
            self._pharmacy_refuse_email_marketing()
        return result
