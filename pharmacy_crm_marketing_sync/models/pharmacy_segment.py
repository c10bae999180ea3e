# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF

# an open enrollment: enrolled or paused (as res.partner.sync_state)
ENROLLED_SQL = """EXISTS (SELECT 1 FROM pharmacy_sync_enrollment e
                           WHERE e.patient_id = p.id AND e.state IN ('enrolled', 'paused'))"""
# 3+ active maintenance prescriptions and no open enrollment: candidates for refill sync
SYNC_CANDIDATE_SQL = """NOT %s AND (
    SELECT COUNT(*) FROM pharmacy_patient_medication m
      JOIN pharmacy_medication d ON d.id = m.medication_id
     WHERE m.patient_id = p.id AND m.active AND m.state = 'active' AND d.is_maintenance
    ) >= 3""" % ENROLLED_SQL


class PharmacySegment(models.Model):
    """Refill sync criteria: clinical."""

    _inherit = 'pharmacy.segment'

    sync_enrolled = fields.Boolean(
        string='Enrolled in Refill Sync', groups=PHARMACY_STAFF,
        help='Patients with an open refill sync enrollment (enrolled or paused).')
    sync_candidate = fields.Boolean(
        string='3+ Maintenance Medications, Not Enrolled', groups=PHARMACY_STAFF,
        help='Patients with three or more active maintenance prescriptions and no open '
             'refill sync enrollment.')

    @api.model
    def _pharmacy_clinical_fields(self):
        return super()._pharmacy_clinical_fields() + ['sync_enrolled', 'sync_candidate']

    def _pharmacy_criteria(self):
        criteria = super()._pharmacy_criteria()
        if self.sync_enrolled:
            criteria.append((ENROLLED_SQL, []))
        if self.sync_candidate:
            criteria.append((SYNC_CANDIDATE_SQL, []))
        return criteria

    def _pharmacy_profile_rows(self):
        """Also: how many members are enrolled in refill sync."""
        rows = super()._pharmacy_profile_rows()
        members = self._pharmacy_member_ids()
        if members:
            self.env.cr.execute(
                'SELECT COUNT(*) FROM res_partner p WHERE p.id = ANY(%%s) AND %s'
                % ENROLLED_SQL, [members])
            count = self.env.cr.fetchone()[0]   # before _(), which may query the cursor
            rows.append((_('Refill sync'), _('Enrolled'), count, 100.0 * count / len(members)))
        return rows
