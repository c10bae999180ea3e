"""The dispensing import from outside, over JSON-RPC: only a manager queues and runs an import
and reads its log; technicians, marketing, internal and portal users are refused; the refused
rows come back on the log with their line and reason."""
import base64
import time

import pytest

from rpc_users import ACCESS_ERROR, JsonRpc, create_user, xmlid_to_id

HEADER = ('patient_id,last_name,first_name,birthdate,phone,allergies,prescriber_npi,'
          'prescriber_name,prescriber_dea,ndc,drug_name,generic_name,strength,dosage_form,'
          'drug_type,schedule,therapeutic_class,rx_number,date_written,refills_authorized,'
          'rx_quantity,rx_days_supply,fill_number,fill_date,quantity,days_supply,state,'
          'pickup_date\n')


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
    csv = (HEADER + 'RPC%d,Rpc,Pat,1961-01-01,,NKDA,1234567802,"Carl Doe, MD",,'
           '88888-0001-01,Lovastatin,lovastatin,20 mg,tablet,generic,none,statin,RPCRX%d,'
           '2026-01-02,5,30,30,1,2026-01-02,30,30,picked_up,2026-01-03\n'
           'RPC%d,Rpc,Pat,1961-01-01,,NKDA,1234567802,"Carl Doe, MD",,'
           '88888-0001-01,Lovastatin,lovastatin,20 mg,tablet,generic,none,statin,RPCRX%d,'
           '2026-01-02,5,30,30,2,2026-01-02,30,30,lost,\n') % (stamp, stamp, stamp, stamp)
    vals = {'name': 'rpc.csv', 'file': base64.b64encode(csv.encode()).decode()}
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
    errors = manager.call('pharmacy.import.error', 'read', log['error_ids'], ['line', 'reason'])
    assert [(e['line'], e['reason']) for e in errors] == [
        (3, 'state "lost" is not filled, ready, picked_up or returned')]
    for role in ('technician', 'marketing'):
        assert users[role].outcome('pharmacy.import.error', 'read', log['error_ids'],
                                   ['reason'])[:2] == ('error', ACCESS_ERROR), role
