# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Test data every pharmacy test builds for itself: staff of each group, a prescriber, a patient,
medications and a prescription helper."""
import datetime
import unittest
from contextlib import contextmanager
from unittest.mock import patch

from odoo import fields
from odoo.tests.common import SavepointCase

from ..tools import dates

VALID_NPI = '1234567893'      # CMS's example: Luhn over 80840123456789 gives check digit 3
VALID_DEA = 'AB1234563'       # (1+3+5) + 2*(2+4+6) = 33: check digit 3; B for Brown
# what a patient needs besides a name: a birthdate, and allergies or "no known drug allergies"
PATIENT_PROFILE = {'birthdate_date': '1960-01-01', 'allergies': 'Penicillin'}


@contextmanager
def frozen_clock(env, moment):
    """Freeze the pharmacy's clock at ``moment`` (UTC, ``YYYY-MM-DD HH:MM:SS`` or a naive
    datetime), as the code reads it: ``tools.dates.utcnow`` in Python, and the setting
    ``pharmacy.utcnow`` that the SQL function ``pharmacy_today`` reads, on ``env``'s cursor."""
    if isinstance(moment, str):
        moment = fields.Datetime.from_string(moment)
    env.cr.execute("SELECT set_config('pharmacy.utcnow', %s, false)",
                   [fields.Datetime.to_string(moment)])
    try:
        with patch.object(dates, 'utcnow', return_value=moment):
            yield moment
    finally:
        env.cr.execute("SELECT set_config('pharmacy.utcnow', '', false)")


def utc(text):
    """A UTC moment written ``YYYY-MM-DD HH:MM``."""
    return datetime.datetime.strptime(text, '%Y-%m-%d %H:%M')


class PharmacyCase(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       no_reset_password=True))
        ref = cls.env.ref
        cls.group_technician = ref('pharmacy_crm.group_pharmacy_technician')
        cls.group_pharmacist = ref('pharmacy_crm.group_pharmacy_pharmacist')
        cls.group_manager = ref('pharmacy_crm.group_pharmacy_manager')
        cls.technician = cls._user('tech', cls.group_technician)
        cls.pharmacist = cls._user('pharmacist', cls.group_pharmacist)
        cls.manager = cls._user('manager', cls.group_manager)
        cls.internal_user = cls._user('office', ref('base.group_user'))
        cls.portal_user = cls._user('portal', ref('base.group_portal'))
        cls.prescriber = cls.env['res.partner'].create({
            'name': 'Alice Brown, MD', 'is_prescriber': True, 'npi': VALID_NPI,
            'dea_number': VALID_DEA, 'phone': '+1 555-0100-1234', 'fax': '+1 555-0100-9999'})
        cls.patient = cls.env['res.partner'].create({
            'name': 'Pat Test', 'is_patient': True, 'birthdate_date': '1950-06-15',
            'allergies': 'Penicillin'})
        Medication = cls.env['pharmacy.medication']
        cls.atorvastatin = Medication.create({
            'name': 'Atorvastatin', 'strength': '20 mg', 'therapeutic_class_id': ref(
                'pharmacy_crm.therapeutic_class_statin').id,
            'is_maintenance': True, 'ndc': '0071-0156-23'})
        cls.oxycodone = Medication.create({'name': 'Oxycodone', 'strength': '5 mg',
                                           'schedule': '2'})
        cls.alprazolam = Medication.create({'name': 'Alprazolam', 'strength': '0.5 mg',
                                            'schedule': '4'})

    @contextmanager
    def _assertRaises(self, exception):
        """Roll back what the refused call wrote, as Odoo 12+ does in assertRaises."""
        with super()._assertRaises(exception) as context:
            with self.env.cr.savepoint():
                yield context
        self.env.clear()   # the cache may hold what the savepoint rolled back

    def assertRaisesRegex(self, exception, regex, *args, **kwargs):
        """As a context manager: also roll back what the refused call wrote."""
        if args or kwargs:
            return super().assertRaisesRegex(exception, regex, *args, **kwargs)
        return self._assertRaisesRegex(exception, regex)

    @contextmanager
    def _assertRaisesRegex(self, exception, regex):
        with unittest.TestCase.assertRaisesRegex(self, exception, regex) as context:
            with self.env.cr.savepoint():
                yield context
        self.env.clear()

    @classmethod
    def _user(cls, login, group):
        return cls.env['res.users'].create({
            'name': login.title(), 'login': 'pharmacy_test_%s' % login,
            'email': '%s@example.com' % login, 'groups_id': [(6, 0, [group.id])]})

    @classmethod
    def _prescription(cls, **values):
        vals = {'patient_id': cls.patient.id, 'medication_id': cls.atorvastatin.id,
                'prescriber_id': cls.prescriber.id, 'rx_number': 'RX%d' % cls._next_rx(),
                'days_supply': 30, 'quantity': 30, 'refills_authorized': 5,
                'date_written': '2024-01-02'}
        vals.update(values)
        return _created(cls.env['pharmacy.patient.medication'], vals)

    @classmethod
    def _next_rx(cls):
        cls._rx_counter = getattr(cls, '_rx_counter', 0) + 1
        return cls._rx_counter

    @staticmethod
    def _fill(prescription, fill_date, days_supply=None, **values):
        vals = {'prescription_id': prescription.id, 'fill_date': fill_date,
                'quantity': prescription.quantity or 30,
                'days_supply': days_supply or prescription.days_supply}
        vals.update(values)
        return _created(prescription.env['pharmacy.fill'], vals)


def _created(model, vals):
    """A record of ``model`` created with ``vals``; a state other than a new record's is
    then set as the server sets it (a state changes through its actions only, #18)."""
    state = vals.get('state')
    if state is None or state == model._fields['state'].default(model):
        return model.create(vals)
    record = model.create(dict(vals, state=model._fields['state'].default(model)))
    record._pharmacy_server_write({'state': state})
    return record
