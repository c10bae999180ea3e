"""The pharmacy settings over JSON-RPC: a pharmacy manager and an administrator change the refill
threshold by every route (the settings screen, the registry, set_param, write, unlink of the
system parameter), each checked and applied alike: the refill-too-soon dates follow at once. A
value the setting refuses is refused naming the setting; a technician changes nothing.

The server applies a new threshold in a transaction of its own (the caller's has written
nothing yet), which the Odoo test cases of the addons cannot exercise.
"""
import uuid
from types import SimpleNamespace

import pytest

from rpc_users import ACCESS_ERROR, VALIDATION_ERROR, JsonRpc, RpcError, create_user, xmlid_to_id

KEY = 'pharmacy_crm.refill_threshold'
PICKUP = 'pharmacy_crm.pickup_reminder_days'
PARAM = 'ir.config_parameter'
# 7 and 30 days supply filled on 2024-03-01: refill too soon until + ceil(days x threshold)
DATES = {'0.8': ['2024-03-07', '2024-03-25'],     # ceil(5.6) = 6, ceil(24) = 24
         '0.5': ['2024-03-05', '2024-03-16']}     # ceil(3.5) = 4, ceil(15) = 15


@pytest.fixture(scope='module')
def pharmacy(odoo_server, db_name, admin_rpc):
    run = uuid.uuid4().hex[:8]
    d = SimpleNamespace()
    company = xmlid_to_id(admin_rpc, 'base.main_company')
    users = {}
    for role in ('manager', 'technician'):
        login = 'settings_%s_%s' % (role, run)
        create_user(admin_rpc, role, login, company)
        users[role] = JsonRpc(odoo_server, db_name, login, login)
    users['admin'] = JsonRpc(odoo_server, db_name, 'admin', 'admin')
    d.users = users
    d.patient = admin_rpc('res.partner', 'create', {
        'name': 'Settings Patient %s' % run, 'is_patient': True,
        'birthdate_date': '1960-01-01', 'nkda': True})
    d.medication = admin_rpc('pharmacy.medication', 'create', {
        'name': 'Settings Medication %s' % run, 'strength': '10 mg'})
    d.prescriptions = []
    for days in (7, 30):
        rx = admin_rpc('pharmacy.patient.medication', 'create', {
            'patient_id': d.patient, 'medication_id': d.medication, 'days_supply': days,
            'quantity': days, 'refills_authorized': 1, 'date_written': '2024-02-01',
            'rx_number': 'SET-%s-%d' % (run, days)})
        admin_rpc('pharmacy.fill', 'create', {'prescription_id': rx, 'quantity': days,
                                              'days_supply': days, 'fill_date': '2024-03-01'})
        d.prescriptions.append(rx)
    [param] = admin_rpc(PARAM, 'search_read', [('key', '=', KEY)], ['value'])
    assert param['value'] == '0.8'
    # the days before Waiting for Pickup: the default (no parameter), as in the demo
    admin_rpc(PARAM, 'unlink', admin_rpc(PARAM, 'search', [('key', '=', PICKUP)]))
    yield d
    admin_rpc(PARAM, 'set_param', KEY, '0.8')
    admin_rpc('pharmacy.patient.medication', 'write', d.prescriptions, {'active': False})
    admin_rpc('res.partner', 'write', [d.patient], {'active': False})
    admin_rpc('pharmacy.medication', 'write', [d.medication], {'active': False})


def _refusal(err):
    """(exception name, message) of a refusal (Odoo 11 adds the exception's empty value)."""
    return err.value.name, err.value.message.replace('\nNone', '')


def _state(admin_rpc, pharmacy):
    """(the parameter's text, the prescriptions' refill-too-soon dates)."""
    [param] = admin_rpc(PARAM, 'search_read', [('key', '=', KEY)], ['value'])
    dates = {rx['id']: rx['refill_eligible_date'] for rx in admin_rpc(
        'pharmacy.patient.medication', 'read', pharmacy.prescriptions, ['refill_eligible_date'])}
    return param['value'], [dates[rx] for rx in pharmacy.prescriptions]


