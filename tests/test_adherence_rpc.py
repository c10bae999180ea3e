"""Adherence (issue 11) over JSON-RPC, role x route: staff of the patient's company read the
figures, pharmacists and managers recompute, marketing, internal and portal users get nothing,
a technician of another company sees no row; the outreach logged on the patient is read by
staff only. Every response is searched for the patient's name token (see ``JsonRpc``)."""
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest

from rpc_users import (ACCESS_ERROR, OTHER_COMPANY, OUTSIDERS, ROLES, USER_ERROR, JsonRpc,
                       create_user, xmlid_to_id)
from conftest import pharmacy_today

ADHERENCE = 'pharmacy.adherence'
FIELDS = ['patient_id', 'class_id', 'company_id', 'date_start', 'date_end', 'index_date',
          'covered_days', 'period_days', 'pdc', 'adherent', 'adherent_share', 'fill_count',
          'last_fill_date', 'next_due_date', 'days_late', 'patient_phone',
          'patient_contact_channel', 'is_latest', 'contacted_recently']
SEARCHABLE = [f for f in FIELDS if f != 'days_late']   # non-stored without a search method
READERS = ('technician', 'pharmacist', 'manager')


@pytest.fixture(scope='module')
def pdc(odoo_server, db_name, admin_rpc):
    run = uuid.uuid4().hex[:8]
    d = SimpleNamespace(token='PDC%s' % run)
    today = pharmacy_today()
    day = lambda n: (today - timedelta(days=n)).isoformat()   # noqa: E731
    d.start, d.end = day(100), day(0)
    d.company_a = xmlid_to_id(admin_rpc, 'base.main_company')
    d.company_b = admin_rpc('res.company', 'create', {'name': 'Pdc Company B %s' % run,
                                                      'pharmacy_tz': 'America/New_York'})
    d.statin = statin = xmlid_to_id(admin_rpc, 'pharmacy_crm.therapeutic_class_statin')
    medication = admin_rpc('pharmacy.medication', 'create', {
        'name': 'Pdcstatin %s' % run, 'generic_name': 'pdcstatin %s' % run,
        'therapeutic_class_id': statin})
    d.patient = admin_rpc('res.partner', 'create', {
        'name': 'Pdc Patient %s' % d.token, 'is_patient': True, 'birthdate_date': '1955-03-01',
        'nkda': True, 'phone': '+1 555-0199-0001'})
    rx = admin_rpc('pharmacy.patient.medication', 'create', {
        'patient_id': d.patient, 'medication_id': medication, 'rx_number': 'RX-%s' % d.token,
        'days_supply': 30, 'quantity': 30, 'refills_authorized': 3, 'date_written': day(100)})
    for n in (95, 40):
        admin_rpc('pharmacy.fill', 'create', {'prescription_id': rx, 'fill_date': day(n),
                                              'quantity': 30, 'days_supply': 30})
    d.users = {}
    for role in ROLES:
        login = 'pdc_%s_%s' % (role, run)
        company = d.company_b if role in OTHER_COMPANY else d.company_a
        d.users[role] = create_user(admin_rpc, role, login, company)
    forbidden = {role: [d.token] for role in OUTSIDERS + OTHER_COMPANY}
    d.clients = {role: JsonRpc(odoo_server, db_name, 'pdc_%s_%s' % (role, run),
                               'pdc_%s_%s' % (role, run), forbidden.get(role, ()))
                 for role in ROLES}
    d.count = d.clients['pharmacist'].call(ADHERENCE, 'recompute_period', d.start, d.end)
    [d.row] = admin_rpc(ADHERENCE, 'search', [('patient_id', '=', d.patient),
                                              ('date_start', '=', d.start)])
    return d


def _refused(client, model, method, *args, **kwargs):
    outcome = client.outcome(model, method, *args, **kwargs)
    assert outcome[0] == 'error' and outcome[1] in (ACCESS_ERROR, USER_ERROR), outcome
    return outcome


@pytest.mark.parametrize('role', ROLES)
def test_read(pdc, role):
    client = pdc.clients[role]
    outcome = client.outcome(ADHERENCE, 'read', [pdc.row], FIELDS)
    if role in READERS:
        [row] = outcome[1]
        # fills 95 and 40 days ago, 30 days each: 60 covered of 96 days
        assert (row['covered_days'], row['period_days'], row['fill_count'],
                row['adherent']) == (60, 96, 2, False)
        assert abs(row['pdc'] - 60 / 96) < 1e-12
        assert row['patient_phone'] == '+1 555-0199-0001'
    else:
        assert outcome[:2] == ('error', ACCESS_ERROR), outcome


