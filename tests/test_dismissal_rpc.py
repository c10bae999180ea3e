"""Incidents and dismissals seen from outside, per role, over JSON-RPC: staff log and read
incidents, outsiders and the other company's staff read nothing of them (read, search on each
field, group-by, order, export, attachments, messages); a technician cannot open the dismissal
wizard nor create a dismissal; a pharmacist proposes and cannot approve; a manager approves,
and the letter (PDF when wkhtmltopdf is installed) lands on the patient's chatter; the debrief
reaches a pharmacist who was not involved."""
import base64
import shutil
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest

from rpc_users import (ACCESS_ERROR, OTHER_COMPANY, OUTSIDERS, ROLES, STAFF, USER_ERROR,
                       JsonRpc, create_user, xmlid_to_id)
from conftest import pharmacy_today

INCIDENT = 'pharmacy.incident'
DISMISSAL = 'pharmacy.dismissal'
WIZARD = 'pharmacy.dismissal.wizard'
PARTNER = 'res.partner'
INCIDENT_FIELDS = ['patient_id', 'date', 'incident_type', 'severity', 'description',
                   'staff_ids', 'reported_by_id', 'company_id']


def outcome_is_nothing_or_refused(outcome):
    return outcome in (('ok', []), ('ok', 0)) or outcome[:2] == ('error', ACCESS_ERROR)


@pytest.fixture(scope='module')
def d(odoo_server, db_name, admin_rpc):
    run = uuid.uuid4().hex[:8]
    d = SimpleNamespace(run=run, token='INC' + run)
    today = pharmacy_today()
    d.today = today.isoformat()
    d.company_a = xmlid_to_id(admin_rpc, 'base.main_company')
    d.company_b = admin_rpc('res.company', 'create', {'name': 'Dismissal Company B %s' % run,
                                                      'pharmacy_tz': 'America/New_York'})
    d.patient_name = 'Dismissal Patient %s' % run
    d.patient = admin_rpc(PARTNER, 'create', {
        'name': d.patient_name, 'is_patient': True, 'birthdate_date': '1970-01-01',
        'nkda': True, 'email': 'dismissal.%s@example.com' % run})
    d.pharmacy = admin_rpc(PARTNER, 'create', {
        'name': 'Referral Pharmacy %s' % run, 'is_company': True, 'is_pharmacy': True,
        'street': '9 Bridge Street', 'city': 'Milton', 'phone': '(570) 555-0177'})
    d.users = {role: create_user(admin_rpc, role, 'dis_%s_%s' % (role, run),
                                 d.company_b if role in OTHER_COMPANY else d.company_a)
               for role in ROLES}
    # a pharmacist who takes no part: the debrief must reach them
    d.users['absent'] = create_user(admin_rpc, 'pharmacist', 'dis_absent_%s' % run, d.company_a)
    forbidden = {role: [] for role in STAFF}
    for role in OUTSIDERS + OTHER_COMPANY:
        forbidden[role] = [d.token]
    forbidden['absent'] = []
    d.clients = {role: JsonRpc(odoo_server, db_name, 'dis_%s_%s' % (role, run),
                               'dis_%s_%s' % (role, run), forbidden[role])
                 for role in list(ROLES) + ['absent']}
    # the technician logs two incidents on different days
    tech = d.clients['technician']
    d.incidents = [tech.call(INCIDENT, 'create', {
        'patient_id': d.patient, 'incident_type': kind, 'description': '%s %s' % (text, d.token),
        'date': '%s 10:00:00' % (today - timedelta(days=days)).isoformat(),
        'staff_ids': [(6, 0, [d.users['technician']])]})
        for kind, text, days in (('scene', 'Shouted at the counter', 20),
                                 ('verbal_abuse', 'Insulted the technician', 3))]
    admin_rpc(INCIDENT, 'message_post', [d.incidents[0]], body='Witness %s' % d.token,
              message_type='comment', subtype='mail.mt_note')
    admin_rpc('ir.attachment', 'create', {
        'name': 'CCTV still %s' % d.token, 'res_model': INCIDENT, 'res_id': d.incidents[0],
        'datas': base64.b64encode(d.token.encode()).decode(), 'datas_fname': 'still.txt'})
    return d


