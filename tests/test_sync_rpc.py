"""Refill sync (#10) over JSON-RPC, role by role: pharmacy staff of company A work with
enrolments, appointments, their lines, Due Together and the report; marketing, internal and
portal users and company B's technician read none of it, by any route (read, search on each
field, group-by, order, export, the activities and attachments of an appointment).

Every clinical value of company A carries a token that outsiders must never receive
(``JsonRpc.forbidden``). Data is created once per module by admin, with names unique to the
run, so the module can run again on the same database.
"""
import base64
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest

from rpc_users import (ACCESS_ERROR, OTHER_COMPANY, OUTSIDERS, ROLES, STAFF, USER_ERROR,
                       JsonRpc, create_user, xmlid_to_id)
from conftest import pharmacy_today

ENROLLMENT = 'pharmacy.sync.enrollment'
APPOINTMENT = 'pharmacy.sync.appointment'
LINE = 'pharmacy.sync.appointment.line'
DUE = 'pharmacy.sync.due.together'
REPORT = 'pharmacy.sync.report'
MODELS = [ENROLLMENT, APPOINTMENT, LINE, DUE, REPORT]
PARTNER_SYNC_FIELDS = ['sync_enrollment_id', 'sync_state', 'sync_next_date']


@pytest.fixture(scope='module')
def sync(odoo_server, db_name, admin_rpc):
    run = uuid.uuid4().hex[:8]
    d = SimpleNamespace(run=run, token='SYN' + run)
    today = pharmacy_today()
    d.company_a = xmlid_to_id(admin_rpc, 'base.main_company')
    d.company_b = admin_rpc('res.company', 'create', {'name': 'Sync Company B %s' % run,
                                                      'pharmacy_tz': 'America/New_York'})
    d.patient_name = 'Sync Rpc Patient %s' % d.token
    d.patient = admin_rpc('res.partner', 'create', {
        'name': d.patient_name, 'is_patient': True, 'birthdate_date': '1960-01-01',
        'nkda': True})
    medication = admin_rpc('pharmacy.medication', 'create', {
        'name': 'Syncostatin %s' % run, 'is_maintenance': True})
    written = (today - timedelta(days=30)).isoformat()
    d.rxs = []
    for i, filled in enumerate((25, 22)):    # due in 5 and 8 days: due together
        rx = admin_rpc('pharmacy.patient.medication', 'create', {
            'patient_id': d.patient, 'medication_id': medication,
            'rx_number': 'SYNC-%d-%s' % (i, d.token), 'days_supply': 30, 'quantity': 30,
            'refills_authorized': 3, 'date_written': written})
        admin_rpc('pharmacy.fill', 'create', {
            'prescription_id': rx, 'quantity': 30, 'days_supply': 30,
            'fill_date': (today - timedelta(days=filled)).isoformat()})
        d.rxs.append(rx)
    # listed in Due Together before enrolment; enrolled afterwards
    d.due_rows = admin_rpc(DUE, 'search', [('patient_id', '=', d.patient)])
    assert d.due_rows == [d.patient]
    admin_rpc('pharmacy.patient.medication', 'write', d.rxs, {'sync_opt_in': True})
    d.enrollment = admin_rpc(ENROLLMENT, 'create', {
        'patient_id': d.patient, 'sync_rule': 'day', 'sync_day': 28,
        'consent_source': 'phone'})
    d.appointment = admin_rpc(APPOINTMENT, 'create', {
        'enrollment_id': d.enrollment, 'date': (today + timedelta(days=10)).isoformat(),
        'note': 'Call note %s' % d.token,
        'line_ids': [(0, 0, {'prescription_id': rx, 'change_note': 'Dose %s' % d.token})
                     for rx in d.rxs]})
    d.lines = admin_rpc(LINE, 'search', [('appointment_id', '=', d.appointment)])
    d.report = admin_rpc(REPORT, 'search', [('patient_id', '=', d.patient)])
    d.records = {ENROLLMENT: [d.enrollment], APPOINTMENT: [d.appointment], LINE: d.lines,
                 REPORT: d.report}
    [model_id] = admin_rpc('ir.model', 'search', [('model', '=', APPOINTMENT)])
    d.activities = admin_rpc('mail.activity', 'search', [
        ('res_model', '=', APPOINTMENT), ('res_id', '=', d.appointment)])
    assert len(d.activities) == 1, 'the appointment to confirm has its call activity'
    admin_rpc('mail.activity', 'write', d.activities, {'summary': 'Call %s' % d.token})
    d.attachment = admin_rpc('ir.attachment', 'create', {
        'name': 'Sync list %s' % d.token, 'res_model': APPOINTMENT, 'res_id': d.appointment,
        'datas': base64.b64encode(('list %s' % d.token).encode()).decode(),
        'datas_fname': 'list.txt'})
    assert model_id
    d.fields = {model: sorted(name for name, attrs in admin_rpc(
        model, 'fields_get', attributes=['type', 'store']).items()
        if attrs['type'] not in ('one2many', 'many2many', 'binary') and attrs.get('store'))
        for model in MODELS}
    d.clients = {}
    for role in ROLES:
        login = 'sync_%s_%s' % (role, run)
        company = d.company_b if role in OTHER_COMPANY else d.company_a
        create_user(admin_rpc, role, login, company)
        forbidden = [d.token] if role in OUTSIDERS + OTHER_COMPANY else []
        d.clients[role] = JsonRpc(odoo_server, db_name, login, login, forbidden)
    return d


