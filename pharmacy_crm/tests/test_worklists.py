# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The daily worklists, searched as their menus do (action domain, list order), and the
counts a manager reads."""
from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_date
from odoo.tools.safe_eval import safe_eval

from .common import PATIENT_PROFILE, PharmacyCase, frozen_clock


class WorklistCase(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.from_string(cls.env['res.company'].pharmacy_today())
        cls.rx_counter = 0

    @classmethod
    def _day(cls, offset):
        """today + offset days, as Odoo writes dates."""
        return fields.Date.to_string(cls.today + timedelta(days=offset))

    @classmethod
    def _patient(cls, name, **values):
        return cls.env['res.partner'].create(dict(PATIENT_PROFILE, name=name, is_patient=True,
                                                  **values))

    @classmethod
    def _rx(cls, patient, written=-100, **values):
        return cls._prescription(patient_id=patient.id, date_written=cls._day(written),
                                 **values)

    def _worklist(self, xmlid, user=None, extra=()):
        """The records the menu's list shows (within this test's patients), in its order."""
        action = self.env.ref(xmlid)
        order = etree.fromstring(action.view_id.arch).get('default_order')
        domain = safe_eval(action.domain) + [('patient_id', 'in', self.patients.ids)] + list(
            extra)
        return self.env[action.res_model].sudo(user or self.technician).search(
            domain, order=order)


class TestDueWorklist(WorklistCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ann, cls.bob = cls._patient('Ann'), cls._patient('Bob')
        cls.left = cls._patient('Left')
        cls.overdue = cls._rx(cls.ann)
        cls._fill(cls.overdue, cls._day(-40))          # due 10 days ago
        cls.due_today = cls._rx(cls.bob)
        cls._fill(cls.due_today, cls._day(-30))        # due today
        cls.tomorrow = cls._rx(cls.bob)
        cls._fill(cls.tomorrow, cls._day(-29))         # due tomorrow
        cls.held = cls._rx(cls.ann)
        cls._fill(cls.held, cls._day(-45))
        cls.held.action_hold()
        cls.never_filled = cls._rx(cls.ann)
        cls.transferred = cls._rx(cls.left)
        cls._fill(cls.transferred, cls._day(-60))
        cls.left._pharmacy_server_write({'patient_state': 'transferred'})
        cls.patients = cls.ann | cls.bob | cls.left

    def test_due_today_and_overdue_oldest_first(self):
        self.assertEqual(self._worklist('pharmacy_crm.pharmacy_patient_medication_action_due'),
                         self.overdue | self.due_today)
        self.assertEqual(self._worklist('pharmacy_crm.pharmacy_patient_medication_action_due')
                         .mapped('next_due_date'), [self._day(-10), self._day(0)])

    def test_the_flag_and_its_negation_agree_with_the_search(self):
        Rx = self.env['pharmacy.patient.medication']
        mine = [('patient_id', 'in', self.patients.ids)]
        due = Rx.search(mine + [('is_due', '=', True)])
        self.assertEqual(due, self.overdue | self.due_today)
        self.assertEqual(Rx.search(mine + [('is_due', '=', False)]), Rx.search(mine) - due)
        self.assertEqual(Rx.search(mine + [('is_due', '!=', True)]), Rx.search(mine) - due)
        self.assertEqual(Rx.search(mine).filtered('is_due'), due)
        renew = Rx.search(mine + [('needs_renewal', '=', True)])
        self.assertEqual(Rx.search(mine + [('needs_renewal', '=', False)]),
                         Rx.search(mine) - renew)
        with self.assertRaisesRegex(UserError, 'searched with "= True" or "= False" only'):
            Rx.search([('is_due', 'in', [True])])

    def test_recording_the_fill_takes_it_off_the_list(self):
        action = self.overdue.action_record_fill()
        Fill = self.env['pharmacy.fill'].sudo(self.technician)
        Fill.with_context(**action['context']).create({'fill_date': self._day(0)})
        self.assertEqual(self._worklist('pharmacy_crm.pharmacy_patient_medication_action_due'),
                         self.due_today)


class TestFillStatus(WorklistCase):
    """A prescription that cannot be filled says so before the click: its stored fill status,
    the Due list without renewals, the dialog's warning and the notification after saving."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cy = cls._patient('Cy')
        cls.patients = cls.cy
        cls.fillable = cls._rx(cls.cy)
        cls._fill(cls.fillable, cls._day(-30))                 # due today, eligible day -6
        cls.too_soon = cls._rx(cls.cy)
        cls._fill(cls.too_soon, cls._day(-10))                 # eligible in 14 days
        # written 400 days ago: expired about a month ago, overdue
        cls.expired = cls._rx(cls.cy, written=-400)
        cls._fill(cls.expired, cls._day(-40))
        cls.used_up = cls._rx(cls.cy, refills_authorized=0)    # one fill, no refill
        cls._fill(cls.used_up, cls._day(-35))
        cls.held = cls._rx(cls.cy)
        cls.held.action_hold()

    def test_status_and_worklists(self):
        rxs = self.fillable | self.too_soon | self.expired | self.used_up | self.held
        self.assertEqual(rxs.mapped('fill_status'),
                         ['fillable', 'too_soon', 'renewal', 'renewal', 'on_hold'])
        user_date = self._day(14)[5:7] + '/' + self._day(14)[8:] + '/' + self._day(14)[:4]
        self.assertEqual(self.too_soon.fill_status_text, 'Too soon until %s' % user_date)
        self.assertEqual(self.used_up.fill_status_text, 'Needs renewal: no refills left')
        self.assertIn('Needs renewal: expired ', self.expired.fill_status_text)
        Rx = self.env['pharmacy.patient.medication']
        self.assertEqual(Rx.search([('patient_id', '=', self.cy.id),
                                    ('fill_status', '=', 'renewal')]),
                         self.expired | self.used_up)
        # overdue but expired or used up: in Renewals Needed, not in Due Today
        self.assertEqual(self._worklist('pharmacy_crm.pharmacy_patient_medication_action_due'),
                         self.fillable)
        self.assertEqual(rxs.filtered('is_due'), self.fillable)
        renewals = self._worklist('pharmacy_crm.pharmacy_patient_medication_action_renewal')
        self.assertTrue(self.expired | self.used_up <= renewals)

    def test_status_follows_the_pharmacy_date(self):
        """The hourly action moves a too-soon prescription to fillable once its date comes,
        set-based, only the rows that change."""
        Rx = self.env['pharmacy.patient.medication']
        noon = fields.Datetime.from_string(self._day(14) + ' 17:00:00')
        with frozen_clock(self.env, noon):
            self.assertGreaterEqual(Rx._pharmacy_refresh_fill_status(), 1)
            self.assertEqual(self.too_soon.fill_status, 'fillable')
            self.assertEqual(Rx._pharmacy_refresh_fill_status(), 0)
            self.assertTrue(Rx._cron_refresh_fill_status())

    def test_dialog_warns_before_and_notifies_after(self):
        Fill = self.env['pharmacy.fill'].sudo(self.technician)
        action = self.too_soon.action_record_fill()
        new = Fill.with_context(**action['context']).new(
            {'prescription_id': self.too_soon.id, 'fill_date': self._day(0)})
        user_date = self._day(14)[5:7] + '/' + self._day(14)[8:] + '/' + self._day(14)[:4]
        self.assertIn('Refill too soon until %s' % user_date, new.fill_warning)
        action = self.expired.action_record_fill()
        new = Fill.with_context(**action['context']).new(
            {'prescription_id': self.expired.id, 'fill_date': self._day(0)})
        self.assertIn('cannot be filled: Needs renewal: expired', new.fill_warning)
        action = self.fillable.action_record_fill()
        new = Fill.with_context(**action['context']).new(
            {'prescription_id': self.fillable.id, 'fill_date': self._day(0)})
        self.assertFalse(new.fill_warning)
        fill = Fill.with_context(**action['context']).create({'fill_date': self._day(0)})
        done = fill.action_fill_recorded()
        due = self._day(30)
        self.assertEqual(done['tag'], 'pharmacy_crm.notify')
        self.assertEqual(done['params']['message'], 'Fill recorded, next due %s/%s/%s'
                         % (due[5:7], due[8:], due[:4]))
        self.assertEqual(self.fillable.fill_status, 'too_soon')


