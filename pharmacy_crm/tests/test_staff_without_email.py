# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Staff without a mailbox: what they post is sent from the company's address (or the
catchall), so they create patients and prescriptions like everyone else."""
from odoo.exceptions import UserError

from .common import PharmacyCase

COMPANY_EMAIL = 'counter@pharmacy.example.com'


class TestStaffWithoutEmail(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.no_email = cls.env['res.users'].create({
            'name': 'Terry No-Mail', 'login': 'pharmacy_test_no_email',
            'groups_id': [(6, 0, [cls.group_technician.id])]})
        cls.company = cls.no_email.company_id
        cls.company.email = COMPANY_EMAIL
        params = cls.env['ir.config_parameter']
        params.set_param('mail.catchall.alias', 'catchall')
        params.set_param('mail.catchall.domain', 'pharmacy.example.com')

    def _as(self, user):
        """``user``'s environment with Odoo's chatter on (PharmacyCase turns tracking off)."""
        return self.env(user=user, context={'no_reset_password': True})

    def _create_patient(self, user):
        return self._as(user)['res.partner'].create({
            'name': 'Nora Walk-In', 'is_patient': True, 'birthdate_date': '1961-03-04',
            'allergies': 'Sulfa'})

    def test_the_user_has_no_email(self):
        self.assertFalse(self.no_email.email)
        self.assertFalse(self.no_email.partner_id.email)

    def test_creates_a_patient_and_a_prescription_sent_from_the_company(self):
        patient = self._create_patient(self.no_email)
        rx = self._as(self.no_email)['pharmacy.patient.medication'].create({
            'patient_id': patient.id, 'medication_id': self.atorvastatin.id,
            'prescriber_id': self.prescriber.id, 'rx_number': 'RX-NOMAIL-1',
            'days_supply': 30, 'quantity': 30, 'refills_authorized': 5,
            'date_written': '2024-01-02'})
        sender = 'Terry No-Mail <%s>' % COMPANY_EMAIL
        for record, body in ((patient, '<p>Contact created</p>'),
                             (rx, '<p>Prescription created</p>')):
            [created] = record.sudo().message_ids.filtered(lambda m: m.body == body)
            self.assertEqual(created.email_from, sender)
            self.assertEqual(created.author_id, self.no_email.partner_id)
        self.assertEqual(rx.create_uid, self.no_email)

    def test_posts_a_note_on_the_patient(self):
        patient = self._create_patient(self.no_email)
        message = patient.message_post(body='Called about the refill', message_type='comment',
                                       subtype='mail.mt_note')
        self.assertEqual(message.email_from, 'Terry No-Mail <%s>' % COMPANY_EMAIL)

    def test_the_composer_opens_with_the_company_address(self):
        # the full composer reads the field's default, not the method: both must fall back
        patient = self._create_patient(self.no_email)
        composer = self._as(self.no_email)['mail.compose.message'].with_context(
            default_model='res.partner', default_res_id=patient.id).create({'body': 'Hello'})
        self.assertEqual(composer.email_from, 'Terry No-Mail <%s>' % COMPANY_EMAIL)
        defaults = self._as(self.no_email)['mail.message'].default_get(['email_from'])
        self.assertEqual(defaults['email_from'], 'Terry No-Mail <%s>' % COMPANY_EMAIL)

    def test_without_company_email_the_catchall_sends(self):
        self.company.email = False
        patient = self._create_patient(self.no_email)
        [created] = patient.sudo().message_ids.filtered(
            lambda m: m.body == '<p>Contact created</p>')
        self.assertEqual(created.email_from, 'Terry No-Mail <catchall@pharmacy.example.com>')

    def test_without_any_address_the_error_says_what_to_set(self):
        self.company.email = False
        self.env['ir.config_parameter'].set_param('mail.catchall.domain', False)
        with self.assertRaisesRegex(UserError, 'Unable to post as Terry No-Mail: neither the '
                                               'user nor the company .* has an email address'):
            self._create_patient(self.no_email)

    def test_a_user_with_an_email_still_sends_from_it(self):
        patient = self._create_patient(self.technician)
        [created] = patient.sudo().message_ids.filtered(
            lambda m: m.body == '<p>Contact created</p>')
        self.assertEqual(created.email_from, 'Tech <tech@example.com>')
