# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Hostile values get a ValidationError naming the field, never an internal error (#7)."""
import datetime

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import PharmacyCase

RX = 'pharmacy.patient.medication'


class TestValidation(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rx = cls._prescription()
        cls.fill = cls._fill(cls.rx, '2024-01-05')
        cls.company = cls.env['res.partner'].create({'name': 'Acme Labs', 'is_company': True})

    def _refused(self, model, vals, message, record=None):
        """``vals`` written on ``record`` (created when None) is refused with ``message``;
        nothing is written."""
        Model = self.env[model].sudo(self.technician)
        count = Model.search_count([])
        with self.assertRaises(ValidationError) as caught:
            if record is None:
                Model.create(vals)
            else:
                record.sudo(self.technician).write(vals)
        self.assertEqual(caught.exception.name, message)
        self.assertEqual(Model.search_count([]), count)

    def test_hostile_values_are_refused_with_the_field_and_what_is_expected(self):
        rx, fill = self.rx, self.fill
        cases = [
            (RX, {'date_written': '2026-02-30'}, rx, "Date Written of Prescription: "
             "'2026-02-30' is not valid: expected a real date written YYYY-MM-DD."),
            (RX, {'date_written': 'not a date'}, rx, "Date Written of Prescription: "
             "'not a date' is not valid: expected a real date written YYYY-MM-DD."),
            (RX, {'date_written': '9999-12-31'}, rx, "Date Written of Prescription: "
             "'9999-12-31' is not valid: expected a date between the years 1900 and 2100."),
            (RX, {'days_supply': 2 ** 31}, rx, "Days Supply of Prescription: 2147483648 is "
             "not valid: expected a whole number between -2147483648 and 2147483647."),
            (RX, {'refills_authorized': 2 ** 31}, rx, "Refills Authorized of Prescription: "
             "2147483648 is not valid: expected a whole number between -2147483648 and "
             "2147483647."),
            (RX, {'medication_id': 'abc'}, rx, "Medication of Prescription: 'abc' is not "
             "valid: expected the id (a positive whole number) of a Medication."),
            (RX, {'medication_id': [1, 2]}, rx, "Medication of Prescription: [1, 2] is not "
             "valid: expected the id (a positive whole number) of a Medication."),
            (RX, {'rx_number': 'x' * 2 ** 20}, rx, "Rx Number of Prescription: 'xxxxxxxxxxxx"
             "xxxxxxxxxxxxxxxxxxxxxxxx... is not valid: expected at most 256 characters "
             "(got 1048576)."),
            (RX, {'state': 'bogus'}, rx, "State of Prescription: 'bogus' is not valid: "
             'expected one of "Active", "On hold", "Discontinued".'),
            (RX, {'quantity': float('nan')}, rx, "Quantity of Prescription: nan is not valid:"
             " expected a finite number between -1e+15 and 1e+15."),
            (RX, {'quantity': float('inf')}, rx, "Quantity of Prescription: inf is not valid:"
             " expected a finite number between -1e+15 and 1e+15."),
            (RX, {'quantity': 1e308}, rx, "Quantity of Prescription: 1e+308 is not valid: "
             "expected a finite number between -1e+15 and 1e+15."),
            (RX, {'patient_id': self.company.id}, rx, "Patient of Prescription: %d is not "
             "valid: a Contact here must satisfy: Patient = True." % self.company.id),
            (RX, {'prescriber_id': self.patient.id}, rx, "Prescriber of Prescription: %d is "
             "not valid: a Contact here must satisfy: Prescriber = True." % self.patient.id),
            (RX, {'patient_id': 2 ** 30}, rx, "Patient of Prescription: 1073741824 is not "
             "valid: no Contact has this id."),
            (RX, {'no_such_field': 1}, rx, "Prescription has no field 'no_such_field'."),
            ('pharmacy.fill', {'quantity': 'ten'}, fill, "Quantity of Fill: 'ten' is not "
             "valid: expected a finite number between -1e+15 and 1e+15."),
            ('pharmacy.medication', {'name': 'X', 'ndc': 12345}, None, "NDC of Medication: "
             "12345 is not valid: expected text."),
            ('pharmacy.medication', {'name': 'X', 'ndc': ['0071']}, None, "NDC of "
             "Medication: ['0071'] is not valid: expected text."),
            ('res.partner', {'name': 'X', 'npi': 1234567893}, None, "NPI of Contact: "
             "1234567893 is not valid: expected text."),
            ('res.partner', {'name': 'X', 'dea_number': 1}, None, "DEA Number of Contact: 1 "
             "is not valid: expected text."),
            ('res.partner', {'name': 'X', 'birthdate_date': '9999-01-01'}, None, "Birthdate "
             "of Contact: '9999-01-01' is not valid: expected a date between the years 1900 "
             "and 2100."),
            ('pharmacy.patient.note', {'patient_id': self.patient.id, 'body': 'x\x00y'}, None,
             "Note of Patient Note: 'x\\x00y' is not valid: expected text."),
        ]
        for model, vals, record, message in cases:
            with self.subTest(model=model, vals=str(vals)[:40]):
                self._refused(model, vals, message, record)

    def test_values_must_be_a_mapping(self):
        with self.assertRaisesRegex(ValidationError, r'Values of a Prescription must be given '
                                                     r'as a mapping \{field name: value\}'):
            self.env[RX].sudo(self.technician).create([{'rx_number': 'X'}])

    def test_x2many_commands_are_checked(self):
        with self.assertRaisesRegex(ValidationError, 'Fills of Prescription: .* expected a '
                                                     'list of commands'):
            self.rx.write({'fill_ids': [(7, 0)]})
        with self.assertRaisesRegex(ValidationError, 'no Fill has this id'):
            self.rx.write({'fill_ids': [(4, 2 ** 30)]})

    # --- server-owned fields ----------------------------------------------------------------
    def test_server_owned_fields_are_refused(self):
        cases = [
            (self.rx, {'date_expiry': '2099-01-01'}),
            (self.rx, {'refills_remaining': 9}),
            (self.rx, {'next_due_date': '2024-01-01'}),
            (self.rx, {'fill_count': 0}),
            (self.fill, {'counts': False}),
            (self.fill, {'patient_id': self.patient.id}),
            (self.fill, {'company_id': self.env.user.company_id.id}),
            (self.fill, {'early_refill_by': self.pharmacist.id}),
            (self.patient, {'next_due_date': '2030-01-01'}),
            (self.patient, {'has_alerts': True}),
            (self.patient, {'on_controlled_substance': True}),
        ]
        for record, vals in cases:
            with self.subTest(record=record._name, vals=vals):
                with self.assertRaisesRegex(UserError, 'cannot be set'):
                    record.sudo(self.technician).write(vals)
        Note = self.env['pharmacy.patient.note'].sudo(self.technician)
        for vals in ({'author_id': self.pharmacist.id}, {'date': '2000-01-01 00:00:00'}):
            with self.assertRaisesRegex(UserError, 'cannot be set'):
                Note.create(dict(vals, patient_id=self.patient.id, body='x'))
        note = Note.create({'patient_id': self.patient.id, 'body': 'x'})
        self.assertEqual(note.author_id, self.technician)
        # a screen's defaults (here the patient's) are not values of a write, even of none
        Fill = self.env['pharmacy.fill'].sudo(self.technician).with_context(
            default_patient_id=self.patient.id)
        self.assertIs(Fill.browse().write({'state': 'picked_up'}), True)
        with self.assertRaisesRegex(UserError, 'cannot be set'):
            Fill.create({'prescription_id': self.rx.id, 'quantity': 30, 'days_supply': 30})

    # --- pharmacy rules on the server -------------------------------------------------------
    def test_no_fill_on_a_held_or_discontinued_prescription(self):
        rx = self._prescription()
        rx.action_hold()
        with self.assertRaisesRegex(ValidationError, 'the prescription is on hold'):
            self._fill(rx, '2024-01-05')
        rx.action_resume()
        rx.sudo(self.pharmacist)._discontinue('other', '2024-01-04')
        with self.assertRaisesRegex(ValidationError, 'the prescription is discontinued'):
            self._fill(rx, '2024-01-05')

    def test_no_fill_for_a_patient_who_left(self):
        rx = self._prescription()
        for state, label in (('transferred', 'transferred out'), ('dismissed', 'dismissed'),
                             ('deceased', 'deceased')):
            self.patient._pharmacy_server_write({'patient_state': state})
            with self.assertRaisesRegex(ValidationError, 'patient Pat Test is %s' % label):
                self._fill(rx, '2024-01-05')
        self.patient._pharmacy_server_write({'patient_state': 'active'})
        self._fill(rx, '2024-01-05')

    def test_fill_and_pickup_dates(self):
        today = fields.Date.from_string(self.env['res.company'].pharmacy_today())
        rx = self._prescription(date_written=fields.Date.to_string(
            today - datetime.timedelta(days=10)))
        tomorrow = fields.Date.to_string(today + datetime.timedelta(days=1))
        with self.assertRaisesRegex(ValidationError, 'is in the future'):
            self._fill(rx, tomorrow)
        fill = self._fill(rx, rx.env['res.company'].pharmacy_today())
        day_before = fields.Date.to_string(today - datetime.timedelta(days=1))
        with self.assertRaisesRegex(ValidationError, 'is before its fill date'):
            fill._pharmacy_server_write({'state': 'picked_up', 'pickup_date': day_before})

    def test_required_text_must_not_be_blank(self):
        with self.assertRaisesRegex(ValidationError, 'Rx Number of Prescription: .* it is '
                                                     'required'):
            self.rx.write({'rx_number': '   '})
        with self.assertRaisesRegex(ValidationError, 'Note of Patient Note: .* it is required'):
            self.env['pharmacy.patient.note'].create({'patient_id': self.patient.id,
                                                      'body': ' \n '})
        with self.assertRaisesRegex(ValidationError, 'Name of Medication: .* it is required'):
            self.env['pharmacy.medication'].create({'name': ''})
        with self.assertRaisesRegex(ValidationError, 'Rx Number, Patient of a new Prescription'
                                                     ': required'):
            self.env[RX].create({'medication_id': self.atorvastatin.id})

    def test_birthdate_and_consent_date_not_in_the_future(self):
        future = fields.Date.to_string(fields.Date.from_string(
            self.env['res.company'].pharmacy_today()) + datetime.timedelta(days=3))
        with self.assertRaisesRegex(ValidationError, 'Birthdate of Pat Test is in the future'):
            self.patient.birthdate_date = future
        with self.assertRaisesRegex(ValidationError, 'Date of the Email consent of Pat Test '
                                                     'is in the future'):
            self.env['pharmacy.consent'].create({
                'patient_id': self.patient.id, 'channel': 'email', 'purpose': 'marketing',
                'state': 'granted', 'date': future, 'source': 'form'})

    def test_a_schedule_change_rechecks_refills(self):
        self._prescription(rx_number='RX-ATOR-5', refills_authorized=5)
        with self.assertRaisesRegex(ValidationError, 'cannot become Schedule II: '
                                                     'prescriptions .*RX-ATOR-5'):
            self.atorvastatin.schedule = '2'
        self.atorvastatin.schedule = '4'   # 5 refills: allowed for schedules III-V

    def test_archiving_a_prescription_updates_the_patient_and_needs_a_pharmacist(self):
        rx = self._prescription(medication_id=self.alprazolam.id, refills_authorized=1)
        self._fill(rx, '2024-01-05')
        self.assertTrue(self.patient.on_controlled_substance)
        with self.assertRaisesRegex(AccessError, 'Only pharmacists may archive'):
            rx.sudo(self.technician).write({'active': False})
        rx.sudo(self.pharmacist).write({'active': False})
        self.assertFalse(self.patient.on_controlled_substance)
        self.assertEqual(self.patient.next_due_date, self.rx.next_due_date)

    def test_a_fill_stays_on_its_prescription(self):
        other = self._prescription()
        with self.assertRaisesRegex(UserError, 'Prescription of a fill cannot change'):
            self.fill.sudo(self.technician).write({'prescription_id': other.id})
        with self.assertRaisesRegex(UserError, 'Prescription of a fill cannot change'):
            other.sudo(self.technician).write({'fill_ids': [(4, self.fill.id)]})
        self.assertEqual(self.fill.prescription_id, self.rx)

    def test_refill_too_soon_needs_a_pharmacist_and_a_reason(self):
        rx = self._prescription()        # 30 days: eligible 24 days after the fill
        self._fill(rx, '2024-01-05')
        self.assertEqual(rx.refill_eligible_date, '2024-01-29')
        with self.assertRaisesRegex(ValidationError, 'Refill too soon: %s can be refilled '
                                                     'from 01/29/2024' % rx.rx_number):
            self._fill(rx.sudo(self.pharmacist), '2024-01-20')
        with self.assertRaisesRegex(AccessError, 'Only a pharmacist may fill'):
            self._fill(rx.sudo(self.technician), '2024-01-20', early_refill_reason='lost')
        early = self._fill(rx.sudo(self.pharmacist), '2024-01-20',
                           early_refill_reason='vacation', early_refill_note='Cruise')
        self.assertEqual(early.early_refill_by, self.pharmacist)
        self._fill(rx.sudo(self.technician), '2024-02-18')  # 24 days after 01-20: eligible
