# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import models


class PharmacyLifecycleMixin(models.AbstractModel):
    """An active patient is *synced* from the day they enrolled in refill sync until the day
    they dropped out (a paused enrollment still counts: the patient stays enrolled). The
    lifecycle views are created again when this addon is installed (their models inherit
    this one)."""

    _inherit = 'pharmacy.lifecycle.mixin'

    def _lifecycle_synced_sql(self):
        return ('SELECT e.patient_id, e.enrolled_on AS date_from, '
                "CASE WHEN e.state = 'dropped' THEN COALESCE(e.dropout_date, e.enrolled_on) "
                'END AS date_to FROM pharmacy_sync_enrollment e')
