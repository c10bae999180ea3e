"""The dispensing import from outside, over JSON-RPC: only a manager queues and runs an import
and reads its log; technicians, marketing, internal and portal users are refused; the refused
rows come back on the log with their line, the kind of refusal, the column concerned, the
values quoted and the reason in the reader's language."""
import base64
import json
import time

import pytest

from odoo.addons.pharmacy_crm_import.tools.dispensing_csv import NAMES, to_bytes
from rpc_users import ACCESS_ERROR, JsonRpc, create_user, xmlid_to_id

# the header line of the importer's layout (test_cron.py writes its rows after it)
HEADER = ','.join(NAMES) + '\n'


@pytest.fixture(scope='module')
def users(odoo_server, db_name, admin_rpc):
    company_id = xmlid_to_id(admin_rpc, 'base.main_company')
    stamp = int(time.time() * 1000)
    return {role: JsonRpc(odoo_server, db_name, login, login) for role, login in (
        (role, 'imp_%s_%d' % (role, stamp)) for role in (
            'technician', 'pharmacist', 'manager', 'marketing', 'internal', 'portal'))
        if create_user(admin_rpc, role, login, company_id)}


def test_only_managers_import(users):
    stamp = int(time.time())
    first = {'patient_id': 'RPC%d' % stamp, 'last_name': 'Rpc', 'first_name': 'Pat',
             'birthdate': '1961-01-01', 'allergies': 'NKDA', 'prescriber_npi': '1234567802',
             'prescriber_name': 'Carl Doe, MD', 'ndc': '88888-0001-01',
             'drug_name': 'Lovastatin', 'generic_name': 'lovastatin', 'strength': '20 mg',
             'dosage_form': 'tablet', 'drug_type': 'generic', 'schedule': 'none',
             'therapeutic_class': 'statin', 'rx_number': 'RPCRX%d' % stamp,
             'date_written': '2026-01-02', 'refills_authorized': '5', 'rx_quantity': '30',
             'rx_days_supply': '30', 'fill_number': '1', 'fill_date': '2026-01-02',
             'quantity': '30', 'days_supply': '30', 'state': 'picked_up',
             'pickup_date': '2026-01-03'}
    csv = to_bytes([first, dict(first, fill_number='2', state='lost', pickup_date='')])
    vals = {'name': 'rpc.csv', 'file': base64.b64encode(csv).decode()}
    for role in ('technician', 'pharmacist', 'marketing', 'internal', 'portal'):
        outcome = users[role].outcome('pharmacy.import.log', 'create', vals)
        assert outcome[:2] == ('error', ACCESS_ERROR), (role, outcome)
        assert users[role].outcome('pharmacy.import.log', 'search_read', [], ['name'])[:2] == \
            ('error', ACCESS_ERROR), role
        # the engine has no public method
        outcome = users[role].outcome('pharmacy.import', '_import_file', None, None)
        assert outcome[0] == 'error', (role, outcome)
    manager = users['manager']
    log_id = manager.call('pharmacy.import.log', 'create', vals)
    for role in ('technician', 'marketing'):
        assert users[role].outcome('pharmacy.import.log', 'action_run_now', [log_id])[:2] == \
            ('error', ACCESS_ERROR), role
    manager.call('pharmacy.import.log', 'action_run_now', [log_id])
    [log] = manager.call('pharmacy.import.log', 'read', [log_id], [
        'state', 'row_count', 'bad_count', 'patient_new', 'prescription_new', 'fill_new',
        'error_ids', 'file'])
    assert (log['state'], log['row_count'], log['bad_count'], log['patient_new'],
            log['prescription_new'], log['fill_new'], log['file']) == \
        ('done', 2, 1, 1, 1, 1, False)
    errors = manager.call('pharmacy.import.error', 'read', log['error_ids'],
                          ['line', 'reason_code', 'file_column', 'params', 'reason'])
    assert [(e['line'], e['reason_code'], e['file_column'], json.loads(e['params']))
            for e in errors] == [(3, 'not_in_list', 'state', {
                'value': 'lost', 'allowed': 'filled, ready, picked_up, returned'})]
    # the sentence quotes the column and the value of the file
    assert 'state' in errors[0]['reason'] and '"lost"' in errors[0]['reason']
    for role in ('technician', 'marketing'):
        assert users[role].outcome('pharmacy.import.error', 'read', log['error_ids'],
                                   ['reason'])[:2] == ('error', ACCESS_ERROR), role
