# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The dispensing import: a constructed file with hand-checked results, idempotence, a newer
export, the bulk recompute against the ORM's on every imported record, the generator's
determinism, and access (managers only)."""
import base64
import csv
import hashlib
import importlib.util
import io
import os
import tempfile

from odoo.exceptions import AccessError

from ..models.pharmacy_import import COLUMNS
from odoo.addons.pharmacy_crm.tests.common import PharmacyCase

SCRIPTS = os.path.join(os.path.dirname(__file__), '..', '..', 'scripts')


def load_generator():
    spec = importlib.util.spec_from_file_location(
        'generate_dispensing', os.path.join(SCRIPTS, 'generate_dispensing.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def csv_bytes(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator='\n')
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


# NPI 1234567893 and DEA AB1234563 (Brown) are valid: see common.py
BASE = {
    'patient_id': 'D1', 'last_name': 'Doe', 'first_name': 'Jane', 'birthdate': '1950-03-04',
    'phone': '555-0101', 'allergies': 'NKDA', 'prescriber_npi': '1234567893',
    'prescriber_name': 'Alice Brown, MD', 'prescriber_dea': 'AB1234563',
    'ndc': '99999-0001-01', 'drug_name': 'Atorvastatin', 'generic_name': 'atorvastatin',
    'strength': '20 mg', 'dosage_form': 'tablet', 'drug_type': 'generic', 'schedule': 'none',
    'therapeutic_class': 'statin', 'rx_number': 'IMP1', 'date_written': '2026-01-05',
    'refills_authorized': '2', 'rx_quantity': '30', 'rx_days_supply': '30', 'fill_number': '1',
    'fill_date': '2026-01-05', 'quantity': '30', 'days_supply': '30', 'state': 'picked_up',
    'pickup_date': '2026-01-06',
}


def row(**values):
    return dict(BASE, **values)


class TestDispensingImport(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env['res.company'].create({'name': 'Import Test Pharmacy'})
        cls.manager.write({'company_ids': [(4, cls.company.id)]})
        cls.importer = cls.env['pharmacy.import'].sudo(cls.manager)

    def _import(self, rows_or_bytes):
        data = rows_or_bytes if isinstance(rows_or_bytes, bytes) else csv_bytes(rows_or_bytes)
        return self.importer._import_file(io.BytesIO(data), self.company)

    def _patients(self):
        return self.env['res.partner'].search([('company_id', '=', self.company.id),
                                               ('is_patient', '=', True)])

    def test_constructed_file(self):
        """New, updated, duplicate and bad rows, each counted; the refused lines and why."""
        existing = self.env['res.partner'].create({
            'name': 'John Roe', 'is_patient': True, 'birthdate_date': '1940-01-01',
            'nkda': True, 'company_id': self.company.id})
        rows = [
            row(),                                                     # line 2: new
            row(fill_number='2', fill_date='2026-02-04', state='ready', pickup_date=''),
            row(fill_number='2', fill_date='2026-02-04', state='picked_up',   # 4: replaces 3
                pickup_date='2026-02-05'),
            row(patient_id='D2', last_name='Roe', first_name='John', birthdate='1940-01-01',
                rx_number='IMP2', ndc='99999-0002-01', drug_name='Oxycodone',
                generic_name='oxycodone', schedule='2', therapeutic_class='other',
                refills_authorized='0'),                               # 5: matched by name
            row(rx_number='IMP3', ndc='12345'),                        # 6: bad NDC
            row(rx_number='IMP3', prescriber_npi='1234567890'),        # 7: bad NPI
            row(rx_number='IMP3', state='lost'),                       # 8: bad state
            # 9: the 3rd fill, ok; 10: beyond 2 refills
            row(fill_number='9', fill_date='2026-03-06', pickup_date='2026-03-06'),
            row(fill_number='10', fill_date='2026-04-06', pickup_date='2026-04-06'),
            row(rx_number='IMP4', fill_date='2026-01-01'),             # 11: before written
            row(rx_number='IMP5', pickup_date='2026-01-01'),           # 12: pickup < fill
            row(rx_number='IMP6', fill_date='2099-01-01', pickup_date='2099-01-02'),  # 13
            row(rx_number='IMP7', refills_authorized='3', ndc='99999-0002-01',
                schedule='2'),                                         # 14: CII refills
            row(rx_number='IMP8', date_written='2025-01-02', fill_date='2026-01-05'),  # 15
            row(patient_id='D3', birthdate='1961-02-30', rx_number='IMP9'),  # 16
            row(rx_number='IMP10', state='returned', pickup_date=''),   # 17: returned, ok
        ]
        counts, errors = self._import(rows)
        self.assertEqual(errors, [
            (6, 'ndc "12345" is not a National Drug Code (10 digits with hyphens 4-4-2, '
                '5-3-2 or 5-4-1, or 11 digits)'),
            (7, 'prescriber_npi "1234567890" is not a valid NPI (10 digits, the last a Luhn '
                'check digit)'),
            (8, 'state "lost" is not filled, ready, picked_up or returned'),
            (10, 'fill_number 10 of IMP1 is beyond the 2 refill(s) authorised: at most 3 '
                 'fills'),
            (11, 'fill_date 2026-01-01 is before the prescription IMP4 was written '
                 '(2026-01-05)'),
            (12, 'pickup_date 2026-01-01 is before the fill_date 2026-01-05'),
            (13, 'fill_date 2099-01-01 is in the future'),
            (14, 'refills_authorized 3 must be 0: a schedule II controlled substance'),
            (15, 'fill_date 2026-01-05 is after the prescription IMP8 expired'),
            (16, 'birthdate "1961-02-30" is not a date YYYY-MM-DD'),
        ])
        self.assertEqual(counts, {
            'rows': 16, 'bad': 10, 'duplicate': 1,
            'patient_new': 1, 'patient_updated': 1, 'patient_unchanged': 0,
            'prescriber_new': 1, 'prescriber_updated': 0, 'prescriber_unchanged': 0,
            'medication_new': 2, 'medication_updated': 0, 'medication_unchanged': 0,
            'prescription_new': 3, 'prescription_updated': 0, 'prescription_unchanged': 0,
            'fill_new': 5, 'fill_updated': 0, 'fill_unchanged': 0})
        self.assertEqual(existing.dispensing_id, 'D2')
        jane = self._patients().filtered(lambda p: p.dispensing_id == 'D1')
        self.assertEqual((jane.name, jane.birthdate_date, jane.nkda, jane.allergies,
                          jane.phone, jane.create_uid, jane.write_uid),
                         ('Jane Doe', '1950-03-04', True, False, '555-0101',
                          self.manager, self.manager))
        rx = self.env['pharmacy.patient.medication'].search(
            [('company_id', '=', self.company.id)], order='rx_number')
        self.assertEqual(rx.mapped('rx_number'), ['IMP1', 'IMP10', 'IMP2'])
        imp1 = rx[0]
        self.assertEqual(
            [(f.fill_number, f.fill_date, f.state, f.pickup_date) for f in imp1.fill_ids],
            [(9, '2026-03-06', 'picked_up', '2026-03-06'),
             (2, '2026-02-04', 'picked_up', '2026-02-05'),
             (1, '2026-01-05', 'picked_up', '2026-01-06')])
        self.assertEqual((imp1.fill_count, imp1.refills_remaining, imp1.last_fill_date,
                          imp1.next_due_date, imp1.refill_eligible_date, imp1.date_expiry),
                         (3, 0, '2026-03-06', '2026-04-05', '2026-03-30', '2027-01-05'))
        self.assertEqual(rx[1].fill_count, 0)   # returned to stock: does not count
        self.assertEqual(rx[2].patient_id, existing)
        self.assertTrue(existing.on_controlled_substance)
        self.assertEqual(jane.next_due_date, '2026-04-05')

        # the same file again: nothing changes, not even write_date
        stamps = self._stamps()
        counts, errors = self._import(rows)
        self.assertEqual(len(errors), 10)
        self.assertEqual({k: v for k, v in counts.items() if v}, {
            'rows': 16, 'bad': 10, 'duplicate': 1, 'patient_unchanged': 2,
            'prescriber_unchanged': 1, 'medication_unchanged': 2, 'prescription_unchanged': 3,
            'fill_unchanged': 5})
        self.assertEqual(self._stamps(), stamps)

        # a newer export: one fill picked up, one new fill; only those are written
        newer = [row(rx_number='IMP10', state='returned', pickup_date=''),
                 row(rx_number='IMP10', fill_number='2', fill_date='2026-01-10',
                     pickup_date='2026-01-10'),
                 row(patient_id='D2', last_name='Roe', first_name='John',
                     birthdate='1940-01-01', rx_number='IMP2', ndc='99999-0002-01',
                     drug_name='Oxycodone', generic_name='oxycodone', schedule='2',
                     therapeutic_class='other', refills_authorized='0', state='ready',
                     pickup_date='')]
        counts, errors = self._import(newer)
        self.assertEqual(errors, [])
        self.assertEqual({k: v for k, v in counts.items() if v}, {
            'rows': 3, 'patient_unchanged': 2, 'prescriber_unchanged': 1,
            'medication_unchanged': 2, 'prescription_unchanged': 2, 'fill_new': 1,
            'fill_updated': 1, 'fill_unchanged': 1})
        self.assertEqual(rx[1].fill_count, 1)
        self.assertEqual(rx[1].next_due_date, '2026-02-09')
        self.assertEqual(rx[2].fill_ids.state, 'ready')

    def _stamps(self):
        self.env.cr.execute("""
            SELECT 'p', id, write_date FROM res_partner WHERE company_id = %(c)s
            UNION ALL SELECT 'rx', id, write_date FROM pharmacy_patient_medication
             WHERE company_id = %(c)s
            UNION ALL SELECT 'f', id, write_date FROM pharmacy_fill WHERE company_id = %(c)s
            UNION ALL SELECT 'm', id, write_date FROM pharmacy_medication
             WHERE ndc LIKE '99999-%%' ORDER BY 1, 2""", {'c': self.company.id})
        return self.env.cr.fetchall()

    def test_bulk_recompute_equals_orm(self):
        """Every stored computed or related field of every imported record: the value the
        import wrote is the value the ORM computes."""
        generator = load_generator()
        with tempfile.TemporaryDirectory() as out:
            path, _count = generator.write(out, patients=12, seed=11, bad_rows=9)
            with open(path, 'rb') as handle:
                counts, errors = self._import(handle.read())
        self.assertEqual(counts['bad'], 9)
        self.assertEqual(len(errors), 9)
        env = self.env(user=1)
        patients = env['res.partner'].search([('company_id', '=', self.company.id),
                                              ('is_patient', '=', True)])
        prescribers = env['res.partner'].search([('company_id', '=', self.company.id),
                                                 ('is_prescriber', '=', True)])
        prescriptions = env['pharmacy.patient.medication'].search(
            [('company_id', '=', self.company.id)])
        records = [patients, prescribers, prescriptions, prescriptions.mapped('fill_ids'),
                   prescriptions.mapped('medication_id')]
        self.assertEqual(len(patients), 12)
        self.assertEqual(prescribers, prescriptions.mapped('prescriber_id'))
        self.assertGreater(len(records[3]), 12 * 3 * 3)
        names = {recs._name: [name for name, field in recs._fields.items()
                              if field.store and (field.compute or field.related)]
                 for recs in records}
        env.cache.invalidate()
        bulk = {(recs._name, rec.id): {name: rec[name] for name in names[recs._name]}
                for recs in records for rec in recs}
        # the ORM computes them again, in cache, from the values in the database
        env.cache.invalidate()
        for recs in records:
            for name in names[recs._name]:
                env.add_todo(recs._fields[name], recs)
        compared = 0
        for recs in records:
            for rec in recs:
                orm = {name: rec[name] for name in names[recs._name]}
                self.assertEqual(bulk[(recs._name, rec.id)], orm, '%s %s' % (rec._name, rec.id))
                compared += len(orm)
        env.clear()   # drop the recomputation pending in this environment
        self.assertGreater(compared, 1000)

    def test_generator_is_deterministic(self):
        generator = load_generator()
        digests = []
        with tempfile.TemporaryDirectory() as out:
            for seed in (5, 5, 6):
                path, count = generator.write(out, patients=20, seed=seed, bad_rows=3)
                with open(path, 'rb') as handle:
                    digests.append(hashlib.sha256(handle.read()).hexdigest())
        self.assertEqual(digests[0], digests[1])
        self.assertNotEqual(digests[0], digests[2])
        self.assertGreater(count, 20 * 3 * 3)

    def test_access_managers_only(self):
        data = base64.b64encode(csv_bytes([row()]))
        for user in (self.technician, self.pharmacist, self.internal_user):
            with self.assertRaises(AccessError):
                self.env['pharmacy.import.log'].sudo(user).create(
                    {'name': 'x.csv', 'file': data})
        log = self.env['pharmacy.import.log'].sudo(self.manager).create(
            {'name': 'x.csv', 'file': data})
        with self.assertRaises(AccessError):
            log.sudo(self.technician).action_run_now()
        with self.assertRaises(AccessError):
            log.sudo(self.technician).read(['name'])
        log.action_run_now()
        self.assertEqual((log.state, log.fill_new, log.file, log.sha256),
                         ('done', 1, False, hashlib.sha256(base64.b64decode(data)).hexdigest()))
        message = log.message_ids[0]
        self.assertIn('Fills: 1 new, 0 updated, 0 unchanged.', message.body)
        self.assertEqual(message.partner_ids, self.manager.partner_id)

    def test_malformed_file_fails_whole(self):
        log = self.env['pharmacy.import.log'].sudo(self.manager).create(
            {'name': 'x.csv', 'file': base64.b64encode(b'name,phone\nA,1\n')})
        with self.assertLogs('odoo.addons.pharmacy_crm_import.models.pharmacy_import_log',
                             'WARNING') as logged:
            log.action_run_now()
        self.assertIn('dispensing import x.csv failed', logged.output[0])
        self.assertEqual(log.state, 'failed')
        self.assertIn('Unknown: name', log.failure)


class TestBenchSmoke(PharmacyCase):
    """`make bench` at a tiny scale: generator -> importer -> every bench function, for
    correctness (the ORM and SQL answers equal), not time."""

    def test_bench_functions(self):
        path = os.path.join(SCRIPTS, 'bench.py')
        spec = importlib.util.spec_from_file_location('bench', path)
        bench = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bench)
        generator = load_generator()
        company = self.env['res.company'].create({'name': 'Bench smoke pharmacy'})
        with tempfile.TemporaryDirectory() as out:
            path, _count = generator.write(out, patients=4, seed=2)
            with open(path, encoding='utf-8') as handle:
                lines = handle.readlines()
            with open(os.path.join(out, 'base.csv'), 'w', encoding='utf-8') as handle:
                handle.writelines(lines[:-3])
            with open(os.path.join(out, 'day.csv'), 'w', encoding='utf-8') as handle:
                handle.writelines(lines[:1] + lines[-3:])
            with open(os.path.join(out, 'base.csv'), 'rb') as handle:
                counts, errors = self.env['pharmacy.import']._import_file(handle, company)
            self.assertEqual((counts['patient_new'], errors), (4, []))
            rows = bench.all_rows(self.env, out, runs=1, load_sample=2)
        table = bench.format_table(rows)
        equal = {row['operation'].rsplit(' (', 1)[0]: row['equal'] for row in rows}
        self.assertEqual({name: equal[name] for name in (
            'patient list, due in 7 days, first page of 80', 'patient form, all pages',
            'import the whole file into an empty pharmacy',
            're-import the same file (no change)', 'import one more day')},
            {'patient list, due in 7 days, first page of 80': True,
             'patient form, all pages': True,
             'import the whole file into an empty pharmacy': True,
             're-import the same file (no change)': True, 'import one more day': True}, table)
        self.assertIn('re-import the same file (no change) (%d rows)' % (len(lines) - 4),
                      table)
        self.assertIn("Odoo's load() of", table)
        self.assertIn(', 0 errors;', table)