def _outcome_is_nothing(outcome):
    return outcome in (('ok', []), ('ok', 0)) or outcome[:2] == ('error', ACCESS_ERROR)


@pytest.mark.parametrize('role', ROLES)
@pytest.mark.parametrize('model', [ENROLLMENT, APPOINTMENT, LINE, REPORT])
def test_read(sync, role, model):
    client, ids = sync.clients[role], sync.records[model]
    outcome = client.outcome(model, 'read', ids, ['patient_id'])
    if role in STAFF:
        assert outcome[0] == 'ok' and [row['patient_id'][0] for row in outcome[1]] == \
            [sync.patient] * len(ids), outcome
    else:
        assert outcome[:2] == ('error', ACCESS_ERROR), outcome


@pytest.mark.parametrize('role', ROLES)
@pytest.mark.parametrize('model', MODELS)
def test_search_on_each_field_group_by_and_order(sync, role, model):
    """Each stored field as a search, a group-by and an order: staff find the patient's rows;
    the others nothing or an AccessError."""
    client = sync.clients[role]
    base = [('patient_id', '=', sync.patient)]
    for name in sync.fields[model]:
        for method, args, kwargs in (
                ('search', [base + [(name, '!=', False)]], {}),
                ('search', [base], {'order': '%s desc' % name}),
                ('read_group', [base, [name], [name]], {'lazy': False})):
            if method == 'read_group' and name == 'id':
                continue   # Odoo 11 cannot group by id (ambiguous column), any model
            outcome = client.outcome(model, method, *args, **kwargs)
            if role in STAFF:
                assert outcome[0] == 'ok', (model, name, method, outcome)
            else:
                assert _outcome_is_nothing(outcome), (model, name, method, outcome)
    if role in STAFF:
        found = client.call(model, 'search', base)
        # enrolled patients leave Due Together
        assert found == ([] if model == DUE else sorted(sync.records[model])), (model, found)


@pytest.mark.parametrize('role', ROLES)
def test_export(sync, role):
    client = sync.clients[role]
    outcome = client.outcome(APPOINTMENT, 'export_data', [sync.appointment],
                             ['patient_id/name', 'note', 'line_ids/change_note'])
    if role in STAFF:
        assert outcome[0] == 'ok' and outcome[1]['datas'][0][:2] == [
            sync.patient_name, 'Call note %s' % sync.token], outcome
    else:
        assert outcome[:2] == ('error', ACCESS_ERROR), outcome


@pytest.mark.parametrize('role', ROLES)
def test_activities_and_attachments(sync, role):
    client = sync.clients[role]
    for channel, ids in (('mail.activity', sync.activities),
                         ('ir.attachment', [sync.attachment])):
        domain = [('res_model', '=', APPOINTMENT), ('res_id', '=', sync.appointment)]
        outcome = client.outcome(channel, 'search_read', domain, fields=['res_id'])
        if role in STAFF:
            assert outcome[0] == 'ok' and sorted(r['id'] for r in outcome[1]) == ids, outcome
        else:
            assert _outcome_is_nothing(outcome), (channel, outcome)


@pytest.mark.parametrize('role', ROLES)
def test_patient_sync_status(sync, role):
    outcome = sync.clients[role].outcome('res.partner', 'read', [sync.patient],
                                         PARTNER_SYNC_FIELDS)
    if role in STAFF:
        assert outcome[0] == 'ok' and outcome[1][0]['sync_enrollment_id'][0] == \
            sync.enrollment, outcome
    else:
        assert outcome[:2] == ('error', ACCESS_ERROR), outcome


@pytest.mark.parametrize('role', ROLES)
def test_technicians_work_outsiders_create_nothing(sync, role):
    """Staff confirm the appointment's line change; nobody deletes; outsiders create none."""
    client = sync.clients[role]
    if role in STAFF:
        assert client.call(LINE, 'write', sync.lines[:1], {'therapy_change': 'dose_changed'})
        outcome = client.outcome(ENROLLMENT, 'unlink', [sync.enrollment])
        assert outcome[:2] == ('error', USER_ERROR), outcome
        outcome = client.outcome(APPOINTMENT, 'write', [sync.appointment],
                                 {'confirmed_by': client.uid})
        assert outcome[:2] == ('error', USER_ERROR), outcome   # a server field
    else:
        outcome = client.outcome(ENROLLMENT, 'create', {
            'patient_id': sync.patient, 'sync_rule': 'day', 'sync_day': 3,
            'consent_source': 'phone'})
        assert outcome[:2] == ('error', ACCESS_ERROR), outcome
