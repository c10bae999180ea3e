# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Double opt-in: nothing recorded before the confirmation link; a known patient's consent
granted (source web, the pharmacy's date) after it; an address several patients share grants
nobody; an expired or used link confirms nothing. (Over HTTP: tests/test_signup_http.py.)"""
import re

from odoo.tests.common import SavepointCase

from odoo.addons.pharmacy_crm.tests.common import PATIENT_PROFILE, frozen_clock

from ..models.pharmacy_signup_request import VALID_HOURS

LINK = re.compile(r'/newsletter/confirm/([\w-]+)')


class TestSignupRequest(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.list = cls.env['mail.mass_mailing.list'].create(
            {'name': 'Signup Test News', 'pharmacy_website_offered': True})
        cls.company = cls.env.ref('base.main_company')
        Partner = cls.env['res.partner']
        cls.patient = Partner.create(dict(PATIENT_PROFILE, name='Sig Known', is_patient=True,
                                          email='sig.known@example.com'))
        # a family sharing one address
        cls.twins = Partner.browse([Partner.create(dict(
            PATIENT_PROFILE, name='Sig Twin %d' % i, is_patient=True,
            email='sig.family@example.com')).id for i in (1, 2)])
        cls.Signup = cls.env['pharmacy.signup.request']

    def _sign_up(self, email):
        """Sign ``email`` up; returns the token of the confirmation mail."""
        self.assertTrue(self.Signup._pharmacy_request(
            email, False, self.list, self.company, 'https://pharmacy.example.com'))
        mail = self.env['mail.mail'].search([('email_to', '=', email.lower())],
                                            order='id desc', limit=1)
        self.assertIn('https://pharmacy.example.com/newsletter/confirm/', mail.body_html)
        # what is kept before the confirmation, and for how long the link works
        self.assertIn('We keep only this request', mail.body_html)
        self.assertNotIn('nothing is', mail.body_html)
        return LINK.search(mail.body_html).group(1)

    def _consent(self, patient):
        return self.env['pharmacy.consent'].search([
            ('patient_id', '=', patient.id), ('channel', '=', 'email'),
            ('purpose', '=', 'marketing')])

    def _contacts(self, email):
        return self.env['mail.mass_mailing.contact'].search([
            ('list_ids', 'in', self.list.ids), ('email', '=ilike', email)])

    def test_consent_only_after_confirmation_dated_by_the_pharmacy(self):
        # 02:00 UTC is still the previous day in New York
        with frozen_clock(self.env, '2025-06-02 02:00:00'):
            token = self._sign_up('Sig.Known@Example.com')
            self.assertFalse(self._consent(self.patient))
            self.assertFalse(self._contacts('sig.known@example.com'))
            # a second request within the hour mails nothing more
            mails = self.env['mail.mail'].search_count(
                [('email_to', '=', 'sig.known@example.com')])
            self.Signup._pharmacy_request('sig.known@example.com', False, self.list,
                                          self.company, 'https://pharmacy.example.com')
            self.assertEqual(self.env['mail.mail'].search_count(
                [('email_to', '=', 'sig.known@example.com')]), mails)
        with frozen_clock(self.env, '2025-06-02 03:00:01'):
            # an hour later: a new request mails a new link
            self.Signup._pharmacy_request('sig.known@example.com', False, self.list,
                                          self.company, 'https://pharmacy.example.com')
            self.assertEqual(self.env['mail.mail'].search_count(
                [('email_to', '=', 'sig.known@example.com')]), mails + 1)
            self.Signup._pharmacy_find(token)._pharmacy_confirm()
        line = self._consent(self.patient)
        self.assertEqual((line.state, line.source, line.date), ('granted', 'web', '2025-06-01'))
        self.assertEqual(len(self._contacts('sig.known@example.com')), 1)
        self.assertFalse(self.Signup._pharmacy_find(token), 'a link works once')

    def test_shared_address_grants_nobody_and_expired_link_nothing(self):
        with frozen_clock(self.env, '2025-06-02 12:00:00'):
            token = self._sign_up('sig.family@example.com')
            self.Signup._pharmacy_find(token)._pharmacy_confirm()
        self.assertFalse(self._consent(self.twins[0]) | self._consent(self.twins[1]))
        self.assertEqual(len(self._contacts('sig.family@example.com')), 1)
        with frozen_clock(self.env, '2025-06-02 12:00:00'):
            token = self._sign_up('sig.stranger@example.com')
        # valid VALID_HOURS = 72 hours: until 2025-06-05 12:00 UTC
        self.assertEqual(VALID_HOURS, 72)
        with frozen_clock(self.env, '2025-06-05 11:59:00'):
            self.assertTrue(self.Signup._pharmacy_find(token))
        with frozen_clock(self.env, '2025-06-05 12:00:01'):
            self.assertFalse(self.Signup._pharmacy_find(token))
        self.assertFalse(self.Signup._pharmacy_find('not-a-token'))
        # a segment's list is not a newsletter
        segment = self.env['pharmacy.segment'].create({'name': 'Sig segment'})
        self.assertFalse(self.Signup._pharmacy_request(
            'sig.stranger@example.com', False, segment.list_id, self.company,
            'https://pharmacy.example.com'))
        self.assertFalse(self._contacts('sig.stranger@example.com'))
        # a list not offered on the website (e.g. imported contacts) is no newsletter either
        imported = self.env['mail.mass_mailing.list'].create({'name': 'Sig Imported'})
        self.assertFalse(imported.pharmacy_website_offered)
        self.assertFalse(self.Signup._pharmacy_request(
            'sig.stranger@example.com', False, imported, self.company,
            'https://pharmacy.example.com'))
        self.assertFalse(self.Signup.search([('list_id', '=', imported.id)]))

    def test_one_configuration_menu(self):
        # the sign-ups sit in Odoo's own Configuration menu (with Settings), not a second one
        menu = self.env.ref('pharmacy_crm_marketing_website.pharmacy_signup_request_menu')
        self.assertEqual(menu.parent_id,
                         self.env.ref('mass_mailing.menu_mass_mailing_configuration'))
