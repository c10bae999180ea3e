# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The dispensing import: a constructed file with hand-checked results, every kind of refusal
(its code, the column concerned and the values it quotes), idempotence, a newer export, the
bulk recompute against the ORM's on every imported record, the sample's determinism, and
access (managers only)."""
import base64
import datetime
import gzip
import hashlib
import io
import json
import re
from unittest import mock

from odoo.exceptions import AccessError, UserError
from odoo.tools import human_size

from . import dispensing_sample
from ..models import pharmacy_import_log
from ..models.pharmacy_import_error import REASON_CODES
from ..tools.dispensing_csv import to_bytes as csv_bytes
from odoo.addons.pharmacy_crm.tests.common import PharmacyCase


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
            (6, 'ndc_invalid', 'ndc', {'value': '12345'}),
            (7, 'npi_invalid', 'prescriber_npi', {'value': '1234567890'}),
            (8, 'not_in_list', 'state', {
                'value': 'lost', 'allowed': 'filled, ready, picked_up, returned'}),
            (10, 'beyond_refills', 'fill_number', {
                'value': 10, 'rx_number': 'IMP1', 'refills': 2, 'fills': 3}),
            (11, 'fill_before_written', 'fill_date', {
                'value': '2026-01-01', 'rx_number': 'IMP4', 'date_written': '2026-01-05'}),
            (12, 'pickup_before_fill', 'pickup_date', {
                'value': '2026-01-01', 'fill_date': '2026-01-05'}),
            (13, 'future', 'fill_date', {'value': '2099-01-01'}),
            (14, 'refills_schedule_2', 'refills_authorized', {'value': 3}),
            (15, 'fill_after_expiry', 'fill_date', {
                'value': '2026-01-05', 'rx_number': 'IMP8', 'date_expiry': '2026-01-02'}),
            (16, 'not_a_date', 'birthdate', {'value': '1961-02-30'}),
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

    def test_new_prescription_summary_same_day_fills(self):
        """A new prescription is inserted with its fill summary computed from its lines: of
        two counted fills on its last day, the last fill is the one of the lowest id (the
        ORM's stable sort of fills ordered by date desc, id desc), i.e. the earlier line,
        whichever days supply it has; the ORM computes the same from the database."""
        day = {'fill_date': '2026-01-05', 'pickup_date': '2026-01-06'}
        rows = [row(rx_number='TIE1', fill_number='1', days_supply='30', **day),
                row(rx_number='TIE1', fill_number='2', days_supply='10', **day),
                row(rx_number='TIE2', fill_number='1', days_supply='10', **day),
                row(rx_number='TIE2', fill_number='2', days_supply='30', **day)]
        counts, errors = self._import(rows)
        self.assertEqual((errors, counts['prescription_new'], counts['fill_new']), ([], 2, 4))
        env = self.env(user=1)
        rx = env['pharmacy.patient.medication'].search(
            [('company_id', '=', self.company.id)], order='rx_number')
        self.assertEqual(rx.mapped('rx_number'), ['TIE1', 'TIE2'])
        for prescription in rx:   # the first line's fill has the lower id
            self.assertEqual(prescription.fill_ids.sorted('id').mapped('fill_number'), [1, 2])
        names = ['fill_count', 'refills_remaining', 'last_fill_date', 'last_fill_days_supply',
                 'next_due_date', 'refill_eligible_date', 'fill_status']
        bulk = [[prescription[name] for name in names] for prescription in rx]
        # 2 fills of refills 2 + 1: 1 refill left; run-out 5 Jan + 40 days = 14 Feb; eligible
        # 5 Jan + ceil(30 x 0.8) = 29 Jan (TIE1), + ceil(10 x 0.8) = 13 Jan (TIE2)
        threshold = env['pharmacy.patient.medication']._refill_threshold()
        self.assertEqual(float(threshold), 0.8)
        self.assertEqual([values[:6] for values in bulk], [
            [2, 1, '2026-01-05', 30, '2026-02-14', '2026-01-29'],
            [2, 1, '2026-01-05', 10, '2026-02-14', '2026-01-13']])
        env.cache.invalidate()
        for name in names:
            env.add_todo(rx._fields[name], rx)
        self.assertEqual([[prescription[name] for name in names] for prescription in rx], bulk)
        env.clear()

    def test_fills_changed_hook_once_per_import(self):
        """What reacts to fills hears of an import once, with the fills it wrote (new or
        changed), and of a counter fill once; an unchanged re-import names none."""
        Fill = type(self.env['pharmacy.fill'])
        calls = []

        def record(fills):
            calls.append(sorted(fills.ids))
            return True
        rows = [row(), row(fill_number='2', fill_date='2026-02-04', state='ready',
                           pickup_date='')]
        with mock.patch.object(Fill, '_pharmacy_fills_changed', autospec=True,
                               side_effect=record):
            self._import(rows)
            fills = self.env['pharmacy.fill'].search([('company_id', '=', self.company.id)])
            self.assertEqual(calls, [sorted(fills.ids)])
            self._import(rows)
            self.assertEqual(calls[1:], [[]])
            second = fills.filtered(lambda f: f.fill_number == 2)
            rows[1].update(quantity='28')
            self._import(rows)
            self.assertEqual(calls[2:], [second.ids])
            del calls[:]
            second.action_pick_up()
            self.assertEqual(calls, [second.ids])
        self.assertEqual((second.quantity, second.state), (28, 'picked_up'))

    def test_every_refusal_names_its_column(self):
        """One row per kind of refusal and column: each refused with its code, the column of
        the file concerned and the values its sentence quotes; every code of
        pharmacy.import.error is reached, and each row only by its own rule."""
        Partner = self.env['res.partner']
        patient = {'is_patient': True, 'nkda': True, 'company_id': self.company.id}
        for _twin in range(2):
            Partner.create(dict(patient, name='Sam Twin', birthdate_date='1970-01-01'))
        holder = Partner.create(dict(patient, name='Hal Holder', birthdate_date='1950-03-04',
                                     dispensing_id='D5'))
        gone = Partner.create(dict(patient, name='Gil Gone', birthdate_date='1950-03-04',
                                   dispensing_id='D6'))
        gone.active = False
        held = self._prescription(patient_id=holder.id, rx_number='HOLD1',
                                  date_written='2026-01-02')
        held.action_hold()
        self._prescription(patient_id=holder.id, rx_number='OTHER1', date_written='2026-01-02')
        controlled = {'ndc': '99999-0002-01', 'drug_name': 'Oxycodone', 'schedule': '2'}
        cases = [
            (row(patient_id=''), 'empty', 'patient_id', {}),
            (row(last_name=''), 'empty', 'last_name', {}),
            (row(first_name=''), 'empty', 'first_name', {}),
            (row(birthdate='04/03/1950'), 'not_a_date', 'birthdate', {'value': '04/03/1950'}),
            (row(birthdate='2099-01-01'), 'future', 'birthdate', {'value': '2099-01-01'}),
            (row(allergies=''), 'no_allergies', 'allergies', {}),
            (row(prescriber_npi=''), 'empty', 'prescriber_npi', {}),
            (row(prescriber_name=''), 'empty', 'prescriber_name', {}),
            (row(ndc='12345'), 'ndc_invalid', 'ndc', {'value': '12345'}),
            (row(drug_name=''), 'empty', 'drug_name', {}),
            (row(dosage_form='pill'), 'not_in_list', 'dosage_form', None),
            (row(drug_type='otc'), 'not_in_list', 'drug_type',
             {'value': 'otc', 'allowed': 'brand, generic'}),
            (row(schedule='6'), 'not_in_list', 'schedule',
             {'value': '6', 'allowed': 'none, 2, 3, 4, 5'}),
            (row(therapeutic_class='nsaid'), 'not_in_list', 'therapeutic_class', None),
            (row(rx_number=''), 'empty', 'rx_number', {}),
            (row(date_written='2026-13-01'), 'not_a_date', 'date_written',
             {'value': '2026-13-01'}),
            (row(date_written='2099-01-01'), 'future', 'date_written', {'value': '2099-01-01'}),
            (row(refills_authorized='-1'), 'not_whole_number', 'refills_authorized',
             {'value': '-1', 'minimum': 0}),
            (row(rx_quantity='-3'), 'not_number', 'rx_quantity', {'value': '-3', 'minimum': 0}),
            (row(rx_days_supply='0'), 'not_whole_number', 'rx_days_supply',
             {'value': '0', 'minimum': 1}),
            (row(fill_number='1.5'), 'not_whole_number', 'fill_number',
             {'value': '1.5', 'minimum': 1}),
            (row(fill_date='1899-12-31'), 'not_a_date', 'fill_date', {'value': '1899-12-31'}),
            (row(fill_date='2099-01-01', pickup_date=''), 'future', 'fill_date',
             {'value': '2099-01-01'}),
            (row(quantity='0'), 'not_positive', 'quantity', {'value': '0'}),
            (row(days_supply='x'), 'not_whole_number', 'days_supply',
             {'value': 'x', 'minimum': 1}),
            (row(state='lost'), 'not_in_list', 'state',
             {'value': 'lost', 'allowed': 'filled, ready, picked_up, returned'}),
            (row(pickup_date='2026-02-30'), 'not_a_date', 'pickup_date',
             {'value': '2026-02-30'}),
            (row(pickup_date=''), 'pickup_required', 'pickup_date', {}),
            (row(pickup_date='2026-01-04'), 'pickup_before_fill', 'pickup_date',
             {'value': '2026-01-04', 'fill_date': '2026-01-05'}),
            (row(prescriber_npi='1234567890'), 'npi_invalid', 'prescriber_npi',
             {'value': '1234567890'}),
            (row(prescriber_dea='AX1234563'), 'dea_invalid', 'prescriber_dea',
             {'value': 'AX1234563', 'name': 'Alice Brown, MD'}),
            (row(patient_id='D7', first_name='Sam', last_name='Twin', birthdate='1970-01-01'),
             'patient_ambiguous', 'patient_id', {'value': 'D7', 'count': 2}),
            (row(refills_authorized='1', **controlled), 'refills_schedule_2',
             'refills_authorized', {'value': 1}),
            (row(refills_authorized='6', ndc='99999-0003-01', drug_name='Alprazolam',
                 schedule='4'), 'refills_schedule_3_5', 'refills_authorized', {'value': 6}),
            (row(rx_number='TWO1'), 'rx_patient_in_file', 'rx_number',
             {'value': 'TWO1', 'patient': 'D9'}),
            (row(rx_number='OTHER1'), 'rx_other_patient', 'rx_number', {'value': 'OTHER1'}),
            (row(fill_date='2026-01-04', pickup_date='2026-01-04'), 'fill_before_written',
             'fill_date', {'value': '2026-01-04', 'rx_number': None,
                           'date_written': '2026-01-05'}),
            (row(date_written='2025-08-31', ndc='99999-0003-01', drug_name='Alprazolam',
                 schedule='4', refills_authorized='1', fill_date='2026-03-01',
                 pickup_date='2026-03-01'), 'fill_after_expiry', 'fill_date',
             {'value': '2026-03-01', 'rx_number': None, 'date_expiry': '2026-02-28'}),
            (row(patient_id='D5', first_name='Hal', last_name='Holder', rx_number='HOLD1',
                 date_written='2026-01-02'), 'rx_not_active', 'rx_number',
             {'value': 'HOLD1', 'state': 'on_hold'}),
            (row(patient_id='D6', first_name='Gil', last_name='Gone'), 'patient_not_active',
             'patient_id', {'value': 'D6'}),
            (row(refills_authorized='0', fill_number='2', fill_date='2026-01-20',
                 pickup_date='2026-01-20'), 'beyond_refills', 'fill_number',
             {'value': 2, 'rx_number': None, 'refills': 0, 'fills': 1}),
        ]
        # a prescription of its own for each row (but those about a given Rx number)
        rows = [dict(values, rx_number='E%d' % index) if values['rx_number'] == 'IMP1'
                else values for index, (values, *_expected) in enumerate(cases)]
        # the good rows the refusals need: the last line of TWO1 (patient D9) and the first
        # fill of the prescription that has no refill left (the beyond_refills line's)
        full = rows[-1]['rx_number']
        rows += [row(rx_number=full, refills_authorized='0'),
                 row(patient_id='D9', first_name='Ned', last_name='Nine', rx_number='TWO1')]
        counts, errors = self._import(rows)
        expected = []
        for index, (values, code, column, params) in enumerate(cases):
            if params is not None:
                params = {key: rows[index]['rx_number'] if key == 'rx_number' and value is None
                          else value for key, value in params.items()}
            expected.append((index + 2, code, column, params))
        self.assertEqual([(e.line, e.code, e.column, e.params if params is not None else None)
                          for e, (_l, _c, _col, params) in zip(errors, expected)], expected)
        self.assertEqual(len(errors), len(cases))
        self.assertEqual(counts['bad'], len(cases))
        self.assertEqual(counts['fill_new'], 2)
        self.assertEqual({error.code for error in errors}, REASON_CODES)
        # each sentence quotes only values the refusal carries
        sentences = self.env['pharmacy.import.error']._reason_sentences()
        for error in errors:
            self.assertLessEqual(set(re.findall(r'%\((\w+)\)s', sentences[error.code])),
                                 set(error.params) | {'column'}, error)
        # the two rows whose allowed values come from the catalog
        self.assertEqual(errors[10].params['value'], 'pill')
        self.assertIn('tablet, capsule', errors[10].params['allowed'])
        self.assertEqual(errors[13].params['value'], 'nsaid')
        self.assertIn('statin', errors[13].params['allowed'].split(', '))

    def test_refusals_on_the_log_in_english(self):
        """The log stores each refusal; its reason is the English sentence for an English
        reader, with the values of the file and a state's label."""
        held = self._prescription(patient_id=self.env['res.partner'].create({
            'name': 'Hal Holder', 'is_patient': True, 'nkda': True, 'dispensing_id': 'D5',
            'birthdate_date': '1950-03-04', 'company_id': self.company.id}).id,
            rx_number='HOLD1', date_written='2026-01-02')
        held.action_hold()
        data = base64.b64encode(csv_bytes([
            row(), row(rx_number='X2', ndc='12345'), row(rx_number='X3', state='lost'),
            row(patient_id='D5', first_name='Hal', last_name='Holder', rx_number='HOLD1',
                date_written='2026-01-02')]))
        self.manager.company_id = self.company
        log = self.env['pharmacy.import.log'].sudo(self.manager).create(
            {'name': 'x.csv', 'file': data})
        log.action_run_now()
        self.assertEqual(
            [(e.line, e.reason_code, e.file_column, json.loads(e.params), e.reason)
             for e in log.error_ids],
            [(3, 'ndc_invalid', 'ndc', {'value': '12345'},
              'ndc "12345" is not a National Drug Code (10 digits with hyphens 4-4-2, 5-3-2 '
              'or 5-4-1, or 11 digits)'),
             (4, 'not_in_list', 'state',
              {'value': 'lost', 'allowed': 'filled, ready, picked_up, returned'},
              'state "lost" is not one of: filled, ready, picked_up, returned'),
             (5, 'rx_not_active', 'rx_number', {'value': 'HOLD1', 'state': 'on_hold'},
              'prescription HOLD1 is On hold: no new fill is recorded on it')])
        body = log.message_ids[0].body
        self.assertTrue(body.endswith(
            'Fills: 1 new, 0 updated, 0 unchanged.<br>1 row(s) refused: Invalid NDC (ndc).<br>'
            '1 row(s) refused: Value not allowed (state).<br>1 row(s) refused: Prescription '
            'not active (rx_number).</p>'), body)

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
        sample = dispensing_sample.rows(patients=12, seed=11, bad_rows=8)
        counts, errors = self._import(sample)
        self.assertEqual((counts['rows'], counts['bad'], counts['duplicate']),
                         (len(sample), 8, 0))
        self.assertEqual(sorted(error.code for error in errors),
                         ['future'] * 2 + ['ndc_invalid'] * 2 + ['not_in_list'] * 2
                         + ['not_positive'] * 2)
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
        self.assertEqual(len(records[3]), len(sample) - 8)
        # what the sample is made for: each branch of the formulas is reached
        fills = records[3]
        self.assertEqual(set(prescriptions.mapped('schedule')), {'none', '2', '3', '4', '5'})
        self.assertTrue(fills.filtered('is_short_fill'))
        self.assertTrue(fills.filtered(lambda fill: fill.state == 'returned'))
        self.assertTrue(any(rx.fill_ids.filtered(lambda f, rx=rx: f.counts and f.fill_date ==
                                                 rx.last_fill_date)[1:]
                            for rx in prescriptions))   # two counted fills on the last day
        self.assertTrue(prescriptions.filtered(lambda rx: rx.fill_count and
                                               not rx.refills_remaining))
        # supply on hand carried over: an early fill makes the run-out later than the last
        # fill + its days supply
        self.assertTrue(prescriptions.filtered(
            lambda rx: rx.next_due_date and rx.next_due_date > str(
                datetime.date.fromisoformat(rx.last_fill_date)
                + datetime.timedelta(days=rx.last_fill_days_supply))))
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

    def test_sample_is_deterministic(self):
        """The same seed gives the same file, another seed another one."""
        digests = [hashlib.sha256(csv_bytes(dispensing_sample.rows(20, seed))).hexdigest()
                   for seed in (5, 5, 6)]
        self.assertEqual(digests[0], digests[1])
        self.assertNotEqual(digests[0], digests[2])

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
        self.assertEqual((log.state, log.fill_new, log.file or False, log.sha256),
                         ('done', 1, False, hashlib.sha256(base64.b64decode(data)).hexdigest()))
        message = log.message_ids[0]
        self.assertIn('Fills: 1 new, 0 updated, 0 unchanged.', message.body)
        self.assertEqual(message.partner_ids, self.manager.partner_id)
        # in the manager's Discuss inbox, even when they are notified by email
        self.assertEqual(self.manager.notification_type, 'email')
        self.assertEqual(self.env['mail.message'].sudo(self.manager).search(
            [('needaction', '=', True), ('model', '=', 'pharmacy.import.log'),
             ('res_id', '=', log.id)]), message)
        # the dialog lists the columns on the screen, never a file of ours
        wizard = self.env['pharmacy.import.wizard'].sudo(self.manager).new({})
        self.assertIn('Required: ', wizard._default_columns())
        self.assertNotIn('.md', wizard._default_columns())

    def test_queued_file_kept_compressed(self):
        """The queued file is kept gzip-compressed in the log's row and read back as it was
        uploaded (its size alone when the client asks for sizes); a file still over the limit
        once compressed is refused naming the file and what to do, nothing queued."""
        rows = [row(rx_number='RXZ%d' % i) for i in range(200)]
        data = csv_bytes(rows)
        Log = self.env['pharmacy.import.log'].sudo(self.manager)
        log = Log.create({'name': 'big.csv', 'file': base64.b64encode(data)})
        self.assertEqual(log.file_size, len(data))
        packed = base64.b64decode(log.sudo().file_gzip)
        self.assertEqual(gzip.decompress(packed), data)
        self.assertLess(len(packed), len(data) / 3)
        self.assertEqual(base64.b64decode(log.file), data)
        self.assertEqual(log.with_context(bin_size=True).file, human_size(len(data)))
        # managers read the file, not its compressed copy
        with self.assertRaises(AccessError):
            log.read(['file_gzip'])
        before = Log.search_count([])
        with mock.patch.object(type(Log), '_max_packed_bytes', len(packed)):
            with self.assertRaisesRegex(UserError, r'File of the import is too large.*Split '
                                                   r'the export into files of whole patients'):
                Log.create({'name': 'bigger.csv', 'file': base64.b64encode(data + data)})
        self.assertEqual(Log.search_count([]), before)
        log.action_run_now()
        self.assertEqual((log.state, log.fill_new, log.file, log.sudo().file_gzip or False),
                         ('done', 200, False, False))

    def test_malformed_file_fails_whole(self):
        log = self.env['pharmacy.import.log'].sudo(self.manager).create(
            {'name': 'x.csv', 'file': base64.b64encode(b'name,phone\nA,1\n')})
        with mock.patch.object(pharmacy_import_log, '_logger') as logger:
            log.action_run_now()
        # a refused file is logged at INFO, without a traceback
        self.assertEqual([call[0] for call in logger.mock_calls], ['info'])
        self.assertIn('dispensing import %s refused', logger.mock_calls[0][1][0])
        self.assertEqual(log.state, 'failed')
        self.assertIn('Unknown: name', log.failure)
