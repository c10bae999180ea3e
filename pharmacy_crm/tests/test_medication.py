# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo.exceptions import ValidationError

from .common import PharmacyCase


class TestMedication(PharmacyCase):

    def test_ndc_is_stored_in_the_11_digit_form(self):
        self.assertEqual(self.atorvastatin.ndc, '00071-0156-23')
        self.atorvastatin.write({'ndc': '12345-678-90'})
        self.assertEqual(self.atorvastatin.ndc, '12345-0678-90')

    def test_malformed_ndc_names_the_field_value_and_forms(self):
        with self.assertRaises(ValidationError) as err:
            self.env['pharmacy.medication'].create({'name': 'X', 'ndc': '0574407205'})
        message = err.exception.name
        self.assertIn('NDC', message)
        self.assertIn('"0574407205"', message)
        self.assertIn('4-4-2, 5-3-2 or 5-4-1', message)
        with self.assertRaises(ValidationError):
            self.atorvastatin.write({'ndc': '123-45'})
        self.assertEqual(self.atorvastatin.ndc, '00071-0156-23')

    def test_same_ndc_twice_is_refused_whatever_its_format(self):
        with self.assertRaises(ValidationError) as err:
            self.env['pharmacy.medication'].create({'name': 'Twin', 'ndc': '00071015623'})
        self.assertIn('NDC 00071-0156-23 is already the NDC of Atorvastatin 20 mg',
                      err.exception.name)
        # a shared catalog entry counts for every company
        other = self.env['res.company'].create({'name': 'Other Pharmacy'})
        Medication = self.env['pharmacy.medication']
        with self.assertRaises(ValidationError):
            Medication.create({'name': 'Twin', 'ndc': '0071-0156-23', 'company_id': other.id})
        # two companies may each list a product in their own catalog
        self.atorvastatin.company_id = self.env.user.company_id
        twin = Medication.create({'name': 'Twin', 'ndc': '0071-0156-23', 'company_id': other.id})
        self.assertEqual(twin.ndc, '00071-0156-23')

    def test_display_name_has_the_strength(self):
        self.assertEqual(self.atorvastatin.display_name, 'Atorvastatin 20 mg')
