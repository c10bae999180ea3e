# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The hold-out group of a mailing never receives it, whoever sends and however."""
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.pharmacy_crm_marketing.tests.common import MarketingCase


class TestHoldout(MarketingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env['res.partner']
        cls.recipients = Partner
        for number in range(20):
            patient = Partner.create({
                'name': 'Hold %02d' % number, 'is_patient': True,
                'email': 'hold.%02d@example.com' % number, 'birthdate_date': '1970-03-04',
                'allergies': 'None known', 'customer': True})
            cls._consent(patient, 'granted')
            cls.recipients |= patient

    def test_the_held_out_never_receive_the_mailing(self):
        mailing = self._mailing(mailing_domain="[('email', '=like', 'hold.%@example.com')]",
                                pharmacy_holdout_percent=50)
        with self.captured_mail() as sent:
            self.assertIs(mailing.sudo(self.marketer).send_mail(), True)
        held = self.env['pharmacy.mailing.holdout'].search([('mailing_id', '=', mailing.id)])
        self.assertEqual(len(held), 10)
        self.assertEqual(held.mapped('patient_id'), self.recipients.filtered(
            lambda p: p.id in held.mapped('res_id')))
        held_emails = set(held.mapped('patient_id.email'))
        self.assertEqual(len(sent), 10)
        self.assertFalse({address.split('<')[-1].rstrip('>') for address in sent}
                         & held_emails)
        mailing.invalidate_cache()
        self.assertEqual((mailing.pharmacy_holdout_count, mailing.pharmacy_holdout_drawn),
                         (10, True))
        # sending again, even to the held-out recipients by name, sends nothing: the draw is
        # kept and they stay out
        with self.captured_mail() as sent_again:
            with self.assertRaises(UserError):
                mailing.sudo(self.marketer).send_mail(res_ids=held.mapped('res_id'))
        self.assertEqual(sent_again, [])
        # the hold-out names patients: not for marketing users (they read the report's counts)
        with self.assertRaises(AccessError):
            self.env['pharmacy.mailing.holdout'].sudo(self.marketer).search([])
        self.assertEqual(self.env['pharmacy.mailing.holdout'].sudo(self.manager).search_count(
            [('mailing_id', '=', mailing.id)]), 10)

    def test_percentage_range(self):
        with self.assertRaisesRegex(ValidationError, 'Hold-out'):
            self._mailing(pharmacy_holdout_percent=80)
