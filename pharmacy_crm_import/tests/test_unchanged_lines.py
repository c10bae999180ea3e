# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The re-import's skip of unchanged lines (``pharmacy.import._imp_skip_unchanged``): a line
changed in any column is checked again and applied exactly as a full check applies it; a
catalog change or a held prescription behind unchanged lines is still seen."""
import io
from unittest import mock

from stdnum import luhn

from odoo.addons.pharmacy_crm.tests.common import PharmacyCase
from odoo.addons.pharmacy_crm.tools.identifiers import dea_check_digit

from ..tools.dispensing_csv import NAMES, to_bytes as csv_bytes
from .test_dispensing_import import row


def _npi(body):
    return body + luhn.calc_check_digit('80840' + body)


def _dea(last_name, digits):
    return 'B' + last_name[0] + digits + str(dea_check_digit(digits))


def base_rows():
    """30 lines: 5 patients, each with 3 prescriptions (its own drug on the third) of 2 fills:
    one line per column to change, and prescriptions whose other line stays as it was."""
    rows = []
    for patient in range(5):
        for rx in range(3):
            for fill in (1, 2):
                rows.append(row(
                    patient_id='U%d' % patient, last_name='Ulm%d' % patient,
                    phone='555-01%02d' % patient, rx_number='U%d-%d' % (patient, rx),
                    ndc='99997-%04d-01' % (patient * 3 + rx) if rx == 2 else '99999-0001-01',
                    fill_number=str(fill), fill_date='2026-0%d-05' % (fill + 1),
                    pickup_date='2026-0%d-06' % (fill + 1), date_written='2026-02-01'))
    return rows


# a new value for each column (valid: the change is applied, not refused)
CHANGES = {
    'patient_id': 'U9', 'last_name': 'Vance', 'first_name': 'Joan',
    'birthdate': '1950-03-05', 'phone': '555-0199', 'allergies': 'Penicillin',
    'prescriber_npi': _npi('123456780'), 'prescriber_name': 'Bob Baker, MD',
    'prescriber_dea': _dea('Brown', '765432'), 'ndc': '99997-0099-01',
    'drug_name': 'Atorvastatin Calcium', 'generic_name': 'atorvastatin calcium',
    'strength': '40 mg', 'dosage_form': 'capsule', 'drug_type': 'brand', 'schedule': '4',
    'therapeutic_class': 'other', 'rx_number': 'U9-9', 'date_written': '2026-01-20',
    'refills_authorized': '5', 'rx_quantity': '60', 'rx_days_supply': '60',
    'fill_number': '7', 'fill_date': '2026-03-04', 'quantity': '28', 'days_supply': '28',
    'state': 'filled', 'pickup_date': '2026-03-07',
}


class TestUnchangedLines(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Company = cls.env['res.company']
        cls.skipping = Company.create({'name': 'Skip Test Pharmacy'})
        cls.checking = Company.create({'name': 'Full Check Test Pharmacy'})
        cls.manager.write({'company_ids': [(4, cls.skipping.id), (4, cls.checking.id)]})
        cls.importer = cls.env['pharmacy.import'].sudo(cls.manager)

    def _import(self, rows, company):
        """(counts, errors, lines skipped) of importing ``rows`` into ``company``."""
        Import = type(self.importer)
        original = Import._imp_skip_unchanged
        skipped = []

        def spy(importer, comp):
            skipped.append(original(importer, comp))
            return skipped[-1]
        with mock.patch.object(Import, '_imp_skip_unchanged', autospec=True, side_effect=spy):
            counts, errors = self.importer._import_file(io.BytesIO(csv_bytes(rows)), company)
        return counts, errors, skipped[0] or 0

    def _forget_fingerprints(self, company):
        self.env.cr.execute('UPDATE pharmacy_fill SET import_line_hash = NULL '
                            'WHERE company_id = %s', [company.id])

    def _state(self, company):
        """What the imports left in ``company``, keyed by the file's identifiers."""
        self.env.cache.invalidate()
        env = self.env(user=1)
        rxs = env['pharmacy.patient.medication'].with_context(active_test=False).search(
            [('company_id', '=', company.id)])
        patients = env['res.partner'].search([('company_id', '=', company.id),
                                              ('is_patient', '=', True)])
        return {
            'patients': {p.dispensing_id: (p.name, p.birthdate_date, p.phone, p.allergies,
                                           p.nkda, p.next_due_date) for p in patients},
            'prescriptions': {rx.rx_number: (
                rx.patient_id.dispensing_id, rx.prescriber_id.npi, rx.prescriber_id.name,
                rx.prescriber_id.dea_number, rx.medication_id.ndc, rx.medication_id.name,
                rx.medication_id.generic_name, rx.medication_id.strength,
                rx.medication_id.dosage_form, rx.medication_id.drug_type,
                rx.medication_id.schedule, rx.medication_id.therapeutic_class_id.code,
                rx.date_written, rx.refills_authorized, rx.quantity, rx.days_supply,
                rx.fill_count, rx.next_due_date, rx.state) for rx in rxs},
            'fills': {(f.prescription_id.rx_number, f.fill_number): (
                f.fill_date, f.quantity, f.days_supply, f.state, f.pickup_date)
                for f in rxs.mapped('fill_ids')},
        }

    def test_line_changed_in_any_column_is_checked_and_applied(self):
        """Each column changed on one line (line i+2 for the i-th column): the re-import
        skips the unchanged prescriptions only, and leaves the pharmacy exactly as a full
        check of every line does (same refusals, same records)."""
        base = base_rows()
        changed = [dict(line) for line in base]
        for index, name in enumerate(NAMES):
            changed[index][name] = CHANGES[name]
        self.assertEqual(set(CHANGES), set(NAMES))
        for company in (self.skipping, self.checking):
            counts, errors, skipped = self._import(base, company)
            self.assertEqual((counts['fill_new'], errors, skipped), (30, [], 0))
        # the same file again: every line skipped, nothing written, counted as unchanged
        counts, errors, skipped = self._import(base, self.skipping)
        self.assertEqual((skipped, errors), (30, []))
        self.assertEqual({k: v for k, v in counts.items() if v}, {
            'rows': 30, 'patient_unchanged': 5, 'prescriber_unchanged': 1,
            'medication_unchanged': 6, 'prescription_unchanged': 15, 'fill_unchanged': 30})

        self._forget_fingerprints(self.checking)
        full_counts, full_errors, skipped = self._import(changed, self.checking)
        self.assertEqual(skipped, 0)
        counts, errors, skipped = self._import(changed, self.skipping)
        # the 28 changed lines are on prescriptions U0-0 .. U4-1: U4-2 alone is unchanged
        self.assertEqual(skipped, 2)
        self.assertEqual(errors, full_errors)
        self.assertTrue(errors)   # changes that break a rule are refused, as in a full check
        self.assertEqual(self._state(self.skipping), self._state(self.checking))
        for kind in ('patient', 'prescriber', 'prescription', 'fill'):
            for how in ('new', 'updated', 'unchanged'):
                key = '%s_%s' % (kind, how)
                self.assertEqual(counts[key], full_counts[key], key)
        # changes applied, e.g. a fill's quantity, a new fill number, the allergies of a
        # patient's last line (its phone changed on an earlier line: not the patient's)
        state = self._state(self.skipping)
        self.assertEqual(state['fills'][('U4-0', 1)][1], 28)
        self.assertIn(('U3-2', 7), state['fills'])
        self.assertEqual(state['patients']['U0'][2:4], ('555-0100', 'Penicillin'))
        # once more: the refused lines and their prescriptions are checked again, the
        # rest skipped; nothing written
        counts, errors, skipped = self._import(changed, self.skipping)
        self.assertEqual(errors, full_errors)
        self.assertGreater(skipped, 2)
        self.assertFalse(any(counts['%s_%s' % (kind, how)] for kind in (
            'patient', 'prescriber', 'medication', 'prescription', 'fill')
            for how in ('new', 'updated')))

    def test_line_repeated_or_new_is_checked_with_its_prescription(self):
        """A line the file repeats matches its fill twice and a new line matches none: their
        prescriptions' lines are checked (the repeat counted as a duplicate, the new fill
        written, as a full check does), the other prescriptions' lines skipped."""
        base = base_rows()
        for company in (self.skipping, self.checking):
            self._import(base, company)
        new_fill = dict(base[7], fill_number='3', fill_date='2026-04-05',
                        pickup_date='2026-04-06')
        again = base + [dict(base[3]), new_fill]
        self._forget_fingerprints(self.checking)
        full_counts, full_errors, skipped = self._import(again, self.checking)
        self.assertEqual(skipped, 0)
        counts, errors, skipped = self._import(again, self.skipping)
        # U0-1 (lines 3-4 and the repeat) and U1-0 (lines 7-8 and the new fill) checked
        self.assertEqual((skipped, errors), (26, full_errors))
        self.assertEqual((counts['duplicate'], counts['fill_new']), (1, 1))
        self.assertEqual(counts, full_counts)
        self.assertEqual(self._state(self.skipping), self._state(self.checking))

    def test_catalog_change_and_held_prescription_are_seen(self):
        """Behind unchanged lines: a schedule changed in the catalog (IV: the prescription
        expires after 6 months, not 12) refuses a fill of the 7th month again, a held
        prescription refuses a new fill; the other prescriptions stay skipped."""
        rows = [row(rx_number='C1', ndc='99996-0001-01'),
                row(rx_number='C1', ndc='99996-0001-01', fill_number='2',
                    fill_date='2026-08-05', pickup_date='2026-08-06'),
                row(rx_number='C2', ndc='99996-0002-01'),
                row(rx_number='C3', ndc='99996-0003-01')]
        counts, errors, skipped = self._import(rows, self.skipping)
        self.assertEqual((counts['fill_new'], errors), (4, []))
        env = self.env(user=1)
        Rx = env['pharmacy.patient.medication']
        c1 = Rx.search([('rx_number', '=', 'C1'), ('company_id', '=', self.skipping.id)])
        c2 = Rx.search([('rx_number', '=', 'C2'), ('company_id', '=', self.skipping.id)])
        c1.medication_id.write({'schedule': '4'})
        c2.action_hold()
        counts, errors, skipped = self._import(rows + [row(
            rx_number='C2', ndc='99996-0002-01', fill_number='2', fill_date='2026-02-05',
            pickup_date='2026-02-06')], self.skipping)
        self.assertEqual([(error.line, error.code) for error in errors], [
            (3, 'fill_after_expiry'), (6, 'rx_not_active')])
        self.assertEqual(skipped, 1)     # C3 only
        self.assertEqual((c2.fill_count, counts['fill_new'], counts['fill_updated']), (1, 0, 0))
