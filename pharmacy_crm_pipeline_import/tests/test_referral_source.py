# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The export's optional referral_source: the source of the patients the import creates,
matched case-insensitively, an unknown name created once; a known patient keeps theirs; a file
without the column imports as before."""
import io

from odoo.addons.pharmacy_crm.tests.common import PharmacyCase
from odoo.addons.pharmacy_crm_import.tools.dispensing_csv import NAMES, to_bytes

# NPI 1234567893 and DEA AB1234563 (Brown) are valid: see the core's tests/common.py
BASE = {
    'last_name': 'Doe', 'first_name': 'Jane', 'birthdate': '1950-03-04', 'allergies': 'NKDA',
    'prescriber_npi': '1234567893', 'prescriber_name': 'Alice Brown, MD',
    'prescriber_dea': 'AB1234563', 'ndc': '99999-0001-01', 'drug_name': 'Atorvastatin',
    'schedule': 'none', 'therapeutic_class': 'statin', 'date_written': '2026-01-05',
    'refills_authorized': '2', 'rx_days_supply': '30', 'fill_number': '1',
    'fill_date': '2026-01-05', 'quantity': '30', 'days_supply': '30', 'state': 'filled',
}


class TestReferralSource(PharmacyCase):

    def test_new_patients_get_the_export_referral_source(self):
        company = self.env['res.company'].create({'name': 'Referral Pharmacy'})
        self.manager.write({'company_ids': [(4, company.id)]})
        importer = self.env['pharmacy.import'].sudo(self.manager)
        website = self.env.ref('pharmacy_crm_pipeline.utm_source_pharmacy_website')
        known = self.env['res.partner'].create({
            'name': 'Known Patient', 'is_patient': True, 'birthdate_date': '1960-01-01',
            'nkda': True, 'company_id': company.id, 'dispensing_id': 'R0'})

        def row(key, source, rx):
            return dict(BASE, patient_id=key, last_name='Ref%s' % key, referral_source=source,
                        rx_number=rx)
        rows = [row('R0', 'Website', 'RX0'),                          # known: unchanged
                row('R1', 'old text', 'RX1'), row('R1', '  pharmacy   WEBSITE ', 'RX1b'),
                row('R2', "Dr. Patel's office", 'RX2'), row('R3', "dr. patel's  office", 'RX3'),
                row('R4', '', 'RX4')]
        counts, errors = importer._import_file(
            io.BytesIO(to_bytes(rows, NAMES + ('referral_source',))), company)
        self.assertEqual((errors, counts['patient_new']), ([], 4))
        patients = {patient.dispensing_id: patient.pharmacy_source_id for patient in
                    self.env['res.partner'].search([('company_id', '=', company.id)])}
        self.assertFalse(known.pharmacy_source_id)   # kept as the staff recorded it
        self.assertEqual(patients['R1'], website)   # its last line, matched without case
        self.assertEqual(patients['R2'].name, "Dr. Patel's office")   # created once
        self.assertEqual(patients['R3'], patients['R2'])
        self.assertFalse(patients['R4'])
        # the layout without the column: imported as before
        plain = row('R5', '', 'RX5')
        del plain['referral_source']
        counts, errors = importer._import_file(io.BytesIO(to_bytes([plain])), company)
        self.assertEqual((errors, counts['patient_new']), ([], 1))