class TestPickupWorklist(WorklistCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ann, cls.bob = cls._patient('Ann'), cls._patient('Bob')
        cls.patients = cls.ann | cls.bob

        def fill(patient, day, state, **values):
            return cls._fill(cls._rx(patient), cls._day(day), state=state, **values)
        cls.ready_10 = fill(cls.ann, -10, 'ready')
        cls.filled_8 = fill(cls.bob, -8, 'filled')
        cls.ready_7 = fill(cls.bob, -7, 'ready')       # 7 days: not more than 7
        cls.ready_2 = fill(cls.ann, -2, 'ready')
        cls.picked_up = fill(cls.ann, -20, 'picked_up', pickup_date=cls._day(-19))
        cls.returned = fill(cls.bob, -20, 'returned')

    def _waiting(self):
        """The list with its filter Waiting Too Long (the search view's domain)."""
        return self._worklist('pharmacy_crm.pharmacy_fill_action_pickup',
                              extra=[('waiting_too_long', '=', True)])

    def test_every_fill_not_picked_up_oldest_first(self):
        self.assertEqual(self._worklist('pharmacy_crm.pharmacy_fill_action_pickup').ids,
                         [self.ready_10.id, self.filled_8.id, self.ready_7.id,
                          self.ready_2.id])

    def test_its_filter_waiting_too_long_more_than_7_days(self):
        self.assertEqual(self._waiting().ids, [self.ready_10.id, self.filled_8.id])

    def test_picked_up_in_one_click_takes_it_off_the_list(self):
        self.ready_2.sudo(self.technician).action_pick_up()
        self.assertEqual(self.ready_2.state, 'picked_up')
        self.assertEqual(self.ready_2.pickup_date, self._day(0))
        self.assertNotIn(self.ready_2,
                         self._worklist('pharmacy_crm.pharmacy_fill_action_pickup'))

    def test_the_record_name_says_rx_drug_and_date_in_the_users_format(self):
        self.env.user.lang = 'en_US'
        self.assertEqual(self.ready_10.display_name, 'Rx %s – %s, %s' % (
            self.ready_10.prescription_id.rx_number,
            self.ready_10.medication_id.display_name,
            format_date(self.env, self.ready_10.fill_date)))
        self.assertRegex(self.ready_10.display_name, r', \d\d/\d\d/\d{4}$')

    def test_the_number_of_days_is_a_system_parameter(self):
        Param = self.env['ir.config_parameter']
        Param.set_param('pharmacy_crm.pickup_reminder_days', '3')
        self.assertEqual(self._waiting().ids,
                         [self.ready_10.id, self.filled_8.id, self.ready_7.id])
        self.assertEqual(self.ready_7.waiting_too_long, True)
        self.assertEqual(self.ready_2.waiting_too_long, False)
        Setting = self.env['pharmacy.setting']
        self.assertEqual(Setting.get('pickup_reminder_days'), 3)
        for value in ('0', 'seven', '-2', '366', '2.5', ' '):   # refused, even by hand
            with self.assertRaisesRegex(ValidationError, 'Waiting for Pickup After must be a '
                                                         'whole number of days from 1 to 365'):
                Param.set_param('pharmacy_crm.pickup_reminder_days', value)
            self.assertEqual(Setting.get('pickup_reminder_days'), 3, value)
        Param.set_param('pharmacy_crm.pickup_reminder_days', ' 30 ')
        self.assertEqual(Param.get_param('pharmacy_crm.pickup_reminder_days'), '30')
        self.assertEqual(Setting.get('pickup_reminder_days'), 30)

    def test_the_flag_and_its_negation_agree_with_the_search(self):
        Fill = self.env['pharmacy.fill']
        mine = [('patient_id', 'in', self.patients.ids)]
        waiting = Fill.search(mine + [('waiting_too_long', '=', True)])
        self.assertEqual(waiting, self.ready_10 | self.filled_8)
        self.assertEqual(Fill.search(mine + [('waiting_too_long', '=', False)]),
                         Fill.search(mine) - waiting)
        self.assertEqual(Fill.search(mine).filtered('waiting_too_long'), waiting)

    def test_return_to_stock_takes_it_off_the_list(self):
        self.ready_10.sudo(self.technician).action_return_to_stock()
        self.assertEqual(self._waiting(), self.filled_8)


class TestRenewalWorklist(WorklistCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ann, cls.bob = cls._patient('Ann'), cls._patient('Bob')
        cls.patients = cls.ann | cls.bob
        cls.no_refills = cls._rx(cls.ann, refills_authorized=0)
        cls._fill(cls.no_refills, cls._day(-20))
        cls.last_refill_used = cls._rx(cls.bob, refills_authorized=1)
        cls._fill(cls.last_refill_used, cls._day(-60))
        cls._fill(cls.last_refill_used, cls._day(-25))
        cls.expiring = cls._rx(cls.ann, written=-340)              # expires in 25 or 26 days
        cls.expired = cls._rx(cls.bob, written=-400)
        cls.benzo = cls._rx(cls.bob, written=-160, medication_id=cls.alprazolam.id)  # 6 months
        cls.fine = cls._rx(cls.ann, refills_authorized=5)
        cls._fill(cls.fine, cls._day(-20))
        cls.never_filled = cls._rx(cls.ann, refills_authorized=0)
        cls.held = cls._rx(cls.bob, written=-350, state='on_hold')

    def test_renewals_by_expiry_date(self):
        found = self._worklist('pharmacy_crm.pharmacy_patient_medication_action_renewal')
        self.assertEqual(found.ids, [self.expired.id, self.benzo.id, self.expiring.id,
                                     self.no_refills.id, self.last_refill_used.id])
        self.assertTrue(all(found.mapped('needs_renewal')))
        self.assertFalse((self.fine | self.never_filled | self.held).filtered('needs_renewal'))

    def test_the_list_shows_the_prescribers_phone_and_fax(self):
        action = self.env.ref('pharmacy_crm.pharmacy_patient_medication_action_renewal')
        names = [node.get('name') for node in etree.fromstring(action.view_id.arch).iter()
                 if node.tag in ('field', 'button')]
        self.assertEqual(names[-4:], ['prescriber_id', 'prescriber_phone', 'prescriber_fax',
                                      'action_call_prescriber'])
        [rx] = self.no_refills.sudo(self.technician).read(['prescriber_phone', 'prescriber_fax'])
        self.assertEqual((rx['prescriber_phone'], rx['prescriber_fax']),
                         ('+1 555-0100-1234', '+1 555-0100-9999'))


class TestCounts(WorklistCase):
    """What a manager counts: fills per day and class, active patients per month; no sum of
    days supply or refills."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ann, cls.bob = cls._patient('Ann'), cls._patient('Bob')
        cls.patients = cls.ann | cls.bob
        cls.statin = cls._prescription(patient_id=cls.ann.id, date_written='2024-01-02')
        cls.benzo = cls._prescription(patient_id=cls.ann.id, date_written='2024-01-02',
                                      medication_id=cls.alprazolam.id, days_supply=90)
        cls.bob_statin = cls._prescription(patient_id=cls.bob.id, date_written='2024-01-02')
        cls._fill(cls.statin, '2024-01-05')
        cls._fill(cls.benzo, '2024-01-05', days_supply=90)
        cls._fill(cls.statin, '2024-02-04')
        cls._fill(cls.bob_statin, '2024-02-10')
        cls._fill(cls.bob_statin, '2024-03-11', state='returned')

    def test_fills_per_day_and_therapeutic_class(self):
        groups = self.env['pharmacy.fill'].sudo(self.manager).read_group(
            [('patient_id', 'in', self.patients.ids), ('counts', '=', True)],
            ['therapeutic_class_id', 'days_supply'], ['therapeutic_class_id'])
        self.assertEqual(
            [(g['therapeutic_class_id'][1], g['therapeutic_class_id_count'], g['days_supply'])
             for g in groups],
            [('Statins', 3, 30), ('Other', 1, 90)])   # days supply: the average, not a sum
        days = self.env['pharmacy.fill'].read_group(
            [('patient_id', 'in', self.patients.ids)], ['fill_date'], ['fill_date:day'])
        self.assertEqual([(g['fill_date:day'], g['fill_date_count']) for g in days],
                         [('05 Jan 2024', 2), ('04 Feb 2024', 1), ('10 Feb 2024', 1),
                          ('11 Mar 2024', 1)])

    def test_prescription_groups_do_not_add_up_refills_or_days(self):
        [group] = self.env['pharmacy.patient.medication'].read_group(
            [('patient_id', '=', self.ann.id)],
            ['patient_id', 'days_supply', 'refills_authorized', 'refills_remaining', 'quantity',
             'fill_count'], ['patient_id'])
        self.assertEqual((group['days_supply'], group['fill_count']), (60, 3))
        self.assertFalse({'refills_authorized', 'refills_remaining', 'quantity'} & set(group))

    def test_active_patients_per_month(self):
        Report = self.env['pharmacy.active.patient.report'].sudo(self.manager)
        rows = Report.search_read([('patient_id', 'in', self.patients.ids)],
                                  ['month', 'patient_id', 'fill_count'], order='month, patient_id')
        self.assertEqual([(r['month'], r['patient_id'][0], r['fill_count']) for r in rows], [
            ('2024-01-01', self.ann.id, 2),
            ('2024-02-01', self.ann.id, 1),
            ('2024-02-01', self.bob.id, 1),   # March: Bob's fill was returned
        ])
        months = Report.read_group([('patient_id', 'in', self.patients.ids)], ['month'],
                                   ['month:month'])
        self.assertEqual([(g['month:month'], g['month_count']) for g in months],
                         [('January 2024', 1), ('February 2024', 2)])
        with self.assertRaises(AccessError):
            self.env['pharmacy.active.patient.report'].sudo(self.technician).search([])
