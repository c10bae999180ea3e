# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

from .common import PharmacyCase


class TestFill(PharmacyCase):

    def _keys(self, table):
        """{column: ON DELETE action} of the foreign keys of ``table``."""
        self.env.cr.execute(
            "SELECT a.attname, con.confdeltype FROM pg_constraint con JOIN pg_attribute a "
            "ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1] "
            "WHERE con.contype = 'f' AND con.conrelid = %s::regclass", [table])
        return dict(self.env.cr.fetchall())

    def test_fill_copies_its_prescription_keys_without_foreign_keys(self):
        """A fill's patient, medication, therapeutic class and company have no foreign key
        of their own (PrescriptionMany2one: PostgreSQL checked each per fill written); they
        stay equal to the prescription's when the ORM changes them, and none of the records
        they name can be deleted while the fill exists: the prescription's own keys refuse
        (ON DELETE RESTRICT), so a fill never points nowhere."""
        keys = self._keys('pharmacy_fill')
        self.assertFalse({'patient_id', 'medication_id', 'therapeutic_class_id',
                          'company_id'} & set(keys))
        self.assertEqual(keys['prescription_id'], 'r')
        self.assertEqual({column: action for column, action in self._keys(
            'pharmacy_patient_medication').items() if column in (
                'patient_id', 'medication_id', 'company_id')},
            {'patient_id': 'r', 'medication_id': 'r', 'company_id': 'r'})
        self.assertEqual(self._keys('pharmacy_medication')['therapeutic_class_id'], 'r')
        company = self.env['res.company'].create({'name': 'Fill keys pharmacy'})
        patient = self.env['res.partner'].create({
            'name': 'Kay Keys', 'is_patient': True, 'birthdate_date': '1960-02-03',
            'allergies': 'None known', 'company_id': company.id})
        Class = self.env['pharmacy.therapeutic.class']
        first = Class.create({'name': 'Keys A', 'code': 'KEYS_A'})
        second = Class.create({'name': 'Keys B', 'code': 'KEYS_B'})
        medication = self.env['pharmacy.medication'].create({
            'name': 'Keysartan', 'strength': '10 mg', 'therapeutic_class_id': first.id})
        rx = self._prescription(patient_id=patient.id)
        fill = self._fill(rx, '2024-01-05')

        def copies():
            self.env.cr.execute(
                'SELECT f.patient_id, f.medication_id, f.therapeutic_class_id, f.company_id, '
                'rx.patient_id, rx.medication_id, m.therapeutic_class_id, rx.company_id '
                'FROM pharmacy_fill f JOIN pharmacy_patient_medication rx '
                'ON rx.id = f.prescription_id JOIN pharmacy_medication m '
                'ON m.id = rx.medication_id WHERE f.id = %s', [fill.id])
            row = self.env.cr.fetchone()
            self.assertEqual(row[:4], row[4:])
            return row[:4]
        self.assertEqual(copies(), (patient.id, self.atorvastatin.id,
                                    self.atorvastatin.therapeutic_class_id.id, company.id))
        rx.medication_id = medication
        self.assertEqual(copies(), (patient.id, medication.id, first.id, company.id))
        medication.therapeutic_class_id = second
        self.assertEqual(copies(), (patient.id, medication.id, second.id, company.id))
        first.unlink()    # no longer named: deleted
        for table, record, key in (
                ('res_partner', patient, 'pharmacy_patient_medication_patient_id_fkey'),
                ('pharmacy_medication', medication,
                 'pharmacy_patient_medication_medication_id_fkey'),
                ('pharmacy_therapeutic_class', second,
                 'pharmacy_medication_therapeutic_class_id_fkey'),
                ('res_company', company, 'pharmacy_patient_medication_company_id_fkey')):
            with self.assertRaises(psycopg2.IntegrityError) as refused, \
                    mute_logger('odoo.sql_db'):
                self.env.cr.execute(  # pylint: disable=sql-injection
                    'DELETE FROM %s WHERE id = %%s' % table, [record.id])
            self.assertEqual(refused.exception.diag.constraint_name, key)
        self.assertEqual(copies(), (patient.id, medication.id, second.id, company.id))

    def test_short_fill_is_fewer_days_than_prescribed(self):
        rx = self._prescription(days_supply=30)
        self.assertFalse(self._fill(rx, '2024-01-05').is_short_fill)
        self.assertTrue(self._fill(rx, '2024-02-04', days_supply=12).is_short_fill)

    def test_returned_fill_counts_for_nothing_but_stays_in_history(self):
        rx = self._prescription()
        self._fill(rx, '2024-01-05')
        late = self._fill(rx, '2024-02-04')
        late.action_return_to_stock()
        self.assertEqual(late.state, 'returned')
        self.assertFalse(late.counts)
        self.assertEqual(rx.next_due_date, '2024-02-04')   # from Jan 5 + 30
        self.assertEqual(len(rx.fill_ids), 2)
        late.action_undo_return()
        self.assertEqual(rx.next_due_date, '2024-03-05')   # Feb 4 + 30 (leap February)

    def test_supply_on_hand_carries_over(self):
        """An early fill starts where the supply before it runs out; the refill-too-soon date
        stays the payer's, from the fill date; a returned fill carries nothing."""
        rx = self._prescription()
        self._fill(rx, '2024-01-05')                          # runs out Feb 4
        early = self._fill(rx, '2024-01-30', days_supply=90)  # day 25 of 30: not too soon
        # Feb 4 + 90 days (29 days of a leap February) = May 4, not Jan 30 + 90 = Apr 29
        self.assertEqual(rx.next_due_date, '2024-05-04')
        self.assertEqual(rx.refill_eligible_date, '2024-04-11')   # Jan 30 + 72 days
        early.action_return_to_stock()
        self.assertEqual(rx.next_due_date, '2024-02-04')

    def test_no_fill_beyond_the_refills(self):
        rx = self._prescription(refills_authorized=1, rx_number='R1')
        self._fill(rx, '2024-01-05')
        self._fill(rx, '2024-02-04')
        with self.assertRaises(ValidationError) as err:
            self._fill(rx, '2024-03-05')
        self.assertIn('Prescription R1 has no refills left: 1 refill(s) authorized, so at '
                      'most 2 fills', err.exception.name)
        # a returned fill frees its refill
        rx.fill_ids[0].action_return_to_stock()
        self._fill(rx, '2024-03-05')
        # and cannot come back while the refills are used up
        with self.assertRaises(ValidationError):
            rx.fill_ids.filtered(lambda f: f.state == 'returned').action_undo_return()

    def test_fill_dates_within_the_prescription(self):
        rx = self._prescription(rx_number='R2', date_written='2024-01-02')
        with self.assertRaises(ValidationError) as err:
            self._fill(rx, '2024-01-01')
        # dates in the user's format (en_US), never ISO
        self.assertIn('Fill date 01/01/2024 of R2 is before the prescription was written '
                      '(01/02/2024)', err.exception.name)
        with self.assertRaises(ValidationError) as err:
            self._fill(rx, '2025-01-03')
        self.assertIn('after the prescription expired (01/02/2025)', err.exception.name)
        self._fill(rx, '2025-01-02')  # the expiry day itself is fine

    def test_quantity_and_days_must_be_positive(self):
        rx = self._prescription(rx_number='R3')
        with self.assertRaises(ValidationError) as err:
            self._fill(rx, '2024-01-05', quantity=0)
        self.assertIn('Quantity of the fill of R3 must be more than 0', err.exception.name)
        with self.assertRaises(ValidationError) as err:
            self._fill(rx, '2024-01-05', days_supply=-5)
        self.assertIn('Days supply of the fill of R3 must be at least 1 day (got -5)',
                      err.exception.name)

    def test_pickup_flow(self):
        fill = self._fill(self._prescription(), '2024-01-05')
        fill.action_ready()
        fill.action_pick_up()
        self.assertEqual(fill.state, 'picked_up')
        self.assertEqual(fill.pickup_date, fill.env['res.company'].pharmacy_today())
        with self.assertRaises(UserError):
            fill.action_return_to_stock()
        with self.assertRaises(ValidationError) as err:
            self._fill(fill.prescription_id, '2024-02-05', state='picked_up')
        self.assertIn('Pickup date', err.exception.name)
