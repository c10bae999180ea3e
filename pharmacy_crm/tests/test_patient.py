# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import datetime

from dateutil.relativedelta import relativedelta
from lxml import etree
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import PharmacyCase


class TestPatient(PharmacyCase):

    def test_next_due_date_is_the_earliest_active_prescription(self):
        statin = self._prescription()
        benzo = self._prescription(medication_id=self.alprazolam.id)
        self._fill(statin, '2024-02-01')   # due 2024-03-02
        self._fill(benzo, '2024-02-10')    # due 2024-03-11
        self.assertEqual(self.patient.next_due_date, '2024-03-02')
        self.assertEqual(self.patient.current_medication_count, 2)
        self.assertTrue(self.patient.on_controlled_substance)
        statin.action_hold()
        self.assertEqual(self.patient.next_due_date, '2024-03-11')
        self.assertEqual(self.patient.current_medication_count, 1)
        benzo.action_hold()
        self.assertFalse(self.patient.next_due_date)
        self.assertFalse(self.patient.on_controlled_substance)

    def test_due_in_7_days_filter_finds_the_patient(self):
        today = fields.Date.from_string(self.patient.env['res.company'].pharmacy_today())
        rx = self._prescription(date_written=fields.Date.to_string(today - relativedelta(days=40)))
        self._fill(rx, fields.Date.to_string(today - relativedelta(days=25)))  # due in 5 days
        limit = fields.Date.to_string(today + relativedelta(days=7))
        found = self.env['res.partner'].search([('next_due_date', '<=', limit)])
        self.assertIn(self.patient, found)

    def test_age_in_whole_years(self):
        today = fields.Date.from_string(self.patient.env['res.company'].pharmacy_today())
        self.patient.birthdate_date = fields.Date.to_string(today - relativedelta(years=40))
        self.assertEqual(self.patient.age, 40)
        self.patient.birthdate_date = fields.Date.to_string(
            today - relativedelta(years=40) + relativedelta(days=1))
        self.assertEqual(self.patient.age, 39)
        self.assertEqual(self.prescriber.age, 0)   # no birthdate (a patient always has one)

    def test_alerts_show_the_notes_the_reader_may_read(self):
        Note = self.env['pharmacy.patient.note']
        Note.create({'patient_id': self.patient.id, 'body': 'Speak slowly', 'is_alert': True})
        Note.create({'patient_id': self.patient.id, 'body': 'Check PDMP first',
                     'is_alert': True, 'visibility': 'pharmacist', 'category': 'clinical'})
        Note.create({'patient_id': self.patient.id, 'body': 'Likes gardening'})
        self.assertTrue(self.patient.has_alerts)
        as_tech = self.patient.sudo(self.technician)
        self.assertEqual(as_tech.alert_text, 'Speak slowly')
        as_pharmacist = self.patient.sudo(self.pharmacist)
        self.assertEqual(sorted(as_pharmacist.alert_text.split('\n')),
                         ['Check PDMP first', 'Speak slowly'])
        patient_ids = self.env['res.partner'].search([('has_alerts', '=', True)]).ids
        self.assertIn(self.patient.id, patient_ids)

    def test_notes_keep_author_and_date_and_are_archived_not_deleted(self):
        note = self.env['pharmacy.patient.note'].sudo(self.technician).create({
            'patient_id': self.patient.id, 'body': 'Daughter picks up\nOn Fridays',
            'is_alert': True})
        self.assertEqual(note.author_id, self.technician)
        self.assertAlmostEqual(fields.Datetime.from_string(note.date), datetime.datetime.now(),
                               delta=datetime.timedelta(minutes=5))
        self.assertEqual(note.summary, 'Daughter picks up')
        with self.assertRaisesRegex(UserError, 'never deleted'):
            note.unlink()
        note.active = False
        self.assertFalse(self.patient.has_alerts)
        self.assertTrue(note.exists())

    def test_pharmacist_only_notes_are_hidden_from_technicians(self):
        secret = self.env['pharmacy.patient.note'].create({
            'patient_id': self.patient.id, 'body': 'Disclosed misuse',
            'visibility': 'pharmacist'})
        Note = self.env['pharmacy.patient.note']
        self.assertNotIn(secret, Note.sudo(self.technician).search([]))
        with self.assertRaises(AccessError):
            secret.sudo(self.technician).read(['body'])
        self.assertIn(secret, Note.sudo(self.pharmacist).search([]))

    def test_consent_rules(self):
        Consent = self.env['pharmacy.consent']
        # nothing recorded: reminders yes (treatment), marketing no (needs a grant)
        self.assertTrue(self.patient._pharmacy_may_contact('sms', 'treatment'))
        self.assertFalse(self.patient._pharmacy_may_contact('email', 'marketing'))
        Consent.create({'patient_id': self.patient.id, 'channel': 'sms', 'purpose': 'treatment',
                        'state': 'refused', 'date': '2024-01-05', 'source': 'in_store'})
        Consent.create({'patient_id': self.patient.id, 'channel': 'email',
                        'purpose': 'marketing', 'state': 'granted', 'date': '2024-01-05',
                        'source': 'form'})
        self.assertFalse(self.patient._pharmacy_may_contact('sms', 'treatment'))
        self.assertTrue(self.patient._pharmacy_may_contact('email', 'marketing'))
        self.assertFalse(self.patient._pharmacy_may_contact('sms', 'marketing'))

    def test_consent_answer_needs_date_and_source(self):
        with self.assertRaises(ValidationError) as err:
            self.env['pharmacy.consent'].create({
                'patient_id': self.patient.id, 'channel': 'email', 'purpose': 'marketing',
                'state': 'granted'})
        self.assertIn('Date and Source of the Email consent of Pat Test are required',
                      err.exception.name)

    def test_one_consent_line_per_channel_and_purpose(self):
        vals = {'patient_id': self.patient.id, 'channel': 'phone', 'purpose': 'treatment'}
        self.env['pharmacy.consent'].create(vals)
        with mute_logger('odoo.sql_db'), self.assertRaises(IntegrityError):
            self.env['pharmacy.consent'].create(vals)

    def test_note_changes_are_tracked_on_the_note(self):
        note = self.env['pharmacy.patient.note'].with_context(tracking_disable=False).create(
            {'patient_id': self.patient.id, 'body': 'Call after 2 pm'})
        note.write({'body': 'Call after 3 pm', 'is_alert': True})
        tracked = note.message_ids[0].tracking_value_ids   # the newest message
        self.assertEqual(sorted(tracked.mapped('field')), ['body', 'is_alert'])
        body = tracked.filtered(lambda t: t.field == 'body')
        self.assertEqual((body.old_value_text, body.new_value_text),
                         ('Call after 2 pm', 'Call after 3 pm'))

    def test_clinical_fields_leave_no_trace_in_the_contact_chatter(self):
        patient = self.patient.with_context(tracking_disable=False)
        patient.write({'allergies': 'Sulfa'})
        tracked = patient.message_ids.mapped('tracking_value_ids')
        self.assertNotIn('allergies', tracked.mapped('field'))

    def test_search_filters_of_the_patient_list(self):
        """The filters of the search view, evaluated as the web client does."""
        today = fields.Date.from_string(self.patient.env['res.company'].pharmacy_today())
        rx = self._prescription(medication_id=self.alprazolam.id,
                                date_written=fields.Date.to_string(today - relativedelta(days=60)))
        self._fill(rx, fields.Date.to_string(today - relativedelta(days=24)))  # due in 6 days
        self.env['pharmacy.patient.note'].create(
            {'patient_id': self.patient.id, 'body': 'Alert', 'is_alert': True})
        arch = etree.fromstring(self.env.ref('pharmacy_crm.res_partner_patient_view_search').arch)
        # no context_today(): the filters use the pharmacy's date on the server, never the
        # browser's, so a domain that needs the browser's date fails here
        context = {}
        Partner = self.env['res.partner']
        for name in ('due_7_days', 'has_alerts', 'controlled', 'active_patients'):
            [node] = arch.xpath('//filter[@name="%s"]' % name)
            domain = safe_eval(node.get('domain'), context)
            self.assertIn(self.patient, Partner.search(domain), name)
        [due] = arch.xpath('//filter[@name="due_7_days"]')
        rx.action_hold()
        self.assertNotIn(self.patient, Partner.search(safe_eval(due.get('domain'), context)))
        [prescriber] = arch.xpath('//field[@string="Prescriber"]')
        domain = safe_eval(prescriber.get('filter_domain'), {'self': 'Brown'})
        self.assertIn(self.patient, Partner.search(domain))

    def test_status_changes_are_tracked(self):
        patient = self.patient.with_context(tracking_disable=False)
        patient._pharmacy_server_write({'patient_state': 'transferred'})
        values = patient.message_ids.mapped('tracking_value_ids').filtered(
            lambda t: t.field == 'patient_state')
        self.assertEqual((values.old_value_char, values.new_value_char),
                         ('Active', 'Transferred out'))
