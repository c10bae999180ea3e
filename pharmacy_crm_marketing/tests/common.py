# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Patients in every marketing situation, a marketing user, and outgoing mail captured."""
from contextlib import contextmanager
from unittest.mock import patch

from odoo.addons.pharmacy_crm.tests.common import PharmacyCase

from ..models.mass_mailing import MAILING_GROUP, MASS_MAILING


class MarketingCase(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.marketer = cls._user('marketer', cls.env.ref(MAILING_GROUP))
        Partner = cls.env['res.partner']
        cls.patients = {}
        for key in ('granted', 'silent', 'refused', 'dismissed', 'archived', 'opted_out'):
            cls.patients[key] = Partner.create({
                'name': 'Mkt %s' % key.title(), 'is_patient': True,
                'email': 'mkt.%s@example.com' % key, 'birthdate_date': '1970-03-04',
                'allergies': 'Penicillin', 'customer': True})
        cls.plain = Partner.create({'name': 'Mkt Plain', 'email': 'mkt.plain@example.com',
                                    'customer': True})
        for key in ('granted', 'dismissed', 'archived', 'opted_out'):
            cls._consent(cls.patients[key], 'granted')
        cls._consent(cls.patients['refused'], 'refused')
        cls.patients['dismissed']._pharmacy_server_write({'patient_state': 'dismissed'})
        cls.patients['archived'].active = False
        cls.patients['opted_out'].with_context(pharmacy_consent_sync=True).opt_out = True

    @classmethod
    def _consent(cls, patient, state, purpose='marketing', source='in_store'):
        Consent = cls.env['pharmacy.consent']
        line = Consent.search([('patient_id', '=', patient.id), ('channel', '=', 'email'),
                               ('purpose', '=', purpose)])
        vals = {'state': state, 'date': '2024-01-01', 'source': source}
        if line:
            line.write(vals)
            return line
        return Consent.create(dict(vals, patient_id=patient.id, channel='email',
                                   purpose=purpose))

    def _mailing(self, user=None, **values):
        vals = {'name': 'Spring offers', 'body_html': '<p>Hello</p>',
                'mailing_model_id': self.env.ref('base.model_res_partner').id,
                'mailing_domain': "[('email', '=ilike', 'mkt.%@example.com')]",
                'reply_to_mode': 'email'}
        vals.update(values)
        return self.env[MASS_MAILING].sudo(user or self.marketer).create(vals)

    @contextmanager
    def captured_mail(self):
        """The addresses of the messages handed to the mail server (none leaves)."""
        sent = []

        def send_email(server, message, *args, **kwargs):
            sent.append(message['To'])
            return message['Message-Id']
        # the registry's class: whatever addon overrides send_email below it, this one is
        # called first
        with patch.object(type(self.env['ir.mail_server']), 'send_email', send_email):
            yield sent
