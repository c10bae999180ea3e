# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The monthly PDC run takes its period from the pharmacy's date, not UTC's."""
from odoo import fields

from odoo.addons.pharmacy_crm.tests.common import PharmacyCase, frozen_clock, utc


class TestAdherencePharmacyDate(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref('base.main_company').pharmacy_tz = 'America/New_York'

    def test_scheduled_actions_use_the_pharmacy_date(self):
        """The monthly PDC run at 04:30 UTC on 1 December is still 30 November in New York:
        its 12 months end on 31 October; from 05:00 UTC they end on 30 November."""
        Adherence = self.env['pharmacy.adherence']
        with frozen_clock(self.env, utc('2026-12-01 04:30')):
            self.assertEqual(Adherence._rolling_period(),
                             (fields.Date.from_string('2025-11-01'),
                              fields.Date.from_string('2026-10-31')))
        with frozen_clock(self.env, utc('2026-12-01 05:00')):
            self.assertEqual(Adherence._rolling_period(),
                             (fields.Date.from_string('2025-12-01'),
                              fields.Date.from_string('2026-11-30')))
