# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models

from .pharmacy_phi_mixin import PHARMACY_STAFF

# Onboarding tours of the apps pharmacy_crm depends on. The CRM tour's first tip points at
# the CRM menu of the top bar and covers the title of every screen below it (Odoo 11 shows
# tours to the administrator only).
OTHER_APP_TOURS = ('crm_tour', 'mail_tour')


class WebTourTour(models.Model):
    """Pharmacy staff never get the onboarding tours of other apps over pharmacy screens."""

    _inherit = 'web_tour.tour'

    @api.model
    def get_consumed_tours(self):
        consumed = super().get_consumed_tours()
        if self.env.user.has_group(PHARMACY_STAFF):
            consumed += [name for name in OTHER_APP_TOURS if name not in consumed]
        return consumed
