# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""An active patient enrolled in refill sync is "synced" in the lifecycle report; after a
drop-out, active again."""
from datetime import timedelta

from odoo import fields

from odoo.addons.pharmacy_crm.tests.common import PATIENT_PROFILE, PharmacyCase
from odoo.addons.pharmacy_crm_sync.models.pharmacy_sync_enrollment import DROPOUT_REASONS


class TestSynced(PharmacyCase):

    def test_an_enrolled_active_patient_is_synced(self):
        company = self.env['res.company'].create({
            'name': 'Synced Test Pharmacy', 'parent_id': self.env.ref('base.main_company').id})
        today = fields.Date.from_string(company.pharmacy_today())
        patient = self.env['res.partner'].create(dict(
            PATIENT_PROFILE, name='Synced Patient', is_patient=True, company_id=company.id))
        rx = self._prescription(patient_id=patient.id, date_written=fields.Date.to_string(
            today - timedelta(days=45)))
        self._fill(rx, fields.Date.to_string(today - timedelta(days=40)))
        month = fields.Date.to_string(today.replace(day=1))

        def states():
            self.env['pharmacy.lifecycle.report'].invalidate_cache()
            return {row.state: row.patient_count for row in self.env[
                'pharmacy.lifecycle.report'].search([('company_id', '=', company.id),
                                                     ('month', '=', month)])}
        self.assertEqual(states(), {'active': 1})
        enrollment = self.env['pharmacy.sync.enrollment'].create({
            'patient_id': patient.id, 'sync_rule': 'cycle', 'cycle_days': 28,
            'anchor_date': fields.Date.to_string(today + timedelta(days=20)),
            'consent_source': 'in_store'})
        self.assertEqual(states(), {'synced': 1})
        enrollment.dropout_reason = DROPOUT_REASONS[0][0]
        enrollment._pharmacy_server_write({'state': 'dropped'})   # dropped out today
        self.assertEqual(states(), {'active': 1})
