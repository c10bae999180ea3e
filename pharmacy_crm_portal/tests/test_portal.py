# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Caregivers in force on the pharmacy's dates, refill requests one per prescription and
pharmacy day, refusals, and what a portal patient reads with their own rights. The pharmacy
is on America/New_York: on 2026-03-10 (after the DST change of 03-08) it is UTC-4."""
from odoo.exceptions import AccessError

from odoo.addons.pharmacy_crm.tests.common import PATIENT_PROFILE, PharmacyCase, frozen_clock


class TestPortal(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.company_id.partner_id.tz = 'America/New_York'
        group = cls.env.ref('pharmacy_crm_portal.group_pharmacy_portal')
        Partner = cls.env['res.partner']
        cls.child = Partner.create(dict(PATIENT_PROFILE, name='Kid Test', is_patient=True))
        cls.carer = Partner.create({'name': 'Carer Test', 'email': 'carer@example.com'})
        cls.carer_user = cls.env['res.users'].create({
            'login': 'pharmacy_test_carer', 'partner_id': cls.carer.id,
            'groups_id': [(6, 0, [group.id])]})
        cls.patient.email = 'pat@example.com'
        cls.patient_user = cls.env['res.users'].create({
            'login': 'pharmacy_test_pat', 'partner_id': cls.patient.id,
            'groups_id': [(6, 0, [group.id])]})
        cls.env['pharmacy.portal.delegation'].create({
            'patient_id': cls.child.id, 'delegate_id': cls.carer.id,
            'date_start': '2026-03-10', 'date_end': '2026-03-12'})
        cls.rx_child = cls._prescription(patient_id=cls.child.id)
        cls.rx = cls._prescription(date_written='2026-01-02')
        cls._fill(cls.rx, '2026-02-01')

    def test_a_caregiver_reads_the_dependant_while_the_delegation_is_in_force(self):
        Partner = self.env['res.partner']
        Rx = self.env['pharmacy.patient.medication'].sudo(self.carer_user)
        for moment, in_force in (('2026-03-10 03:30:00', False),   # 03-09 23:30 in New York
                                 ('2026-03-10 04:30:00', True),    # 03-10 00:30
                                 ('2026-03-13 03:30:00', True),    # 03-12 23:30
                                 ('2026-03-13 04:30:00', False)):  # 03-13 00:30
            with frozen_clock(self.env, moment):
                expected = [self.carer.id] + ([self.child.id] if in_force else [])
                self.assertEqual(Partner._pharmacy_portal_patient_ids(self.carer.id),
                                 expected, moment)
                self.assertEqual(Rx.search([]), self.rx_child if in_force else Rx.browse(),
                                 moment)
                self.assertEqual(Partner.sudo(self.carer_user)._pharmacy_portal_patients(),
                                 self.child if in_force else Partner.browse(), moment)

    def test_one_request_per_prescription_and_pharmacy_day(self):
        Request = self.env['pharmacy.refill.request'].sudo(self.patient_user)
        with frozen_clock(self.env, '2026-03-11 03:30:00'):     # 03-10 23:30 in New York
            refusal, first = Request._pharmacy_request_refill(self.rx)
        self.assertFalse(refusal)
        self.assertEqual((first.request_date, first.state, first.source),
                         ('2026-03-10', 'new', 'portal'))
        with frozen_clock(self.env, '2026-03-11 03:45:00'):
            self.assertEqual(Request._pharmacy_request_refill(self.rx), (False, first))
        with frozen_clock(self.env, '2026-03-11 04:30:00'):     # 03-11 00:30
            _refusal, second = Request._pharmacy_request_refill(self.rx)
        self.assertNotEqual(second, first)
        self.assertEqual(second.request_date, '2026-03-11')
        self.assertEqual(self.rx.fill_count, 1)     # never a fill
        with self.assertRaises(AccessError):
            Request._pharmacy_request_refill(self.rx_child)

    def test_refusals(self):
        Request = self.env['pharmacy.refill.request'].sudo(self.patient_user)
        held = self._prescription(date_written='2026-01-02')
        held.action_hold()
        expired = self._prescription(date_written='2025-01-02')   # expired on 2026-01-02
        last = self._prescription(date_written='2026-01-02', refills_authorized=0)
        self._fill(last, '2026-02-01')
        with frozen_clock(self.env, '2026-03-11 15:00:00'):
            for rx, code, renewal in ((held, 'held', False), (expired, 'expired', True),
                                      (last, 'no_refills', True)):
                self.assertEqual(Request._pharmacy_request_refill(rx)[0], code)
                tasks = rx.activity_ids.filtered(
                    lambda a: a.summary == 'Renewal requested by the patient')
                self.assertEqual(len(tasks), 1 if renewal else 0, code)
            # asked again: still one renewal task
            Request._pharmacy_request_refill(last)
        self.assertEqual(len(last.activity_ids), 1)
        self.assertFalse(self.env['pharmacy.refill.request'].search(
            [('prescription_id', 'in', (held | expired | last).ids)]))
