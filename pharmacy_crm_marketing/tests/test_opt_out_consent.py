# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Opting out (the unsubscribe link, the contact's Opt-Out) refuses email marketing consent;
granting it again re-admits the patient. Reminder consent is never touched."""
from odoo.addons.pharmacy_crm.tests.common import frozen_clock

from .common import MarketingCase


class TestOptOutConsent(MarketingCase):

    def _line(self, patient, purpose='marketing'):
        return self.env['pharmacy.consent'].search([
            ('patient_id', '=', patient.id), ('channel', '=', 'email'),
            ('purpose', '=', purpose)])

    def test_unsubscribe_link_refuses_marketing_and_granting_readmits(self):
        patient = self.patients['granted']
        reminders = self._consent(patient, 'granted', purpose='treatment')
        mailing = self._mailing(mailing_domain="[('id', '=', %d)]" % patient.id)
        with self.captured_mail():
            mailing.sudo(self.marketer).send_mail()
        # what the public unsubscribe page does (mass_mailing/controllers/main.py), at 01:00
        # UTC: still the previous day in New York
        with frozen_clock(self.env, '2025-03-10 01:00:00'):
            mailing.sudo().update_opt_out(patient.email, [patient.id], True)
        line = self._line(patient)
        self.assertEqual((line.state, line.date, line.source, patient.opt_out),
                         ('refused', '2025-03-09', 'email', True))
        self.assertEqual((reminders.state, reminders.source), ('granted', 'in_store'))
        self.assertEqual(mailing.get_recipients(), [])
        # granted again at the counter: re-admitted
        line.write({'state': 'granted', 'date': '2025-03-09', 'source': 'in_store'})
        self.assertFalse(patient.opt_out)
        self.assertEqual(mailing.get_recipients(), patient.ids)

    def test_a_list_contact_opting_out_refuses_the_patients_consent(self):
        patient = self.patients['silent']   # no line yet: one is created, refused
        contact = self.env['mail.mass_mailing.contact'].sudo(self.marketer).create(
            {'name': 'Silent', 'email': 'Mkt.Silent@example.com'})
        contact.write({'opt_out': True})
        line = self._line(patient)
        self.assertEqual((line.state, line.source, patient.opt_out), ('refused', 'email', True))
        self.assertFalse(self._line(patient, 'treatment'))
        self._consent(patient, 'granted')
        self.assertEqual((contact.opt_out, patient.opt_out), (False, False))

    def test_the_contacts_opt_out_box_refuses_consent(self):
        patient = self.patients['granted']
        patient.sudo(self.manager).write({'opt_out': True})
        self.assertEqual(self._line(patient).state, 'refused')
