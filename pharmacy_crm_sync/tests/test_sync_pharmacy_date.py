# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Due Together (an SQL view) reads the pharmacy's date through its SQL twin, frozen here."""
from odoo.addons.pharmacy_crm.tests.common import PharmacyCase, frozen_clock, utc


class TestSyncPharmacyDate(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref('base.main_company').pharmacy_tz = 'America/New_York'
        cls.env['ir.config_parameter'].set_param('pharmacy_crm.sync_due_window_days', '7')

    def test_due_together_view_reads_the_frozen_pharmacy_date(self):
        """Due Together lists prescriptions due from 7 days before the pharmacy's today."""
        patient = self.env['res.partner'].create({
            'name': 'Due Together', 'is_patient': True, 'birthdate_date': '1950-01-01',
            'nkda': True})
        for number in (1, 2):
            rx = self._prescription(patient_id=patient.id, date_written='2026-09-01',
                                    rx_number='TOGETHER%d' % number)
            self._fill(rx, '2026-10-28')   # due on 27 November
        View = self.env['pharmacy.sync.due.together']
        with frozen_clock(self.env, utc('2026-12-05 04:30')):   # New York: 4 December
            self.assertTrue(View.search([('patient_id', '=', patient.id)]))
        with frozen_clock(self.env, utc('2026-12-05 05:30')):   # New York: 5 December
            self.assertFalse(View.search([('patient_id', '=', patient.id)]))
