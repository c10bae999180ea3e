# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo.exceptions import ValidationError

from .common import VALID_NPI, PharmacyCase


class TestPrescriber(PharmacyCase):

    def _prescriber(self, **values):
        vals = {'name': 'Brian Black, DO', 'is_prescriber': True}
        vals.update(values)
        return self.env['res.partner'].create(vals)

    def test_invalid_npi_message_names_the_field_and_the_rule(self):
        with self.assertRaises(ValidationError) as err:
            self._prescriber(npi='1234567890')
        self.assertIn('NPI "1234567890" of Brian Black, DO is not valid', err.exception.name)
        self.assertIn('10 digits', err.exception.name)
        self.assertIn('Luhn', err.exception.name)

    def test_npi_is_unique_per_company(self):
        with self.assertRaises(ValidationError) as err:
            self._prescriber(npi=VALID_NPI)
        self.assertIn('already the NPI of Alice Brown, MD', err.exception.name)
        # an archived duplicate is still a duplicate
        self.prescriber.active = False
        with self.assertRaises(ValidationError):
            self._prescriber(npi=' 1234567893 ')
        # another company may record the same prescriber
        other = self.env['res.company'].create({'name': 'Other Pharmacy'})
        twin = self._prescriber(npi=VALID_NPI, company_id=other.id)
        self.assertEqual(twin.npi, VALID_NPI)

    def test_npi_spaces_are_removed(self):
        self.assertEqual(self._prescriber(npi='124 531 9599').npi, '1245319599')

    def test_dea_second_letter_is_the_last_name_initial(self):
        # 'AB1234563' is valid for a B... last name; Black is one, whatever the credential
        self.assertEqual(self._prescriber(dea_number='ab 123 4563').dea_number, 'AB1234563')
        with self.assertRaises(ValidationError) as err:
            self._prescriber(name='Carla Smith', dea_number='AB1234563')
        self.assertIn('DEA number "AB1234563" of Carla Smith is not valid', err.exception.name)
        self.assertIn('initial of the last name (S)', err.exception.name)

    def test_dea_check_digit(self):
        with self.assertRaises(ValidationError):
            self._prescriber(dea_number='AB1234567')

    def test_dea_of_a_clinic_ignores_the_name(self):
        clinic = self.env['res.partner'].create({
            'name': 'Riverside Clinic', 'is_company': True, 'is_prescriber': True,
            'dea_number': 'FB1234563'})
        self.assertEqual(clinic.dea_number, 'FB1234563')

    def test_last_name_of_written_names(self):
        Partner = self.env['res.partner']
        for name, last in [('Jane Q. Smith, MD', 'Smith'), ('Smith, Jane', 'Smith'),
                           ('Dr Jane Smith PA-C', 'Smith'), ('Ana de la Cruz', 'Cruz'),
                           ('Tom Ode Jr.', 'Ode')]:
            self.assertEqual(Partner.new({'name': name})._prescriber_last_name(), last, name)
