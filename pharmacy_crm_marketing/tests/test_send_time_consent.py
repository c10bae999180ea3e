# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Every mass mailing, even one aimed by Odoo's domain editor at raw contacts, drops at send
time the patients marketing may not reach, and says how many per reason."""
from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from .common import MarketingCase


class TestSendTimeConsent(MarketingCase):

    def test_a_raw_contact_domain_reaches_only_consenting_patients(self):
        # a consenting patient without a valid address: dropped for it, counted
        no_email = self.env['res.partner'].create({
            'name': 'Mkt No Email', 'is_patient': True, 'email': 'mkt.no email@example.com',
            'birthdate_date': '1970-03-20', 'allergies': 'Penicillin'})
        self._consent(no_email, 'granted')
        mailing = self._mailing(keep_archives=True)
        # the archived patient is no recipient (archived contacts are not searched)
        self.assertEqual(mailing.pharmacy_excluded_count, 5)
        self.assertEqual(mailing.total, 2)
        with self.captured_mail() as sent:
            self.assertIs(mailing.sudo(self.marketer).send_mail(), True)
        self.assertEqual(sorted(sent), ['Mkt Granted <mkt.granted@example.com>',
                                        'Mkt Plain <mkt.plain@example.com>'])
        mailing.invalidate_cache()
        self.assertEqual(
            (mailing.state, mailing.pharmacy_dropped_count, mailing.pharmacy_dropped_left,
             mailing.pharmacy_dropped_archived, mailing.pharmacy_dropped_opted_out,
             mailing.pharmacy_dropped_no_consent, mailing.pharmacy_dropped_no_email,
             mailing.sent, mailing.pharmacy_matched_count),
            ('done', 5, 1, 0, 2, 1, 1, 2, 7))
        # (refused consent opts the contact out: "silent" is the one without consent)
        # the message is archived on the patient's chatter by the system, unreadable by
        # marketing
        message = self.env['mail.message'].search([
            ('model', '=', 'res.partner'), ('res_id', '=', self.patients['granted'].id),
            ('subject', '=', 'Spring offers')])
        self.assertEqual(message.author_id, self.env.ref('base.partner_root'))
        with self.assertRaises(AccessError):
            message.sudo(self.marketer).read(['body'])
        self.assertFalse(self.env['mail.message'].sudo(self.marketer).search(
            [('res_id', '=', self.patients['granted'].id), ('model', '=', 'res.partner')]))

    def test_explicit_recipients_are_filtered_too(self):
        mailing = self._mailing()
        ids = [self.patients['silent'].id, self.patients['granted'].id]
        with self.captured_mail() as sent:
            mailing.sudo(self.marketer).send_mail(ids)
        self.assertEqual(sent, ['Mkt Granted <mkt.granted@example.com>'])

    def test_a_mailing_list_contact_with_a_patients_address_is_dropped(self):
        Contact = self.env['mail.mass_mailing.contact']
        mlist = self.env['mail.mass_mailing.list'].create({'name': 'Newsletter'})
        for email in ('MKT.silent@example.com', 'mkt.archived@example.com'):
            Contact.create({'name': 'A', 'email': email, 'list_ids': [(6, 0, mlist.ids)]})
        kept = Contact.create({'name': 'B', 'email': 'mkt.granted@example.com',
                               'list_ids': [(6, 0, mlist.ids)]})
        mailing = self._mailing(
            mailing_model_id=self.env.ref('mass_mailing.model_mail_mass_mailing_list').id,
            contact_list_ids=[(6, 0, mlist.ids)],
            mailing_domain="[('list_ids', 'in', %s), ('opt_out', '=', False)]" % mlist.ids)
        self.assertEqual(mailing.get_recipients(), kept.ids)
        self.assertEqual(mailing.pharmacy_excluded_count, 2)
        with self.captured_mail() as sent:
            mailing.send_mail()
        self.assertEqual((sent, mailing.pharmacy_dropped_archived,
                          mailing.pharmacy_dropped_no_consent),
                         (['mkt.granted@example.com'], 1, 1))

    def test_nothing_left_to_send_says_why(self):
        mailing = self._mailing(mailing_domain="[('email', '=', 'mkt.silent@example.com')]")
        with self.assertRaisesRegex(UserError, '1 dropped'):
            mailing.sudo(self.marketer).send_mail()

    def test_a_placeholder_the_user_may_not_read_is_refused(self):
        mailing = self._mailing(body_html='<p>${object.allergies}</p>')
        with self.captured_mail() as sent, self.assertRaises(UserError), \
                mute_logger('odoo.addons.mail.models.mail_template'):
            mailing.sudo(self.marketer).send_mail()
        self.assertEqual(sent, [])

    def test_recipients_are_searched_with_the_senders_rights(self):
        """Sent as the system, but to what the sender may read: not another pharmacy's
        patient (the contacts' company rule)."""
        other = self.env['res.company'].create({'name': 'Other pharmacy'})
        patient = self.env['res.partner'].create({
            'name': 'Mkt Other', 'is_patient': True, 'email': 'mkt.other@example.com',
            'birthdate_date': '1970-03-04', 'allergies': 'Penicillin', 'company_id': other.id})
        self._consent(patient, 'granted')
        mailing = self._mailing(mailing_domain="[('email', 'in', ['mkt.other@example.com', "
                                               "'mkt.granted@example.com'])]")
        with self.captured_mail() as sent:
            mailing.sudo(self.marketer).send_mail()
        self.assertEqual(sent, ['Mkt Granted <mkt.granted@example.com>'])