def _ways(rpc):
    """Each route by which ``rpc``'s user changes the refill threshold to a text."""
    def screen(text):
        settings = rpc.call('res.config.settings', 'create',
                            {'pharmacy_refill_threshold': float(text)})
        rpc.call('res.config.settings', 'execute', [settings])

    def write(text):
        ids = rpc.call(PARAM, 'search', [('key', '=', KEY)])
        rpc.call(PARAM, 'write', ids, {'value': text})
    return {'screen': screen,
            'registry': lambda text: rpc.call('pharmacy.setting', 'set', 'refill_threshold',
                                              text),
            'set_param': lambda text: rpc.call(PARAM, 'set_param', KEY, text),
            'write': write}


@pytest.mark.parametrize('role', ['manager', 'admin'])
def test_every_route_applies_the_threshold(pharmacy, admin_rpc, role):
    rpc = pharmacy.users[role]
    assert _state(admin_rpc, pharmacy) == ('0.8', DATES['0.8'])
    for way, change in _ways(rpc).items():
        change('0.5')
        assert _state(admin_rpc, pharmacy) == ('0.5', DATES['0.5']), way
        assert rpc.call('pharmacy.setting', 'get', 'refill_threshold') == 0.5
        change('0.8')
        assert _state(admin_rpc, pharmacy) == ('0.8', DATES['0.8']), way
    # deleting the parameter: back to the default, applied; creating it again: it exists
    rpc.call(PARAM, 'set_param', KEY, '0.5')
    rpc.call(PARAM, 'unlink', rpc.call(PARAM, 'search', [('key', '=', KEY)]))
    assert _state(admin_rpc, pharmacy) == ('0.8', DATES['0.8'])
    with pytest.raises(RpcError) as err:
        rpc.call(PARAM, 'create', {'key': KEY, 'value': '0.5'})
    assert _refusal(err) == (
        VALIDATION_ERROR, 'Refill Threshold: the system parameter pharmacy_crm.refill_threshold '
                          'exists already; change its value.')


@pytest.mark.parametrize('role', ['manager', 'admin'])
def test_a_refused_value_is_refused_by_every_route(pharmacy, admin_rpc, role):
    ways = _ways(pharmacy.users[role])
    del ways['screen']    # it sends numbers: tested in pharmacy_crm/tests/test_setting_registry.py
    for way, change in ways.items():
        for wrong in ('abc', '1.5', '', '-0.5'):
            with pytest.raises(RpcError) as err:
                change(wrong)
            assert _refusal(err) == (
                VALIDATION_ERROR, 'Refill Threshold must be more than 0 and at most 1, with at '
                                  'most 2 decimals (got "%s").' % wrong), (way, wrong)
    assert _state(admin_rpc, pharmacy) == ('0.8', DATES['0.8'])


def test_the_manager_creates_and_deletes_a_setting_parameter(pharmacy):
    manager = pharmacy.users['manager']
    assert manager.call(PARAM, 'search', [('key', '=', PICKUP)]) == []
    param = manager.call(PARAM, 'create', {'key': PICKUP, 'value': ' 30 '})
    assert manager.call(PARAM, 'read', [param], ['value']) == [{'id': param, 'value': '30'}]
    assert manager.call('pharmacy.setting', 'get', 'pickup_reminder_days') == 30
    assert manager.call(PARAM, 'unlink', [param]) is True
    assert manager.call(PARAM, 'search', [('key', '=', PICKUP)]) == []
    assert manager.call('pharmacy.setting', 'get', 'pickup_reminder_days') == 7


def test_a_technician_changes_no_setting(pharmacy, admin_rpc):
    technician = pharmacy.users['technician']
    [param] = admin_rpc(PARAM, 'search', [('key', '=', KEY)])
    routes = dict(_ways(technician),
                  write=lambda text: technician.call(PARAM, 'write', [param], {'value': text}),
                  create=lambda text: technician.call(PARAM, 'create',
                                                      {'key': PICKUP, 'value': '3'}),
                  unlink=lambda text: technician.call(PARAM, 'unlink', [param]))
    for way, change in routes.items():
        with pytest.raises(RpcError) as err:
            change('0.5')
        assert err.value.name == ACCESS_ERROR, way
    assert _state(admin_rpc, pharmacy) == ('0.8', DATES['0.8'])
    assert admin_rpc(PARAM, 'search', [('key', '=', PICKUP)]) == []
