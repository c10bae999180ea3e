# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The access log: views of one record, creates, writes and exports of patient data, failed
logins; readable by managers only, changed or deleted by nobody."""
import threading
from contextlib import contextmanager
from unittest.mock import patch

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.modules.registry import Registry

from .common import PATIENT_PROFILE, PharmacyCase

LOG_FIELDS = ['event', 'user_id', 'login', 'res_model', 'res_id', 'record_name', 'patient_id',
              'field_names', 'record_count', 'company_id']


class _SameCursor(object):
    """Stands for a new cursor of the registry, but works in the test's transaction."""

    def __init__(self, cr):
        self._cr = cr

    def __getattr__(self, name):
        return getattr(self._cr, name)

    def __enter__(self):
        return self._cr

    def __exit__(self, *exc_info):
        return False

    def close(self):
        pass


class TestAccessLog(PharmacyCase):

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env['pharmacy.access.log']
        cls.rx = cls._prescription(sig='Take 1 tablet by mouth daily')
        cls.note = cls.env['pharmacy.patient.note'].create(
            {'patient_id': cls.patient.id, 'body': 'Hard of hearing\nspeak slowly'})
        cls.company = cls.env.user.company_id

    def setUp(self):
        super().setUp()
        self.last_id = self.Log.search([], limit=1, order='id desc').id or 0

    def _new_entries(self):
        """What was logged since the test started, oldest first, as dicts without ids."""
        entries = self.Log.search([('id', '>', self.last_id)], order='id')
        return [{k: v for k, v in row.items() if k != 'id'} for row in entries.read(LOG_FIELDS)]

    def _entry(self, event, user, record, **values):
        entry = {'event': event, 'user_id': (user.id, user.name), 'login': False,
                 'res_model': record._name, 'res_id': record.id,
                 'record_name': record.display_name, 'field_names': False,
                 'patient_id': (self.patient.id, self.patient.name), 'record_count': 1,
                 'company_id': (self.company.id, self.company.name)}
        entry.update(values)
        return entry

    @contextmanager
    def _request_user(self, uid):
        """As if the current HTTP or RPC request were made by ``uid``."""
        thread = threading.current_thread()
        missing = object()
        previous = getattr(thread, 'uid', missing)
        thread.uid = uid
        try:
            yield
        finally:
            if previous is missing:
                del thread.uid
            else:
                thread.uid = previous

    # --- views -------------------------------------------------------------------------------
    def test_technician_opening_a_patient_logs_one_view(self):
        values = self.patient.sudo(self.technician).read(['name', 'allergies'])
        self.assertEqual(values[0]['allergies'], 'Penicillin')
        self.assertEqual(self._new_entries(), [
            self._entry('view', self.technician, self.patient, record_name='Pat Test')])

    def test_opening_a_prescription_or_a_note_logs_a_view_without_clinical_name(self):
        self.rx.sudo(self.pharmacist).read(['sig', 'state'])
        self.note.sudo(self.technician).read(['body'])
        self.assertEqual(self._new_entries(), [
            self._entry('view', self.pharmacist, self.rx,
                        record_name='Prescription of Pat Test'),
            self._entry('view', self.technician, self.note,
                        record_name='Patient Note of Pat Test'),
        ])

    def test_list_of_ten_patients_logs_nothing(self):
        patients = self.patient
        for i in range(9):
            patients |= self.env['res.partner'].create(
                dict(PATIENT_PROFILE, name='List %d' % i, is_patient=True, allergies='NKDA'))
        Partner = self.env['res.partner'].sudo(self.technician)
        rows = Partner.search_read([('id', 'in', patients.ids)], ['name', 'allergies'])
        self.assertEqual(len(rows), 10)
        patients.sudo(self.technician).read(['name', 'allergies'])
        self.rx.browse((self.rx | self._prescription()).ids).sudo(self.technician).read(
            ['rx_number', 'sig'])
        self.assertEqual(self._new_entries(), [])

    def test_reads_without_clinical_field_or_of_other_contacts_log_nothing(self):
        self.patient.sudo(self.technician).read(['name', 'phone'])
        self.prescriber.sudo(self.technician).read(['name', 'allergies'])
        self._fill(self.rx, '2024-01-05').sudo(self.technician).read()  # fills: not views
        self.assertEqual(self._new_entries(), [])

    def test_superuser_reads_are_logged_only_when_admin_made_the_request(self):
        self.patient.read(['allergies'])                 # Odoo itself, no request
        with self._request_user(self.technician.id):     # sudo() inside a technician's call
            self.patient.read(['allergies'])
        self.assertEqual(self._new_entries(), [])
        with self._request_user(SUPERUSER_ID):           # admin over the web client or RPC
            self.patient.read(['allergies'])
        admin = self.env['res.users'].browse(SUPERUSER_ID)
        self.assertEqual(self._new_entries(), [
            self._entry('view', admin, self.patient, record_name='Pat Test')])

    # --- changes -----------------------------------------------------------------------------
    def test_write_logs_field_names_never_values(self):
        others = self.env['res.partner'].create(
            dict(PATIENT_PROFILE, name='Other', is_patient=True))
        (self.patient | others).sudo(self.technician).write(
            {'allergies': 'Sulfa drugs', 'easy_open_caps': True})
        self.assertEqual(self._new_entries(), [
            self._entry('write', self.technician, self.patient, record_name='Pat Test',
                        field_names='allergies,easy_open_caps'),
            self._entry('write', self.technician, others, record_name='Other',
                        patient_id=(others.id, 'Other'),
                        field_names='allergies,easy_open_caps'),
        ])
        self.assertFalse(self.Log.search([('id', '>', self.last_id), '|', '|',
                                          ('record_name', 'ilike', 'Sulfa'),
                                          ('field_names', 'ilike', 'Sulfa'),
                                          ('login', 'ilike', 'Sulfa')]))

    def test_write_of_many_records_logs_them_in_one_query(self):
        patients = [self.env['res.partner'].create(
            dict(PATIENT_PROFILE, name='W%d' % i, is_patient=True)) for i in range(6)]
        one, five = patients[0], self.env['res.partner'].concat(*patients[1:])

        one, five = one.sudo(self.technician), five.sudo(self.technician)
        for records in (one, five):   # warm the caches of access rights and groups
            records._audit_log('write', field_names=['easy_open_caps'])

        def queries(records):
            """Queries of logging a write of ``records`` (the write itself is Odoo's)."""
            records.invalidate_cache()
            before = self.cr.sql_log_count
            records._audit_log('write', field_names=['easy_open_caps'])
            return self.cr.sql_log_count - before
        self.assertEqual(queries(five), queries(one))
        self.assertEqual(len(self._new_entries()), 12)

    def test_creating_prescriptions_and_fills_is_logged(self):
        rx = self.env['pharmacy.patient.medication'].sudo(self.technician).create({
            'patient_id': self.patient.id, 'medication_id': self.atorvastatin.id,
            'rx_number': 'RX-LOG-1', 'date_written': '2024-01-02'})
        fill = self.env['pharmacy.fill'].sudo(self.technician).create({
            'prescription_id': rx.id, 'fill_date': '2024-01-03', 'quantity': 30,
            'days_supply': 30})
        self.assertEqual(self._new_entries(), [
            self._entry('create', self.technician, rx, record_name='Prescription of Pat Test',
                        field_names='date_written,medication_id,patient_id,rx_number'),
            self._entry('create', self.technician, fill, record_name='Fill of Pat Test',
                        field_names='days_supply,fill_date,prescription_id,quantity'),
        ])

    def test_contacts_that_are_not_patients_are_not_logged(self):
        contact = self.env['res.partner'].sudo(self.technician).create({'name': 'Supplier'})
        contact.write({'phone': '555-0101'})
        self.assertEqual(self._new_entries(), [])
        contact.write(dict(PATIENT_PROFILE, is_patient=True))
        self.assertEqual(self._new_entries(), [self._entry(
            'write', self.technician, contact, record_name='Supplier',
            patient_id=(contact.id, 'Supplier'),
            field_names='allergies,birthdate_date,is_patient')])

    # --- exports -----------------------------------------------------------------------------
    def test_export_logs_one_entry_with_paths_and_count(self):
        other = self.env['res.partner'].create(
            dict(PATIENT_PROFILE, name='Other', is_patient=True))
        paths = ['name', 'allergies', 'prescription_ids/rx_number']
        Partner = self.env['res.partner'].sudo(self.technician)
        data = Partner.browse([self.patient.id, other.id, self.prescriber.id]).export_data(paths)
        self.assertEqual([row[0] for row in data['datas']],
                         ['Pat Test', 'Other', 'Alice Brown, MD'])
        Partner.browse(self.patient.id).export_data(['name'])
        self.assertEqual(self._new_entries(), [
            self._entry('export', self.technician, self.patient, res_id=0, patient_id=False,
                        record_name='Contact: 2 records', record_count=2,
                        field_names='name,allergies,prescription_ids/rx_number'),
            self._entry('export', self.technician, self.patient, record_name='Pat Test',
                        field_names='name'),
        ])

    # --- who reads the log, and nobody changes it ----------------------------------------------
    def test_only_managers_read_and_export_the_log(self):
        self.patient.sudo(self.technician).read(['allergies'])
        entry = self.Log.search([('id', '>', self.last_id)])
        self.assertEqual(len(entry), 1)
        for user in (self.technician, self.pharmacist, self.internal_user, self.portal_user):
            with self.assertRaises(AccessError, msg=user.login):
                self.Log.sudo(user).search_read([('patient_id', '=', self.patient.id)])
            with self.assertRaises(AccessError, msg=user.login):
                entry.sudo(user).export_data(['date', 'user_id', 'patient_id'])
        data = entry.sudo(self.manager).export_data(['event', 'user_id', 'patient_id'])
        self.assertEqual(data['datas'], [['Viewed', 'Tech', 'Pat Test']])

    def test_access_log_menu_is_for_managers_only(self):
        log_menu = self.env.ref('pharmacy_crm.pharmacy_access_log_menu')
        reporting = self.env.ref('pharmacy_crm.pharmacy_menu_reporting')
        Menu = self.env['ir.ui.menu']
        visible = set(Menu.sudo(self.manager)._visible_menu_ids())
        self.assertTrue({log_menu.id, reporting.id} <= visible)
        for user in (self.technician, self.pharmacist, self.internal_user):
            visible = set(Menu.sudo(user)._visible_menu_ids())
            self.assertFalse({log_menu.id, reporting.id} & visible, user.login)
        Log = self.Log.sudo(self.manager)
        for view_type in ('tree', 'form', 'search'):
            arch = Log.fields_view_get(view_type=view_type)['arch']
            if view_type != 'search':   # no button to create, edit or delete an entry
                self.assertIn('create="false" edit="false" delete="false"', arch)

    def test_nobody_creates_changes_or_deletes_an_entry(self):
        self.patient.sudo(self.technician).read(['allergies'])
        entry = self.Log.search([('id', '>', self.last_id)])
        for log in (entry, entry.sudo(self.manager)):   # the superuser, then a manager
            with self.assertRaises(UserError):
                log.write({'user_id': self.manager.id})
            with self.assertRaises(UserError):
                log.unlink()
            with self.assertRaises(UserError):
                log.copy()
            with self.assertRaises(UserError):
                log.create({'event': 'view', 'date': '2024-01-01 00:00:00'})
        self.assertEqual(entry.user_id, self.technician)

    # --- failed logins -----------------------------------------------------------------------
    def test_failed_logins_are_logged(self):
        Users = self.registry['res.users']
        db = self.cr.dbname
        with patch.object(Registry, 'cursor', lambda registry: _SameCursor(self.cr)):
            self.assertFalse(Users._login(db, self.technician.login, 'wrong password'))
            self.assertFalse(Users._login(db, 'nobody@example.com', 'guess'))
            denied = []   # not assertRaises: it rolls back what the refused call wrote
            try:
                Users.check(db, self.pharmacist.id, 'wrong password')
            except AccessDenied as error:
                denied.append(error)
            self.assertEqual(len(denied), 1, 'a wrong password passed the check')
        tech, pharmacist = self.technician, self.pharmacist
        self.assertEqual(self._new_entries(), [
            {'event': 'login_failed', 'user_id': (tech.id, tech.name), 'login': tech.login,
             'res_model': 'res.users', 'res_id': tech.id, 'record_name': tech.login,
             'patient_id': False, 'field_names': False, 'record_count': 0,
             'company_id': (self.company.id, self.company.name)},
            {'event': 'login_failed', 'user_id': False, 'login': 'nobody@example.com',
             'res_model': 'res.users', 'res_id': 0, 'record_name': 'nobody@example.com',
             'patient_id': False, 'field_names': False, 'record_count': 0,
             'company_id': False},
            {'event': 'login_failed', 'user_id': (pharmacist.id, pharmacist.name),
             'login': pharmacist.login, 'res_model': 'res.users', 'res_id': pharmacist.id,
             'record_name': pharmacist.login, 'patient_id': False, 'field_names': False,
             'record_count': 0, 'company_id': (self.company.id, self.company.name)},
        ])
