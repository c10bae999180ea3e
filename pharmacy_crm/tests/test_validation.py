# Copyright 2026 Pharmacy CRM contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Hostile values get a ValidationError naming the field, never an internal error (#7)."""
from odoo.exceptions import ValidationError

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
            (RX, {'refills_authorized': 2 ** 31}, rx, "Refills Authorised of Prescription: "
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