@pytest.mark.parametrize('role', ROLES)
def test_search_each_field_group_order_export(pdc, role):
    client = pdc.clients[role]
    mine = [('patient_id', '=', pdc.patient)]
    if role in OUTSIDERS:
        for field in SEARCHABLE:
            _refused(client, ADHERENCE, 'search', [(field, '!=', False)])
        _refused(client, ADHERENCE, 'read_group', mine, ['pdc', 'class_id'], ['class_id'])
        _refused(client, ADHERENCE, 'export_data', [pdc.row], ['patient_id', 'pdc'])
        return
    expected = [pdc.row] if role in READERS else []
    # each field as a domain leaf: the row is found by what it holds
    row = pdc.clients['manager'].call(ADHERENCE, 'read', [pdc.row], SEARCHABLE)[0]
    for field in SEARCHABLE:
        value = row[field][0] if isinstance(row[field], list) else row[field]
        found = client.call(ADHERENCE, 'search', mine + [(field, '=', value)])
        assert found == expected, (field, value, found)
    groups = client.call(ADHERENCE, 'read_group', mine, ['pdc', 'class_id'], ['class_id'])
    assert [g['class_id_count'] for g in groups] == ([1] if expected else [])
    assert client.call(ADHERENCE, 'search', mine, order='pdc desc, id') == expected
    exported = client.call(ADHERENCE, 'export_data', expected, ['class_id', 'covered_days'])
    assert exported == {'datas': [['Statins', '60']] if expected else []}


@pytest.mark.parametrize('role', ROLES)
def test_recompute_and_writes(pdc, admin_rpc, role):
    client = pdc.clients[role]
    # a recompute replaces the period's rows: the current one
    [pdc.row] = admin_rpc(ADHERENCE, 'search', [('patient_id', '=', pdc.patient),
                                                ('date_start', '=', pdc.start)])
    if role in ('pharmacist', 'manager'):
        assert client.call(ADHERENCE, 'recompute_period', pdc.start, pdc.end) == pdc.count
    else:
        _refused(client, ADHERENCE, 'recompute_period', pdc.start, pdc.end)
    _refused(client, ADHERENCE, 'create', {'patient_id': pdc.patient, 'class_id': pdc.statin,
                                           'date_start': pdc.start, 'date_end': pdc.end})
    _refused(client, ADHERENCE, 'write', [pdc.row], {'covered_days': 96})
    _refused(client, ADHERENCE, 'unlink', [pdc.row])
    if role in OUTSIDERS + OTHER_COMPANY:   # the wizard would show the figure's patient
        _refused(client, 'pharmacy.adherence.outreach', 'create',
                 {'adherence_id': pdc.row, 'outcome': 'reached'})


def test_outreach_is_read_by_staff_only(pdc, admin_rpc):
    [row] = admin_rpc(ADHERENCE, 'search', [('patient_id', '=', pdc.patient),
                                            ('date_start', '=', pdc.start)])
    tech = pdc.clients['technician']
    wizard = tech.call('pharmacy.adherence.outreach', 'create', {
        'adherence_id': row, 'outcome': 'voicemail', 'barrier': 'forgot',
        'note': 'Left a message %s' % pdc.token})
    tech.call('pharmacy.adherence.outreach', 'action_log', [wizard])
    domain = [('model', '=', 'res.partner'), ('res_id', '=', pdc.patient),
              ('body', 'ilike', 'Outcome: Voicemail')]
    for role in ROLES:
        found = pdc.clients[role].outcome('mail.message', 'search', domain)
        if role in READERS:
            assert len(found[1]) == 1, (role, found)
        else:
            assert found in (('ok', []),) or found[:2] == ('error', ACCESS_ERROR), (role, found)
    assert tech.call(ADHERENCE, 'search', [('id', '=', row),
                                           ('contacted_recently', '=', True)]) == [row]


@pytest.mark.parametrize('role', ROLES)
def test_patient_badges_and_figures_are_clinical_fields(pdc, role):
    client = pdc.clients[role]
    outcome = client.outcome('res.partner', 'read', [pdc.patient],
                             ['adherence_badges', 'adherence_ids'])
    search = client.outcome('res.partner', 'search', [('adherence_ids.pdc', '<', 1)])
    if role in READERS:
        [patient] = outcome[1]
        assert len(patient['adherence_ids']) >= 1
        assert search[0] == 'ok' and pdc.patient in search[1]
    elif role in OTHER_COMPANY:   # staff of another company: the patient is not theirs
        assert outcome[:2] == ('error', ACCESS_ERROR), outcome
        assert search[0] == 'ok' and pdc.patient not in search[1], search
    else:
        assert outcome[:2] == ('error', ACCESS_ERROR), outcome
        assert search[:2] == ('error', ACCESS_ERROR), search