# --- incidents: who reads them ----------------------------------------------------------------
@pytest.mark.parametrize('role', ROLES)
def test_incident_read_search_group_order_export(d, role):
    client = d.clients[role]
    calls = [
        ('read', [d.incidents, INCIDENT_FIELDS], {}),
        ('search_read', [[('patient_id', '=', d.patient)]], {'fields': ['description']}),
        ('read_group', [[('patient_id', '=', d.patient)], ['incident_type'], ['incident_type']],
         {}),
        ('search', [[('patient_id', '=', d.patient)]], {'order': 'severity desc, date'}),
        ('export_data', [d.incidents, ['description', 'patient_id/name']], {}),
    ] + [('search', [[(name, '!=', False), ('patient_id', '=', d.patient)]], {})
         for name in INCIDENT_FIELDS]
    for method, args, kwargs in calls:
        outcome = client.outcome(INCIDENT, method, *args, **kwargs)
        if role in STAFF:
            assert outcome[0] == 'ok' and outcome[1], (method, args, outcome)
        else:
            assert outcome_is_nothing_or_refused(outcome), (role, method, args, outcome)
    if role in STAFF:
        rows = client.call(INCIDENT, 'search_read', [('patient_id', '=', d.patient)],
                           fields=['severity', 'reported_by_id'], order='date')
        assert [(r['severity'], r['reported_by_id'][0]) for r in rows] == [
            ('minor', d.users['technician']), ('minor', d.users['technician'])]
        [patient] = client.call(PARTNER, 'read', [d.patient], ['incident_count'])
        assert patient['incident_count'] == 2


@pytest.mark.parametrize('role', ROLES)
def test_incident_messages_and_attachments(d, role):
    client = d.clients[role]
    for model, field in (('mail.message', 'model'), ('ir.attachment', 'res_model')):
        outcome = client.outcome(model, 'search_read', [(field, '=', INCIDENT),
                                                        ('res_id', '=', d.incidents[0])],
                                 fields=['res_id'])
        if role in STAFF:
            assert outcome[0] == 'ok' and outcome[1], (model, outcome)
        else:
            assert outcome_is_nothing_or_refused(outcome), (role, model, outcome)


@pytest.mark.parametrize('role', OUTSIDERS + OTHER_COMPANY)
def test_outsiders_cannot_log_incidents(d, role):
    outcome = d.clients[role].outcome(INCIDENT, 'create', {
        'patient_id': d.patient, 'incident_type': 'scene', 'description': 'x'})
    assert outcome[0] == 'error', outcome


# --- a server field ---------------------------------------------------------------------------
@pytest.mark.parametrize('role', STAFF)
def test_no_client_writes_the_dismissal_date(d, role):
    """The date a dismissal takes effect is the server's (an approval writes it): refused to
    staff over JSON-RPC whatever the context they send, the server's marker key included."""
    client = d.clients[role]
    [before] = client.call(PARTNER, 'read', [d.patient], ['dismissal_effective_date'])
    for context in ({}, {'pharmacy_server_write': True},
                    {'pharmacy_server_write': 'res.partner'},
                    {'pharmacy_server_write': ['dismissal_effective_date']},
                    {'pharmacy_server_write': {'model': PARTNER,
                                               'names': ['dismissal_effective_date']}},
                    {'pharmacy_dismissal_server': True}):
        outcome = client.outcome(PARTNER, 'write', [d.patient],
                                 {'dismissal_effective_date': d.today}, context=context)
        assert (outcome[0], outcome[1], outcome[2].strip()) == ('error', USER_ERROR, (
            'Dismissal Effective Date of Contact cannot be set: the pharmacy computes them. '
            'Change the values they come from instead (e.g. the patient or the '
            'prescription).')), (context, outcome)
    assert client.call(PARTNER, 'read', [d.patient], ['dismissal_effective_date']) == [before]


