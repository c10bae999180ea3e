# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF


class ResPartner(models.Model):
    """The patient's journeys and their paths, for pharmacy staff."""

    _inherit = 'res.partner'

    pharmacy_journey_participant_ids = fields.One2many(
        'pharmacy.journey.participant', 'patient_id', string='Journeys',
        groups=PHARMACY_STAFF)
