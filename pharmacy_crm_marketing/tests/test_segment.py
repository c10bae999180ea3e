# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Segments: membership of each criterion on constructed patients, each exclusion counted,
the list synced before a mailing, clinical segments for pharmacy staff only."""
from odoo.exceptions import AccessError, UserError

from odoo.addons.pharmacy_crm.tests.common import frozen_clock

from ..models.mass_mailing import MAILING_CONTACT, MAILING_LIST
from ..tools.segments import shown_profile_rows
from .common import MarketingCase

# 15:00 UTC on 2025-03-10: 11:00 in New York, the same day
NOW = '2025-03-10 15:00:00'


class TestSegment(MarketingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env['res.partner']
        cls.no_email = Partner.create({
            'name': 'Mkt No Email', 'is_patient': True, 'email': 'mkt.no address',
            'birthdate_date': '1970-03-20', 'allergies': 'Penicillin'})
        cls._consent(cls.no_email, 'granted')
        cls.staff_marketer = cls._user('staffmkt', cls.group_technician)
        cls.staff_marketer.groups_id |= cls.env.ref('mass_mailing.group_mass_mailing_user')
        cls.statin = cls.env.ref('pharmacy_crm.therapeutic_class_statin')
        # granted takes a statin, filled 100 days before NOW (lapsed); silent a month ago
        cls.rx_granted = cls._prescription(patient_id=cls.patients['granted'].id,
                                           date_written='2024-11-01')
        cls._fill(cls.rx_granted, '2024-11-30')
        lisinopril = cls.env['pharmacy.medication'].create(
            {'name': 'Lisinopril', 'strength': '10 mg'})
        cls.rx_silent = cls._prescription(patient_id=cls.patients['silent'].id,
                                          medication_id=lisinopril.id, date_written='2024-11-01')
        cls._fill(cls.rx_silent, '2025-02-20')

    def _segment(self, user=None, **values):
        vals = {'name': 'Test segment',
                'partner_domain': "[('email', 'ilike', 'mkt.')]"}
        vals.update(values)
        return self.env['pharmacy.segment'].sudo(user or self.marketer).create(vals)

    def _counts(self, segment):
        return (segment.member_count, segment.excluded_left, segment.excluded_archived,
                segment.excluded_no_email, segment.excluded_opted_out,
                segment.excluded_no_consent)

    def test_birthday_this_month_members_and_every_exclusion_counted(self):
        segment = self._segment(birthday_this_month=True)
        self.assertFalse(segment.is_clinical)
        with frozen_clock(self.env, NOW):
            action = segment.action_sync()
        # born in March: every "Mkt" patient; members: granted only
        self.assertEqual(self._counts(segment), (1, 1, 1, 1, 2, 1))
        # the user sees the result: the members, the counts in the title
        self.assertEqual((action['res_model'], action['domain']),
                         (MAILING_CONTACT, [('pharmacy_segment_id', '=', segment.id)]))
        self.assertIn('1 members, 6 excluded', action['name'])
        # made by the sync: the list offers no Create
        tree = self.env['ir.ui.view'].browse(action['views'][0][0])
        self.assertIn('create="false"', tree.arch)
        contacts = segment.list_id.sudo(self.marketer).contact_nbr
        self.assertEqual(contacts, 1)
        member = self.env[MAILING_CONTACT].search([('pharmacy_segment_id', '=', segment.id)])
        self.assertEqual((member.email, member.pharmacy_patient_id),
                         ('mkt.granted@example.com', self.patients['granted']))
        with frozen_clock(self.env, '2025-04-10 15:00:00'):
            segment.action_sync()
        self.assertEqual(self._counts(segment), (0, 0, 0, 0, 0, 0))
        self.assertFalse(self.env[MAILING_CONTACT].search(
            [('pharmacy_segment_id', '=', segment.id)]))

    def test_lapsed_and_new_patients(self):
        self._consent(self.patients['silent'], 'granted')
        lapsed = self._segment(lapsed_days=90)
        new = self._segment(new_within_days=30)
        with frozen_clock(self.env, NOW):
            (lapsed | new).action_sync()
        self.assertEqual(lapsed.member_count, 1)       # granted: last fill 100 days ago
        self.assertEqual(self.env[MAILING_CONTACT].search(
            [('pharmacy_segment_id', '=', new.id)]).pharmacy_patient_id, self.patients['silent'])

    def test_clinical_segment_is_for_pharmacy_staff_only(self):
        with self.assertRaises(AccessError):
            self._segment(therapeutic_class_id=self.statin.id)
        with self.assertRaises(AccessError):
            self._segment(partner_domain="[('prescription_ids.medication_id.name', '=', 'X')]")
        segment = self._segment(user=self.staff_marketer, therapeutic_class_id=self.statin.id)
        self.assertTrue(segment.is_clinical)
        with frozen_clock(self.env, NOW):
            segment.action_sync()
        self.assertEqual(segment.member_count, 1)
        # marketing-only: neither the segment, its list nor its members
        for record in (segment, segment.list_id,
                       self.env[MAILING_CONTACT].search([('pharmacy_segment_id', '=',
                                                          segment.id)])):
            with self.assertRaises(AccessError):
                record.sudo(self.marketer).read(['name'])
        self.assertFalse(self.env[MAILING_LIST].sudo(self.marketer).search(
            [('id', '=', segment.list_id.id)]))
        # a mailing to it: only staff who are marketing users send it
        mailing = self._mailing(
            user=self.staff_marketer,
            mailing_model_id=self.env.ref('mass_mailing.model_mail_mass_mailing_list').id,
            contact_list_ids=[(6, 0, segment.list_id.ids)],
            mailing_domain="[('list_ids', 'in', %s), ('opt_out', '=', False)]"
            % segment.list_id.ids)
        self.assertEqual(mailing.sudo(self.marketer).total, 0)   # no count for marketing
        with self.assertRaises(AccessError):
            mailing.sudo(self.marketer).send_mail()
        with self.captured_mail() as sent, frozen_clock(self.env, NOW):
            mailing.sudo(self.staff_marketer).send_mail()
        self.assertEqual(sent, ['mkt.granted@example.com'])

    def test_a_mailing_to_a_contact_segment_syncs_it_first(self):
        segment = self._segment(birthday_this_month=True)
        mailing = self._mailing(
            mailing_model_id=self.env.ref('mass_mailing.model_mail_mass_mailing_list').id,
            contact_list_ids=[(6, 0, segment.list_id.ids)],
            mailing_domain="[('list_ids', 'in', %s), ('opt_out', '=', False)]"
            % segment.list_id.ids)
        with self.captured_mail() as sent, frozen_clock(self.env, NOW):
            mailing.sudo(self.marketer).send_mail()
        self.assertEqual(sent, ['mkt.granted@example.com'])
        self.assertEqual(segment.member_count, 1)

    def test_a_raw_domain_on_clinical_fields_is_refused_for_marketing(self):
        mailing = self._mailing(mailing_domain="[('allergies', 'ilike', 'pen')]")
        self.assertEqual(mailing.sudo(self.marketer).total, 0)
        with self.assertRaises(AccessError):
            mailing.sudo(self.marketer).put_in_queue()

    def test_value_scores_stored_set_based_and_best_customers(self):
        with frozen_clock(self.env, NOW):
            self.env['res.partner']._pharmacy_compute_value_scores()
            # granted: last fill 100 days ago, 1 fill in 12 months, 1 maintenance rx, tenure
            # 100 days: (30 x 265/365 + 25/24 + 20/4 + 15 x 100/1095) / 90 x 100 = 32.44
            # silent: 18 days, 1 fill, no maintenance rx, 18 days:
            # (30 x 347/365 + 25/24 + 15 x 18/1095) / 90 x 100 = 33.12
            self.assertEqual((self.patients['granted'].pharmacy_value_score,
                              self.patients['silent'].pharmacy_value_score,
                              self.plain.pharmacy_value_score), (32.44, 33.12, 0.0))
            segment = self._segment(user=self.staff_marketer, top_percent=100)
            self.assertTrue(segment.is_clinical)
            segment.action_sync()
        self.assertEqual(self.env[MAILING_CONTACT].search(
            [('pharmacy_segment_id', '=', segment.id)]).pharmacy_patient_id,
            self.patients['granted'])
        # what they have in common: granted, born 1970 (55 in 2025: 45 to 59), takes a statin
        with frozen_clock(self.env, NOW):
            rows = segment._pharmacy_profile_rows()
        with self.assertRaises(AccessError):
            self.patients['granted'].sudo(self.marketer).read(['pharmacy_value_score'])
        self.assertEqual(rows[:2], [('Age', '45 to 59', 1, 100.0),
                                    ('Therapeutic class', self.statin.name, 1, 100.0)])
        # one member: "in common" would be that patient's profile, so it is not shown
        with frozen_clock(self.env, NOW):
            profile = segment.sudo(self.staff_marketer).members_profile
        self.assertNotIn('45 to 59', profile)
        self.assertIn('1 members, fewer than 5', profile)
        with self.assertRaisesRegex(UserError, 'fewer than 5'):
            segment.sudo(self.staff_marketer).action_view_profile()
        # from the minimum on, rows shared by fewer members than it are hidden
        self.env['ir.config_parameter'].set_param('pharmacy_crm_marketing.profile_min_members',
                                                  '1')
        segment.invalidate_cache()
        with frozen_clock(self.env, NOW):
            profile = segment.sudo(self.staff_marketer).members_profile
        self.assertIn('45 to 59', profile)
        self.assertEqual(shown_profile_rows(
            [('Age', 'Under 30', 6, 60.0), ('Age', '30 to 44', 4, 40.0)], 10),
            ([('Age', 'Under 30', 6, 60.0)], 1))
        self.assertEqual(shown_profile_rows([('Age', 'Under 30', 4, 100.0)], 4), (None, 1))
        with self.assertRaises(AccessError):
            segment.sudo(self.marketer).read(['members_profile'])

    def test_pharmacy_manager_without_marketing_sees_no_marketing_button(self):
        """A pharmacy manager (staff, not marketing) opening a segment: no Sync Now nor
        mailing list on the form; the member count, whose list answers clearly (not an access
        error) what is needed."""
        manager = self.manager
        segment = self._segment()
        arch = self.env['pharmacy.segment'].sudo(manager).fields_view_get(
            view_type='form')['arch']
        for name in ('action_sync', 'list_id'):   # hidden by groups=
            self.assertRegex(arch, 'name="%s"[^>]* invisible="1"' % name)
        self.assertNotRegex(arch, 'name="action_view_profile"[^>]* invisible="1"')
        for method in ('action_sync', 'action_view_members'):
            with self.assertRaisesRegex(UserError, 'Email Marketing access'):
                getattr(segment.sudo(manager), method)()