# --- the flow by group ------------------------------------------------------------------------
def _wizard_values(d):
    return {'patient_id': d.patient, 'incident_ids': [(6, 0, d.incidents)],
            'explanation': 'You insulted our staff on several visits. %s' % d.token,
            'attestation': True, 'referral_pharmacy_ids': [(6, 0, [d.pharmacy])],
            'transfer_prescriptions': True,
            'effective_date': (pharmacy_today() + timedelta(days=30)).isoformat()}


def test_flow_by_group(d, admin_rpc):
    tech = d.clients['technician']
    for model, method, args in (
            (PARTNER, 'action_open_dismissal_wizard', [[d.patient]]),
            (WIZARD, 'default_get', [['patient_id', 'incident_ids']]),
            (WIZARD, 'create', [_wizard_values(d)]),
            (DISMISSAL, 'create', [{k: v for k, v in _wizard_values(d).items()
                                    if k != 'transfer_prescriptions'}])):
        outcome = tech.outcome(model, method, *args)
        assert outcome[:2] == ('error', ACCESS_ERROR), (model, method, outcome)
        assert 'pharmacist' in outcome[2], outcome

    pharmacist = d.clients['pharmacist']
    wizard = pharmacist.call(WIZARD, 'create', _wizard_values(d))
    action = pharmacist.call(WIZARD, 'action_confirm', [wizard])
    dismissal = action['res_id']
    [row] = pharmacist.call(DISMISSAL, 'read', [dismissal], ['state', 'proposed_by_id'])
    assert (row['state'], row['proposed_by_id'][0]) == ('proposed', d.users['pharmacist'])
    outcome = pharmacist.outcome(DISMISSAL, 'action_approve', [dismissal])
    assert outcome[:2] == ('error', ACCESS_ERROR) and 'managers approve' in outcome[2]
    outcome = pharmacist.outcome(DISMISSAL, 'write', [dismissal], {'state': 'approved'})
    assert outcome[0] == 'error', outcome

    manager = d.clients['manager']
    manager.call(DISMISSAL, 'action_approve', [dismissal])
    [row] = manager.call(DISMISSAL, 'read', [dismissal], ['state', 'letter_attachment_id'])
    assert row['state'] == 'approved'
    [letter] = manager.call('ir.attachment', 'read', [row['letter_attachment_id'][0]],
                            ['name', 'res_model', 'res_id', 'mimetype', 'datas'])
    assert (letter['res_model'], letter['res_id']) == (PARTNER, d.patient)
    content = base64.b64decode(letter['datas'])
    if shutil.which('wkhtmltopdf'):   # scripts/setup.sh installs it when apt can
        assert letter['name'] == 'Dismissal letter - %s.pdf' % d.patient_name
        assert content[:5] == b'%PDF-'
    else:
        assert letter['name'] == 'Dismissal letter - %s.html' % d.patient_name
        assert b'9 Bridge Street, Milton' in content
    [patient] = manager.call(PARTNER, 'read', [d.patient], ['dismissal_effective_date',
                                                            'patient_state'])
    assert patient == {'id': d.patient, 'patient_state': 'active',
                       'dismissal_effective_date': _wizard_values(d)['effective_date']}

    # the debrief reaches the pharmacist who took no part, in the staff channel and the inbox
    channel = xmlid_to_id(admin_rpc, 'pharmacy_crm_dismissal.pharmacy_staff_channel')
    absent = d.clients['absent']
    messages = absent.call('mail.message', 'search_read', [
        ('model', '=', 'mail.channel'), ('res_id', '=', channel),
        ('body', 'ilike', d.patient_name)], fields=['body', 'needaction'])
    assert len(messages) == 1 and 'If the patient comes in' in messages[0]['body'], messages
    # outsiders and the other company's staff do not read the channel
    for role in OUTSIDERS + OTHER_COMPANY:
        outcome = d.clients[role].outcome('mail.message', 'search_read', [
            ('model', '=', 'mail.channel'), ('res_id', '=', channel),
            ('body', 'ilike', d.patient_name)], fields=['body'])
        assert outcome_is_nothing_or_refused(outcome), (role, outcome)

    # reinstated by admin at the end: the data of this module changes no other test
    admin_rpc(DISMISSAL, 'action_reinstate', [dismissal], 'End of the RPC test.')
