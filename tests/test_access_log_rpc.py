"""The access log seen from outside: staff and other users talk JSON-RPC and XML-RPC to the
served instance; a technician's view of a patient is logged, only a manager reads the log, and
nobody, admin included, changes or deletes an entry."""
import csv
import io
import json
import re
import urllib.parse
import urllib.request
import uuid
import xmlrpc.client
from http.cookiejar import CookieJar

import pytest

KINDS = {
    'technician': 'pharmacy_crm.group_pharmacy_technician',
    'pharmacist': 'pharmacy_crm.group_pharmacy_pharmacist',
    'manager': 'pharmacy_crm.group_pharmacy_manager',
    'marketing': 'mass_mailing.group_mass_mailing_user',
    'portal': 'base.group_portal',
}
LOG_FIELDS = ['event', 'user_id', 'login', 'res_model', 'res_id', 'patient_id', 'field_names',
              'ip']


class RpcError(Exception):
    """An error answered by the server: ``name`` is the exception's class."""

    def __init__(self, name, message):
        super().__init__('%s: %s' % (name, message))
        self.name = name


def jsonrpc(url, service, method, *args):
    payload = json.dumps({'jsonrpc': '2.0', 'method': 'call', 'id': 1, 'params': {
        'service': service, 'method': method, 'args': list(args)}}).encode()
    request = urllib.request.Request(url + '/jsonrpc', payload,
                                     {'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read().decode())
    if 'error' in body:
        raise RpcError(body['error']['data']['name'], body['error']['data']['message'])
    return body['result']


class User(object):
    """A user who logs in and calls models over JSON-RPC (password = login)."""

    def __init__(self, url, db, login):
        self.url, self.db, self.login = url, db, login
        self.uid = jsonrpc(url, 'common', 'login', db, login, login)
        assert self.uid, '%s could not log in' % login

    def __call__(self, model, method, *args, **kwargs):
        return jsonrpc(self.url, 'object', 'execute_kw', self.db, self.uid, self.login,
                       model, method, list(args), kwargs)


@pytest.fixture(scope='module')
def users(odoo_server, db_name, admin_rpc):
    """One user of each kind, created by admin, with a login of its own for this run."""
    suffix = uuid.uuid4().hex[:8]
    result = {'admin': User(odoo_server, db_name, 'admin')}
    for kind, group in KINDS.items():
        login = 'audit_%s_%s' % (kind, suffix)
        group_id = admin_rpc('ir.model.data', 'xmlid_to_res_id', group, True)
        admin_rpc('res.users', 'create', {
            'name': 'Audit %s' % kind.title(), 'login': login, 'password': login,
            'groups_id': [(6, 0, [group_id])]})
        result[kind] = User(odoo_server, db_name, login)
    return result


@pytest.fixture(scope='module')
def patient(admin_rpc):
    return admin_rpc('res.partner', 'create', {
        'name': 'Audit Patient %s' % uuid.uuid4().hex[:6], 'is_patient': True,
        'birthdate_date': '1960-01-01', 'allergies': 'Penicillin (hives)'})


def _log(users, *domain):
    return users['manager']('pharmacy.access.log', 'search_read', list(domain), LOG_FIELDS,
                            order='id')


def test_a_technician_view_of_a_patient_is_logged_for_managers_only(users, patient):
    tech = users['technician']
    [values] = tech('res.partner', 'read', [patient], ['name', 'allergies'])
    assert values['allergies'] == 'Penicillin (hives)'
    entries = _log(users, ('user_id', '=', tech.uid))
    assert [{k: v for k, v in e.items() if k != 'id'} for e in entries] == [{
        'event': 'view', 'user_id': [tech.uid, 'Audit Technician'], 'login': False,
        'res_model': 'res.partner', 'res_id': patient,
        'patient_id': [patient, values['name']], 'field_names': False, 'ip': '127.0.0.1'}]
    for kind in ('technician', 'pharmacist', 'marketing', 'portal'):
        for method, args in (('search_read', [[('patient_id', '=', patient)]]),
                             ('read', [[entries[0]['id']]]),
                             ('export_data', [[entries[0]['id']], ['patient_id']])):
            with pytest.raises(RpcError) as refused:
                users[kind]('pharmacy.access.log', method, *args)
            assert refused.value.name == 'odoo.exceptions.AccessError', (kind, method)
    exported = users['manager']('pharmacy.access.log', 'export_data', [entries[0]['id']],
                                ['event', 'user_id', 'patient_id'])
    assert exported == {'datas': [['Viewed', 'Audit Technician', values['name']]]}


def test_a_list_of_ten_patients_is_not_a_view(users):
    tech = users['technician']
    before = _log(users, ('user_id', '=', tech.uid))
    rows = tech('res.partner', 'search_read', [('is_patient', '=', True)], ['name', 'allergies'],
                limit=10)
    assert len(rows) == 10
    assert _log(users, ('user_id', '=', tech.uid)) == before


def test_a_change_logs_field_names_not_values(users, patient):
    pharmacist = users['pharmacist']
    pharmacist('res.partner', 'write', [patient], {'allergies': 'Sulfa', 'easy_open_caps': True})
    entries = _log(users, ('user_id', '=', pharmacist.uid), ('event', '=', 'write'))
    assert [(e['res_id'], e['field_names']) for e in entries] == [
        (patient, 'allergies,easy_open_caps')]
    assert not users['manager']('pharmacy.access.log', 'search_count', [
        ('id', '=', entries[0]['id']), '|', ('field_names', 'ilike', 'Sulfa'),
        ('record_name', 'ilike', 'Sulfa')])


def test_failed_logins_are_logged(users, odoo_server, db_name):
    tech = users['technician']
    assert jsonrpc(odoo_server, 'common', 'login', db_name, tech.login, 'wrong') is False
    unknown = 'nobody_%s' % uuid.uuid4().hex[:8]
    common = xmlrpc.client.ServerProxy(odoo_server + '/xmlrpc/2/common')
    assert common.authenticate(db_name, unknown, 'guess', {}) is False
    objects = xmlrpc.client.ServerProxy(odoo_server + '/xmlrpc/2/object')
    with pytest.raises(xmlrpc.client.Fault):   # a call with a guessed password skips login
        objects.execute_kw(db_name, tech.uid, 'guess', 'res.partner', 'search', [[]])
    failed = _log(users, ('event', '=', 'login_failed'), '|', ('login', '=', unknown),
                  ('user_id', '=', tech.uid))
    assert [(e['user_id'] and e['user_id'][0], e['login'], e['ip']) for e in failed] == [
        (tech.uid, tech.login, '127.0.0.1'),   # JSON-RPC goes through odoo.http: address known
        (False, unknown, False),                # XML-RPC does not
        (tech.uid, tech.login, False),
    ]


def test_nobody_changes_or_deletes_an_entry(users, patient):
    pharmacist = users['pharmacist']
    pharmacist('res.partner', 'read', [patient], ['allergies'])
    [entry] = _log(users, ('user_id', '=', pharmacist.uid), ('event', '=', 'view'))
    for kind in ('admin', 'manager'):
        for method, args in (('write', [[entry['id']], {'user_id': users[kind].uid}]),
                             ('unlink', [[entry['id']]]),
                             ('create', [{'event': 'view', 'user_id': users[kind].uid}])):
            with pytest.raises(RpcError) as refused:
                users[kind]('pharmacy.access.log', method, *args)
            assert refused.value.name == 'odoo.exceptions.UserError', (kind, method)
    assert _log(users, ('id', '=', entry['id'])) == [entry]


def test_a_manager_exports_the_log_to_csv_and_excel(users, patient, odoo_server, db_name):
    """What the list's *Action > Export* dialog posts, in a logged-in web session."""
    tech, manager = users['technician'], users['manager']
    tech('res.partner', 'read', [patient], ['allergies'])
    entry = _log(users, ('user_id', '=', tech.uid), ('event', '=', 'view'))[-1]
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    login = json.dumps({'jsonrpc': '2.0', 'method': 'call', 'params': {
        'db': db_name, 'login': manager.login, 'password': manager.login}}).encode()
    browser.open(urllib.request.Request(odoo_server + '/web/session/authenticate', login,
                                        {'Content-Type': 'application/json'}), timeout=60)
    page = browser.open(odoo_server + '/web/login', timeout=60).read().decode()
    csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = json.dumps({
        'model': 'pharmacy.access.log', 'ids': [entry['id']], 'domain': [],
        'import_compat': False, 'context': {},
        'fields': [{'name': 'date', 'label': 'Date'}, {'name': 'user_id', 'label': 'User'},
                   {'name': 'event', 'label': 'Event'},
                   {'name': 'patient_id', 'label': 'Patient'}]})
    exported = {}
    for kind in ('csv', 'xls'):
        form = urllib.parse.urlencode({'data': data, 'token': '1',
                                       'csrf_token': csrf_token}).encode()
        with browser.open(odoo_server + '/web/export/' + kind, form, timeout=60) as response:
            exported[kind] = (response.headers['Content-Type'], response.read())
    content_type, body = exported['csv']
    assert content_type.startswith('text/csv')
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0] == ['Date', 'User', 'Event', 'Patient']
    assert rows[1][1:] == ['Audit Technician', 'Viewed', entry['patient_id'][1]]
    content_type, body = exported['xls']
    assert content_type == 'application/vnd.ms-excel'
    assert body[:4] == b'\xd0\xcf\x11\xe0'   # an Excel 97-2003 workbook (xlwt)
