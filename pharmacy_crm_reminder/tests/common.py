# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Patients to remind, the scheduled action run on a simulated day, outgoing mail captured."""
from datetime import timedelta
from email.header import decode_header, make_header
from email.utils import parseaddr
from unittest.mock import patch

from odoo import fields

from odoo.addons.pharmacy_crm.tests.common import PATIENT_PROFILE, PharmacyCase, frozen_clock

# day 0 of the tests: 2025-03-10; the runs happen at 15:00 UTC (11:00 in New York)
DAY0 = fields.Date.from_string('2025-03-10')


def day(n):
    """Day ``n`` of the tests, ``YYYY-MM-DD``."""
    return fields.Date.to_string(DAY0 + timedelta(days=n))


class ReminderCase(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Reminder = cls.env['pharmacy.reminder']
        cls.root = cls.env.ref('base.partner_root')

    @classmethod
    def _patient(cls, name, **values):
        vals = dict(PATIENT_PROFILE, name=name, is_patient=True,
                    email='%s@example.com' % name.lower().replace(' ', '.'))
        vals.update(values)
        return cls.env['res.partner'].create(vals)

    @classmethod
    def _due_on(cls, patient, due_day, **values):
        """An active prescription of ``patient`` whose 30-day fill runs out on day
        ``due_day`` (filled 30 days before)."""
        values.setdefault('date_written', day(due_day - 60))
        rx = cls._prescription(patient_id=patient.id, **values)
        cls._fill(rx, day(due_day - 30), 30, state='picked_up', pickup_date=day(due_day - 30))
        return rx

    @classmethod
    def _consent(cls, patient, channel, state):
        return cls.env['pharmacy.consent'].create({
            'patient_id': patient.id, 'channel': channel, 'purpose': 'treatment',
            'state': state, 'date': '2024-01-01', 'source': 'in_store'})

    def _run(self, n):
        """The scheduled action on day ``n``; the new reminders, their emails sent (captured:
        a list of (address, subject, body))."""
        sent = []

        def send_email(server, message, *args, **kwargs):
            html = ''
            for part in message.walk():
                if part.get_content_type() == 'text/html':
                    html = part.get_payload(decode=True).decode(
                        part.get_content_charset() or 'utf-8')
            subject = str(make_header(decode_header(message['Subject'])))
            sent.append((parseaddr(message['To'])[1], subject, html))
            return message['Message-Id']
        with frozen_clock(self.env, '%s 15:00:00' % day(n)):
            reminders = self.Reminder._cron_send_reminders()
            with patch.object(type(self.env['ir.mail_server']), 'send_email', send_email):
                reminders.mapped('mail_id').send()
        return reminders, sent
