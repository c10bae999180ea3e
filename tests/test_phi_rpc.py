"""Patient data protection, tried by an outside client over JSON-RPC: role x route.

Issue 6, parts 1-2 (every route to a clinical value), 3 (alerts per reader), 4 (companies) and 5
(nothing deleted). Each test cell is one route tried by one kind of user, logged in over
``/jsonrpc`` on the served test instance (see ``rpc_users``):

- technician, pharmacist, manager: pharmacy staff of company A (the main company);
- marketing (mass mailing user), internal (plain employee), portal (whose own contact IS the
  patient): no pharmacy group;
- technician_b: a pharmacy technician of a second company B.

A refusal of access must be an ``odoo.exceptions.AccessError`` (a refused delete: a
``UserError``, archive instead). Independently of what each cell asserts,
every response is searched for the clinical values that user must not receive (the allergy
"Penicillin", and a random token that every clinical value of company A carries; for a
technician, anything "Pharm-only"): see ``JsonRpc.forbidden``.

What is probed is found in the registry (``pharmacy_models``), so that a new model or field
is probed without editing this file: the clinical fields of a contact are the fields of
``res.partner`` whose ``groups`` are pharmacy staff groups (incidents, refill sync, adherence,
dismissal and the importer add theirs), and every PHI model (a model inheriting
``pharmacy.phi.mixin``) gets a record of company A carrying the token, tried on every route by
every role. ``test_every_model_and_field_is_protected`` fails on a pharmacy model or a
contact's field that leaves patient data unprotected (``pharmacy_models.audit``), and the
audit is shown to flag a new model and new fields that do.

The data is created once per module through ``admin_rpc`` with names unique to the run, so the
module can run again on the same database. About 55 s on the 2-core development machine,
starting the server included (1,167 cells).
"""
import base64
import copy
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest

import pharmacy_models
from pharmacy_models import RecordMaker, clinical_fields, discovered, phi_models
from rpc_users import (ACCESS_ERROR, OTHER_COMPANY, OUTSIDERS, ROLES, STAFF, USER_ERROR,
                       VALIDATION_ERROR, JsonRpc, create_user, xmlid_to_id)
from conftest import pharmacy_today

PARTNER = 'res.partner'
RX = 'pharmacy.patient.medication'
FILL = 'pharmacy.fill'
NOTE = 'pharmacy.patient.note'
CONSENT = 'pharmacy.consent'
PREFERENCE = 'pharmacy.manufacturer.preference'

# What staff read of the patient's clinical fields is checked exactly for these (in
# ``phi.expected``); for a clinical field found in the registry and not here, staff read what
# admin reads. A field whose value depends on the reader must be here.
CORE_CLINICAL = ['allergies', 'prescription_ids', 'note_ids', 'current_medication_count',
                 'next_due_date', 'has_alerts', 'on_controlled_substance', 'alert_text',
                 'manufacturer_preference_ids', 'consent_ids', 'patient_state', 'nkda',
                 'current_prescription_ids', 'discontinued_prescription_ids', 'fill_ids']
# what a patient needs besides a name: a birthdate, and allergies or "no known drug allergies"
PROFILE = {'birthdate_date': '1960-01-01', 'nkda': True}
PHARMACISTS = ('pharmacist', 'manager')


def pytest_generate_tests(metafunc):
    """``clinical``: each clinical field of a contact; ``phi_model``: each PHI model."""
    description = discovered(metafunc.config)
    if description is None:
        return
    if 'clinical' in metafunc.fixturenames:
        metafunc.parametrize('clinical', clinical_fields(description))
    if 'phi_model' in metafunc.fixturenames:
        metafunc.parametrize('phi_model', phi_models(description))


def inner(secret):
    """A search value that matches ``secret`` but does not contain it, so that a refusal that
    echoes the search value is not mistaken for a leak (every secret ends with the token)."""
    return secret[1:-1]


# --- outcomes ---------------------------------------------------------------------------------
def refused(client, model, method, args, kwargs=None, errors=(ACCESS_ERROR,)):
    """Assert the call is refused with one of ``errors``; return the message."""
    outcome = client.outcome(model, method, *args, **(kwargs or {}))
    assert outcome[0] == 'error' and outcome[1] in errors, (
        '%s.%s%r as %s: expected %s, got %r' % (model, method, tuple(args), client.login,
                                                ' or '.join(errors), outcome))
    return outcome[2]


def allowed(client, model, method, args, kwargs=None):
    """Assert the call succeeds; return its result."""
    outcome = client.outcome(model, method, *args, **(kwargs or {}))
    assert outcome[0] == 'ok', '%s.%s%r as %s: expected a result, got %r' % (
        model, method, tuple(args), client.login, outcome)
    return outcome[1]


def nothing_or_refused(client, model, method, args, kwargs=None):
    """Assert the call returns nothing (empty list, 0) or is refused with an AccessError."""
    outcome = client.outcome(model, method, *args, **(kwargs or {}))
    assert outcome in (('ok', []), ('ok', 0)) or outcome[:2] == ('error', ACCESS_ERROR), (
        '%s.%s%r as %s: expected nothing or an AccessError, got %r' % (
            model, method, tuple(args), client.login, outcome))
    return outcome


def names_field(message, field, labels):
    """A clear refusal names the field: its technical name or its label."""
    text = message.lower()
    assert field in text or labels[field].lower() in text, (
        'the refusal does not say which field is refused (%s, "%s"): %r'
        % (field, labels[field], message))


# --- data, once per module --------------------------------------------------------------------
@pytest.fixture(scope='module')
def phi(request, odoo_server, db_name, admin_rpc):
    """Company A's patient with every kind of clinical record and side channel, a record of
    every PHI model, company B, and one JSON-RPC session per role. ``token`` is in every
    clinical value of company A."""
    run = uuid.uuid4().hex[:8]
    d = SimpleNamespace(run=run, token='PHI' + run, token_b='PHB' + run)
    d.description = discovered(request.config)
    d.clinical = clinical_fields(d.description)
    assert set(CORE_CLINICAL) <= set(d.clinical), 'the clinical fields were not found'
    today = pharmacy_today()
    d.written = (today - timedelta(days=10)).isoformat()
    d.due = (today + timedelta(days=20)).isoformat()   # last fill + its 30 days supply
    d.company_a = xmlid_to_id(admin_rpc, 'base.main_company')
    d.company_b = admin_rpc('res.company', 'create', {'name': 'Rpc Company B %s' % run,
                                                      'pharmacy_tz': 'America/New_York'})
    d.labels = {name: attrs['string'] for name, attrs in admin_rpc(
        PARTNER, 'fields_get', d.clinical, attributes=['string']).items()}

    def create(model, vals):
        return admin_rpc(model, 'create', vals)

    d.medication = create('pharmacy.medication', {
        'name': 'Rpcazolam %s' % run, 'strength': '0.5 mg', 'schedule': '4'})
    d.maker = create(PARTNER, {'name': 'Rpc Maker %s' % run, 'is_company': True})
    d.patient_name = 'Rpc Patient %s' % run
    d.allergies = 'Penicillin (hives) %s' % d.token
    d.patient = create(PARTNER, {'name': d.patient_name, 'is_patient': True,
                                 'birthdate_date': '1960-01-01', 'allergies': d.allergies})
    d.rx_number = 'RX-%s' % d.token
    d.rx = create(RX, {'patient_id': d.patient, 'medication_id': d.medication,
                       'rx_number': d.rx_number, 'days_supply': 30, 'quantity': 30,
                       'refills_authorized': 2, 'date_written': d.written})
    d.fill = create(FILL, {'prescription_id': d.rx, 'fill_date': d.written, 'quantity': 30,
                           'days_supply': 30})
    d.note_all_body = 'All-staff note %s' % d.token
    d.note_all = create(NOTE, {'patient_id': d.patient, 'body': d.note_all_body,
                               'visibility': 'all', 'category': 'service'})
    d.note_pharm_body = 'Pharm-only alert %s' % d.token
    d.note_pharm = create(NOTE, {'patient_id': d.patient, 'body': d.note_pharm_body,
                                 'visibility': 'pharmacist', 'is_alert': True,
                                 'category': 'clinical'})
    d.consent = create(CONSENT, {'patient_id': d.patient, 'channel': 'email',
                                 'purpose': 'marketing', 'state': 'refused',
                                 'date': d.written, 'source': 'in_store'})
    d.preference_note = 'Maker only %s' % d.token
    d.preference = create(PREFERENCE, {'patient_id': d.patient, 'medication_id': d.medication,
                                       'manufacturer_id': d.maker, 'required_by': 'patient',
                                       'note': d.preference_note})
    # a record of every PHI model of company A, carrying the token: those above, and the
    # others made from their recipe, or from their required fields for this patient
    d.make = RecordMaker(admin_rpc, d.description, run, today, d.token)
    d.records = {RX: d.rx, FILL: d.fill, NOTE: d.note_all, CONSENT: d.consent,
                 PREFERENCE: d.preference}
    for model in phi_models(d.description):
        if model in d.records:
            continue
        if model in pharmacy_models.RECIPES or model in pharmacy_models.MADE_BY_SERVER:
            d.records[model] = d.make.make(model)
        else:
            vals = d.make.generic_vals(model)
            if 'patient_id' in vals:
                vals['patient_id'] = d.patient
            d.records[model] = d.make.create(model, vals)
    # a household whose member is a patient: for dotted paths through child_ids
    d.household = create(PARTNER, {'name': 'Rpc Household %s' % run, 'is_company': True})
    d.child_allergies = 'Penicillin (rash) %s' % d.token
    create(PARTNER, {'name': 'Rpc Child %s' % run, 'parent_id': d.household, 'is_patient': True,
                     'birthdate_date': '1990-01-01', 'allergies': d.child_allergies})
    # a second patient whose alerts are one for all staff and one for pharmacists only
    d.alert_patient = create(PARTNER, dict(PROFILE, name='Rpc Alert Patient %s' % run,
                                           is_patient=True))
    d.alert_all_body = 'All-staff alert %s' % d.token
    d.alert_pharm_body = 'Pharm-only alert two %s' % d.token
    for body, visibility in ((d.alert_all_body, 'all'), (d.alert_pharm_body, 'pharmacist')):
        create(NOTE, {'patient_id': d.alert_patient, 'body': body, 'visibility': visibility,
                      'is_alert': True, 'category': 'clinical'})

    # side channels: activities, attachments, messages (followers come with them)
    d.targets = {'patient': (PARTNER, d.patient), 'rx': (RX, d.rx),
                 'note_all': (NOTE, d.note_all), 'note_pharm': (NOTE, d.note_pharm),
                 'consent': (CONSENT, d.consent)}
    todo = xmlid_to_id(admin_rpc, 'mail.mail_activity_data_todo')
    admin_uid = admin_rpc('res.users', 'search', [('login', '=', 'admin')])[0]
    for target, summary in (('patient', 'Patient follow-up'), ('rx', 'Call prescriber'),
                            ('note_pharm', 'Pharm-only follow-up')):
        model, res_id = d.targets[target]
        [model_id] = admin_rpc('ir.model', 'search', [('model', '=', model)])
        create('mail.activity', {
            'res_model_id': model_id, 'res_id': res_id, 'activity_type_id': todo,
            'summary': '%s %s' % (summary, d.token), 'user_id': admin_uid,
            'date_deadline': today.isoformat()})
    for target, label in (('patient', 'Patient lab result'), ('rx', 'Prior authorisation')):
        model, res_id = d.targets[target]
        content = base64.b64encode(('%s %s' % (label, d.token)).encode()).decode()
        create('ir.attachment', {'name': '%s %s' % (label, d.token), 'datas': content,
                                 'datas_fname': 'result.txt', 'res_model': model,
                                 'res_id': res_id})
    for target, label in (('patient', 'Patient message'), ('rx', 'Rx message'),
                          ('note_pharm', 'Pharm-only message')):
        model, res_id = d.targets[target]
        admin_rpc(model, 'message_post', [res_id], body='%s %s' % (label, d.token),
                  message_type='comment', subtype='mail.mt_note')

    # what admin sees of each side channel: what staff who may read the record must see
    d.side = {}
    for channel, target in SIDE_CHANNELS:
        model_field = 'model' if channel == 'mail.message' else 'res_model'
        model, res_id = d.targets[target]
        domain = [(model_field, '=', model), ('res_id', '=', res_id)]
        ids = sorted(admin_rpc(channel, 'search', domain))
        assert ids, 'admin sees no %s on %s: the test data is incomplete' % (channel, target)
        d.side[channel, target] = (domain, ids)

    # users; the portal user's own contact is the patient
    d.users = {}
    for role in ROLES:
        login = 'rpc_%s_%s' % (role, run)
        company = d.company_b if role in OTHER_COMPANY else d.company_a
        partner = d.patient if role == 'portal' else None
        d.users[role] = create_user(admin_rpc, role, login, company, partner_id=partner)
    d.portal_uid = d.users['portal']

    # what must never reach each role
    outsider_secrets = [d.token, 'Penicillin']
    forbidden = {'technician': ['Pharm-only', d.token_b], 'pharmacist': [d.token_b],
                 'manager': [d.token_b], 'admin': []}
    for role in OUTSIDERS:
        forbidden[role] = outsider_secrets
    forbidden['technician_b'] = outsider_secrets + [
        d.patient_name, 'Rpc Alert Patient %s' % run]
    d.clients = {role: JsonRpc(odoo_server, db_name, 'rpc_%s_%s' % (role, run),
                               'rpc_%s_%s' % (role, run), forbidden[role]) for role in ROLES}
    d.clients['admin'] = JsonRpc(odoo_server, db_name, 'admin', 'admin')

    # company B's own patient, created by its technician
    d.b_patient_name = 'Rpc B Patient %s' % run
    d.b_allergies = 'Sulfa %s' % d.token_b
    d.b_patient = d.clients['technician_b'].call(PARTNER, 'create', {
        'name': d.b_patient_name, 'is_patient': True, 'birthdate_date': '1960-01-01',
        'allergies': d.b_allergies})

    # what staff read on the patient (technicians: no sign of the pharmacist-only note)
    everything = {
        'allergies': d.allergies, 'prescription_ids': [d.rx],
        'note_ids': sorted([d.note_all, d.note_pharm]), 'current_medication_count': 1,
        'next_due_date': d.due, 'has_alerts': True, 'on_controlled_substance': True,
        'alert_text': d.note_pharm_body, 'manufacturer_preference_ids': [d.preference],
        'consent_ids': [d.consent], 'patient_state': 'active', 'nkda': False,
        'current_prescription_ids': [d.rx], 'discontinued_prescription_ids': [],
        'fill_ids': [d.fill]}
    d.expected = {'pharmacist': everything, 'manager': everything,
                  'technician': dict(everything, note_ids=[d.note_all], has_alerts=False,
                                     alert_text=False)}
    return d


def _normal(value):
    return sorted(value) if isinstance(value, list) else value


# --- 1. read ----------------------------------------------------------------------------------
def _staff_value(phi, role, field):
    """What staff of ``role`` read in the patient's ``field``: ``phi.expected``, else what
    admin reads."""
    if field in phi.expected[role]:
        return phi.expected[role][field]
    [record] = phi.clients['admin'].call(PARTNER, 'read', [phi.patient], [field])
    return _normal(record[field])


@pytest.mark.parametrize('role', ROLES)
def test_read_clinical_field(phi, role, clinical):
    field = clinical
    client = phi.clients[role]
    args = [[phi.patient], [field]]
    if role in STAFF:
        [record] = allowed(client, PARTNER, 'read', args)
        assert _normal(record[field]) == _staff_value(phi, role, field)
    else:
        refused(client, PARTNER, 'read', args)


@pytest.mark.parametrize('role', ROLES)
def test_read_public_fields(phi, role):
    """`is_patient` stays readable by everyone who may read the contact."""
    client = phi.clients[role]
    args = [[phi.patient], ['name', 'is_patient']]
    if role in OTHER_COMPANY:
        refused(client, PARTNER, 'read', args)
    else:
        [record] = allowed(client, PARTNER, 'read', args)
        assert (record['name'], record['is_patient']) == (phi.patient_name, True)


@pytest.mark.parametrize('role', ROLES)
def test_read_without_field_list(phi, role):
    """Reading every field gives outsiders the contact without any clinical field (or nothing:
    Odoo itself refuses the portal its contact's bank accounts)."""
    client = phi.clients[role]
    if role in OTHER_COMPANY:
        refused(client, PARTNER, 'read', [[phi.patient]])
        return
    outcome = client.outcome(PARTNER, 'read', [phi.patient])
    if role in STAFF:
        assert outcome[0] == 'ok', outcome
        [record] = outcome[1]
        assert set(phi.clinical) <= set(record)
        assert record['allergies'] == phi.allergies
    else:
        assert outcome[:2] == ('error', ACCESS_ERROR) or (
            outcome[0] == 'ok' and set(phi.clinical) & set(outcome[1][0]) == set()), outcome


@pytest.mark.parametrize('role', ROLES)
def test_read_patient_chatter_fields(phi, role):
    """The patient's activities and messages, read through the contact's own fields."""
    client = phi.clients[role]
    args = [[phi.patient], ['activity_ids', 'activity_summary', 'message_ids']]
    if role in OTHER_COMPANY:
        refused(client, PARTNER, 'read', args)
        return
    outcome = client.outcome(PARTNER, 'read', *args)
    if role in STAFF:
        assert outcome[0] == 'ok', outcome
        [record] = outcome[1]
        assert sorted(record['activity_ids']) == phi.side['mail.activity', 'patient'][1]
        assert sorted(record['message_ids']) == phi.side['mail.message', 'patient'][1]
    else:
        assert outcome[:2] == ('error', ACCESS_ERROR) or (
            outcome[0] == 'ok' and outcome[1][0]['activity_ids'] == [] and
            not outcome[1][0]['activity_summary'] and outcome[1][0]['message_ids'] == []), \
            outcome


@pytest.mark.parametrize('role', ROLES)
def test_read_user_inherits_protection(phi, role):
    """res.users inherits the partner's fields: the portal user's allergies are its contact's."""
    client = phi.clients[role]
    args = [[phi.portal_uid], ['allergies']]
    if role in STAFF:
        [record] = allowed(client, 'res.users', 'read', args)
        assert record['allergies'] == phi.allergies
    else:
        refused(client, 'res.users', 'read', args)


# --- 1. search domains ------------------------------------------------------------------------
def _domain_cases(d):
    """case -> (model, domain, refused field, expected count per staff role)."""
    on_patient = [('id', '=', d.patient)]
    on_user = [('id', '=', d.portal_uid)]
    one = {'technician': 1, 'pharmacist': 1, 'manager': 1}
    pharmacists_only = {'technician': 0, 'pharmacist': 1, 'manager': 1}
    return {
        'allergies': (PARTNER, on_patient + [('allergies', 'ilike', inner(d.allergies))],
                      'allergies', one),
        'prescription_ids.rx_number': (
            PARTNER, on_patient + [('prescription_ids.rx_number', 'ilike', inner(d.rx_number))],
            'prescription_ids', one),
        'note_ids.body': (
            PARTNER, on_patient + [('note_ids.body', 'ilike', inner(d.note_all_body))],
            'note_ids', one),
        'note_ids.body_pharmacist_only': (
            PARTNER, on_patient + [('note_ids.body', 'ilike', inner(d.note_pharm_body))],
            'note_ids', pharmacists_only),
        'current_medication_count': (
            PARTNER, on_patient + [('current_medication_count', '>', 0)],
            'current_medication_count', {}),
        'next_due_date': (PARTNER, on_patient + [('next_due_date', '=', d.due)],
                          'next_due_date', one),
        'has_alerts': (PARTNER, on_patient + [('has_alerts', '=', True)], 'has_alerts',
                       pharmacists_only),
        'on_controlled_substance': (
            PARTNER, on_patient + [('on_controlled_substance', '=', True)],
            'on_controlled_substance', one),
        'alert_text': (PARTNER, on_patient + [('alert_text', 'ilike', 'alert')], 'alert_text',
                       {}),
        'manufacturer_preference_ids.note': (
            PARTNER, on_patient + [('manufacturer_preference_ids.note', 'ilike',
                                    inner(d.preference_note))],
            'manufacturer_preference_ids', one),
        'consent_ids.state': (PARTNER, on_patient + [('consent_ids.state', '=', 'refused')],
                              'consent_ids', one),
        'patient_state': (PARTNER, on_patient + [('patient_state', '=', 'active')],
                          'patient_state', one),
        'child_ids.allergies': (
            PARTNER, [('id', '=', d.household),
                      ('child_ids.allergies', 'ilike', inner(d.child_allergies))],
            'allergies', one),
        'users.allergies': ('res.users', on_user + [('allergies', 'ilike', inner(d.allergies))],
                            'allergies', one),
        'users.partner_id.allergies': (
            'res.users', on_user + [('partner_id.allergies', 'ilike', inner(d.allergies))],
            'allergies', one),
    }


DOMAIN_CASES = ['allergies', 'prescription_ids.rx_number', 'note_ids.body',
                'note_ids.body_pharmacist_only', 'current_medication_count', 'next_due_date',
                'has_alerts', 'on_controlled_substance', 'alert_text',
                'manufacturer_preference_ids.note', 'consent_ids.state', 'patient_state',
                'child_ids.allergies', 'users.allergies', 'users.partner_id.allergies']


# not stored and without a search method: Odoo cannot search them, only refusing them is tested
UNSEARCHABLE = ('current_medication_count', 'alert_text')


@pytest.mark.parametrize('role,case', [
    pytest.param(role, case, id='%s-%s' % (role, case)) for role in ROLES
    for case in DOMAIN_CASES if role in OUTSIDERS or case not in UNSEARCHABLE])
def test_search_count_domain(phi, role, case):
    model, domain, field, staff_counts = _domain_cases(phi)[case]
    client = phi.clients[role]
    if role in OUTSIDERS:
        names_field(refused(client, model, 'search_count', [domain]), field, phi.labels)
    elif role in OTHER_COMPANY:
        assert allowed(client, model, 'search_count', [domain]) == 0
    else:
        assert allowed(client, model, 'search_count', [domain]) == staff_counts[role]


@pytest.mark.parametrize('role', ROLES)
def test_name_search_with_clinical_domain(phi, role):
    client = phi.clients[role]
    args = [('allergies', 'ilike', inner(phi.allergies))]
    kwargs = {'name': '', 'args': args, 'limit': 10}
    if role in OUTSIDERS:
        names_field(refused(client, PARTNER, 'name_search', [], kwargs), 'allergies',
                    phi.labels)
    elif role in OTHER_COMPANY:
        assert allowed(client, PARTNER, 'name_search', [], kwargs) == []
    else:
        assert allowed(client, PARTNER, 'name_search', [], kwargs) == [
            [phi.patient, phi.patient_name]]


@pytest.mark.parametrize('role', ROLES)
def test_name_search_prescription(phi, role):
    client = phi.clients[role]
    kwargs = {'name': inner(phi.rx_number), 'limit': 10}
    if role in OUTSIDERS:
        refused(client, RX, 'name_search', [], kwargs)
    elif role in OTHER_COMPANY:
        assert allowed(client, RX, 'name_search', [], kwargs) == []
    else:
        assert allowed(client, RX, 'name_search', [], kwargs) == [[phi.rx, phi.rx_number]]


# --- 1. order ---------------------------------------------------------------------------------
ORDERS = ['allergies', 'next_due_date desc', 'has_alerts', 'on_controlled_substance desc',
          'patient_state', 'name, allergies']


@pytest.mark.parametrize('order', ORDERS)
@pytest.mark.parametrize('role', ROLES)
def test_search_order(phi, role, order):
    client = phi.clients[role]
    args = [[('id', 'in', [phi.patient, phi.alert_patient])]]
    kwargs = {'order': order}
    field = order.split(',')[-1].split()[0]
    if role in OUTSIDERS:
        names_field(refused(client, PARTNER, 'search', args, kwargs), field, phi.labels)
    elif role in OTHER_COMPANY:
        assert allowed(client, PARTNER, 'search', args, kwargs) == []
    else:
        result = allowed(client, PARTNER, 'search', args, kwargs)
        assert sorted(result) == sorted([phi.patient, phi.alert_patient])


# --- 1. read_group ----------------------------------------------------------------------------
@pytest.mark.parametrize('role', ROLES)
def test_read_group_field(phi, role, clinical):
    """A clinical field among the fields to aggregate."""
    field = clinical
    client = phi.clients[role]
    args = [[('id', '=', phi.patient)], ['is_patient', field], ['is_patient']]
    if role in OUTSIDERS:
        names_field(refused(client, PARTNER, 'read_group', args), field, phi.labels)
    elif role in OTHER_COMPANY:
        assert allowed(client, PARTNER, 'read_group', args) == []
    else:
        [group] = allowed(client, PARTNER, 'read_group', args)
        assert (group['is_patient'], group['is_patient_count']) == (True, 1)


GROUPBYS = ['allergies', 'next_due_date', 'has_alerts', 'on_controlled_substance',
            'patient_state']
STAFF_GROUP_VALUES = {'allergies': 'allergies', 'next_due_date': None,
                      'on_controlled_substance': True, 'patient_state': 'active'}


@pytest.mark.parametrize('role,field', [
    # has_alerts depends on the reader (part 3): whether staff may still group on it is the
    # design's call; only its refusal is tested
    pytest.param(role, field, id='%s-%s' % (role, field)) for role in ROLES
    for field in GROUPBYS if role in OUTSIDERS or field != 'has_alerts'])
def test_read_group_groupby(phi, role, field):
    client = phi.clients[role]
    args = [[('id', '=', phi.patient)], [field], [field]]
    if role in OUTSIDERS:
        names_field(refused(client, PARTNER, 'read_group', args), field, phi.labels)
    elif role in OTHER_COMPANY:
        assert allowed(client, PARTNER, 'read_group', args) == []
    else:
        [group] = allowed(client, PARTNER, 'read_group', args)
        assert group['%s_count' % field] == 1
        expected = STAFF_GROUP_VALUES[field]
        if expected == 'allergies':
            assert group[field] == phi.allergies
        elif expected is not None:
            assert group[field] == expected


@pytest.mark.parametrize('role', ROLES)
def test_read_group_orderby(phi, role):
    """Groups ordered by a clinical field: outsiders are refused even when grouping on a public
    field (only the order names it); staff order their groups by it."""
    client = phi.clients[role]
    domain = [('id', '=', phi.patient)]
    kwargs = {'orderby': 'next_due_date desc'}
    if role in OUTSIDERS:
        args = [domain, ['is_patient'], ['is_patient']]
        names_field(refused(client, PARTNER, 'read_group', args, kwargs), 'next_due_date',
                    phi.labels)
        return
    args = [domain, ['next_due_date'], ['next_due_date']]
    if role in OTHER_COMPANY:
        assert allowed(client, PARTNER, 'read_group', args, kwargs) == []
    else:
        [group] = allowed(client, PARTNER, 'read_group', args, kwargs)
        assert group['next_due_date_count'] == 1


# --- 1. export --------------------------------------------------------------------------------
EXPORTS = ['allergies', 'prescription_ids/rx_number', 'note_ids/body', 'consent_ids/state',
           'manufacturer_preference_ids/note', 'patient_state', 'next_due_date', 'has_alerts',
           'alert_text', 'child_ids/allergies']


@pytest.mark.parametrize('path', EXPORTS)
@pytest.mark.parametrize('role', ROLES)
def test_export_data(phi, role, path):
    client = phi.clients[role]
    # through child_ids: the household whose member is a patient
    args = [[phi.household if path.startswith('child_ids') else phi.patient], [path]]
    field = path.split('/')[-1] if path.startswith('child_ids') else path.split('/')[0]
    if role in OUTSIDERS:
        names_field(refused(client, PARTNER, 'export_data', args), field, phi.labels)
    elif role in OTHER_COMPANY and path.startswith('child_ids'):
        # the household is no patient, so perhaps visible: its member is not (no value leaks)
        outcome = client.outcome(PARTNER, 'export_data', *args)
        assert outcome[:2] == ('error', ACCESS_ERROR) or outcome[0] == 'ok', outcome
    elif role in OTHER_COMPANY:
        refused(client, PARTNER, 'export_data', args)
    else:
        rows = allowed(client, PARTNER, 'export_data', args)['datas']
        expected = {
            'allergies': [[phi.allergies]],
            'prescription_ids/rx_number': [[phi.rx_number]],
            'note_ids/body': ([[phi.note_pharm_body], [phi.note_all_body]]
                              if role in PHARMACISTS else [[phi.note_all_body]]),
            'child_ids/allergies': [[phi.child_allergies]],
        }
        if path in expected:
            assert rows == expected[path]
        else:
            assert len(rows) == 1


# --- 1. fields_get, default_get, write --------------------------------------------------------
@pytest.mark.parametrize('model', [PARTNER, 'res.users'])
@pytest.mark.parametrize('role', ROLES)
def test_fields_get(phi, role, model):
    fields = allowed(phi.clients[role], model, 'fields_get', [], {'attributes': ['type']})
    assert 'is_patient' in fields
    if role in OUTSIDERS:
        assert set(phi.clinical) & set(fields) == set()
    else:
        assert set(phi.clinical) <= set(fields)


@pytest.mark.parametrize('role', ROLES)
def test_default_get(phi, role):
    client = phi.clients[role]
    outcome = client.outcome(PARTNER, 'default_get', phi.clinical + ['is_patient'])
    if role in OUTSIDERS:
        assert outcome[:2] == ('error', ACCESS_ERROR) or (
            outcome[0] == 'ok' and set(outcome[1]) & set(phi.clinical) == set()), outcome
    else:
        assert outcome[0] == 'ok' and outcome[1]['patient_state'] == 'active', outcome


WRITES = ['is_patient', 'patient_state', 'allergies']


@pytest.mark.parametrize('field', WRITES)
@pytest.mark.parametrize('role', ROLES)
def test_write(phi, admin_rpc, role, field):
    """Staff write the patient (here the value it has); nobody else changes it: un-patient it,
    declare it deceased, overwrite its allergies."""
    current, new = {'is_patient': (True, False), 'patient_state': ('active', 'deceased'),
                    'allergies': (phi.allergies, 'NKDA')}[field]
    client = phi.clients[role]
    if role in STAFF:
        assert allowed(client, PARTNER, 'write', [[phi.patient], {field: current}]) is True
        return
    outcome = client.outcome(PARTNER, 'write', [phi.patient], {field: new})
    if outcome[0] == 'ok':   # put the patient back before failing: other cells read it
        admin_rpc(PARTNER, 'write', [phi.patient], {field: current})
    assert outcome[:2] == ('error', ACCESS_ERROR), (
        'res.partner.write(%s=%r) as %s: expected an AccessError, got %r'
        % (field, new, role, outcome))


# --- 2. side channels -------------------------------------------------------------------------
SIDE_CHANNELS = [
    ('mail.activity', 'patient'), ('mail.activity', 'rx'), ('mail.activity', 'note_pharm'),
    ('ir.attachment', 'patient'), ('ir.attachment', 'rx'),
    ('mail.message', 'patient'), ('mail.message', 'rx'), ('mail.message', 'note_pharm'),
    ('mail.followers', 'rx'), ('mail.followers', 'note_all'), ('mail.followers', 'note_pharm'),
    ('mail.followers', 'consent'),
]
SIDE_FIELDS = {
    'mail.activity': ['res_model', 'res_id', 'res_name', 'summary', 'note'],
    'ir.attachment': ['res_model', 'res_id', 'res_name', 'name', 'datas_fname'],
    'mail.message': ['model', 'res_id', 'record_name', 'body', 'subject'],
    'mail.followers': ['res_model', 'res_id', 'partner_id'],
}


def _may_see(role, target):
    """Who reads the side channels of a record: company A's staff; pharmacists only for a
    pharmacist-only note."""
    return role in (PHARMACISTS if target == 'note_pharm' else STAFF)


@pytest.mark.parametrize('channel,target', SIDE_CHANNELS,
                         ids=['%s-%s' % pair for pair in SIDE_CHANNELS])
@pytest.mark.parametrize('role', ROLES)
def test_side_channel_search(phi, role, channel, target):
    domain, ids = phi.side[channel, target]
    client = phi.clients[role]
    args = [domain]
    kwargs = {'fields': SIDE_FIELDS[channel]}
    if _may_see(role, target):
        rows = allowed(client, channel, 'search_read', args, kwargs)
        assert sorted(row['id'] for row in rows) == ids
    else:
        nothing_or_refused(client, channel, 'search_read', args, kwargs)


@pytest.mark.parametrize('channel,target', SIDE_CHANNELS,
                         ids=['%s-%s' % pair for pair in SIDE_CHANNELS])
@pytest.mark.parametrize('role', ROLES)
def test_side_channel_read(phi, role, channel, target):
    _domain, ids = phi.side[channel, target]
    client = phi.clients[role]
    args = [ids, SIDE_FIELDS[channel]]
    if _may_see(role, target):
        rows = allowed(client, channel, 'read', args)
        assert sorted(row['id'] for row in rows) == ids
    else:
        refused(client, channel, 'read', args)


# --- staff: what each reads -------------------------------------------------------------------
@pytest.mark.parametrize('role', STAFF)
def test_staff_notes(phi, role):
    """Technicians read the notes for all staff, pharmacists every note."""
    client = phi.clients[role]
    notes = allowed(client, NOTE, 'search_read', [[('patient_id', '=', phi.patient)]],
                    {'fields': ['body']})
    bodies = sorted(note['body'] for note in notes)
    if role in PHARMACISTS:
        assert bodies == sorted([phi.note_all_body, phi.note_pharm_body])
        assert allowed(client, NOTE, 'read', [[phi.note_pharm], ['body']])[0]['body'] == \
            phi.note_pharm_body
    else:
        assert bodies == [phi.note_all_body]
        refused(client, NOTE, 'read', [[phi.note_pharm], ['body']])


@pytest.mark.parametrize('role', STAFF)
def test_staff_records(phi, role):
    """Company A's staff read the prescription, its fill, the consent and the preference."""
    client = phi.clients[role]
    [rx] = allowed(client, RX, 'read', [[phi.rx], ['rx_number', 'fill_ids', 'next_due_date']])
    assert (rx['rx_number'], rx['fill_ids'], rx['next_due_date']) == (
        phi.rx_number, [phi.fill], phi.due)
    [consent] = allowed(client, CONSENT, 'read', [[phi.consent], ['state']])
    assert consent['state'] == 'refused'
    [preference] = allowed(client, PREFERENCE, 'read', [[phi.preference], ['note']])
    assert preference['note'] == phi.preference_note


# --- 3. alerts per reader ---------------------------------------------------------------------
@pytest.mark.parametrize('role', STAFF)
def test_alerts_per_reader(phi, role):
    """A technician's alerts count only the notes for all staff."""
    client = phi.clients[role]
    [record] = allowed(client, PARTNER, 'read',
                       [[phi.alert_patient], ['has_alerts', 'alert_text']])
    lines = sorted((record['alert_text'] or '').split('\n'))
    assert record['has_alerts'] is True
    if role in PHARMACISTS:
        assert lines == sorted([phi.alert_all_body, phi.alert_pharm_body])
    else:
        assert lines == [phi.alert_all_body]


# --- 4. companies -----------------------------------------------------------------------------
def test_company_a_patient_defaults_to_company_a(phi):
    [record] = allowed(phi.clients['pharmacist'], PARTNER, 'read',
                       [[phi.patient], ['company_id']])
    assert record['company_id'][0] == phi.company_a


def test_company_b_patient_is_b_and_hidden_from_a(phi):
    b_tech = phi.clients['technician_b']
    [record] = allowed(b_tech, PARTNER, 'read', [[phi.b_patient], ['company_id', 'allergies']])
    assert (record['company_id'][0], record['allergies']) == (phi.company_b, phi.b_allergies)
    for role in STAFF + OUTSIDERS:
        client = phi.clients[role]
        assert allowed(client, PARTNER, 'search_count', [[('id', '=', phi.b_patient)]]) == 0
        refused(client, PARTNER, 'read', [[phi.b_patient], ['name']])
        assert allowed(client, PARTNER, 'name_search', [],
                       {'name': phi.b_patient_name, 'limit': 10}) == []


def test_company_b_groups_only_its_patients(phi):
    b_tech = phi.clients['technician_b']
    assert allowed(b_tech, PARTNER, 'search_count',
                   [[('id', 'in', [phi.patient, phi.alert_patient])]]) == 0
    groups = allowed(b_tech, PARTNER, 'read_group', [[('is_patient', '=', True)],
                                                     ['is_patient'], ['is_patient']])
    assert sum(group['is_patient_count'] for group in groups) == allowed(
        b_tech, PARTNER, 'search_count', [[('is_patient', '=', True)]])
    refused(b_tech, PARTNER, 'write', [[phi.patient], {'allergies': 'NKDA'}])


# --- 5. nothing deleted -----------------------------------------------------------------------
UNLINK_KINDS = ['fill', 'note', 'consent', 'prescription', 'patient', 'bare_patient']
UNLINK_MODELS = {'fill': FILL, 'note': NOTE, 'consent': CONSENT, 'prescription': RX,
                 'patient': PARTNER, 'bare_patient': PARTNER}


@pytest.fixture(scope='module')
def victims(phi, admin_rpc):
    """role -> {kind: id}: records of company A that each role tries to delete, created on
    first use (their values are not clinical secrets: refusals may name them)."""
    made = {}

    def for_role(role):
        if role not in made:
            tag = '%s %s' % (role, phi.run)
            patient = admin_rpc(PARTNER, 'create', {'name': 'Rpc Victim %s' % tag,
                                                    'is_patient': True, **PROFILE})
            rx = admin_rpc(RX, 'create', {
                'patient_id': patient, 'medication_id': phi.medication,
                'rx_number': 'RXV-%s-%s' % (role, phi.run), 'days_supply': 30,
                'quantity': 30, 'refills_authorized': 2, 'date_written': phi.written})
            made[role] = {
                'fill': admin_rpc(FILL, 'create', {
                    'prescription_id': rx, 'fill_date': phi.written, 'quantity': 30,
                    'days_supply': 30}),
                'note': admin_rpc(NOTE, 'create', {'patient_id': patient,
                                                   'body': 'Victim note %s' % tag}),
                'consent': admin_rpc(CONSENT, 'create', {
                    'patient_id': patient, 'channel': 'sms', 'purpose': 'treatment'}),
                'prescription': rx,
                'patient': patient,
                'bare_patient': admin_rpc(PARTNER, 'create', {'name': 'Rpc Bare %s' % tag,
                                                              'is_patient': True, **PROFILE}),
            }
        return made[role]
    return for_role


@pytest.mark.parametrize('role,kind', [(role, kind) for role in ROLES + ['admin']
                                       for kind in UNLINK_KINDS])
def test_unlink_refused(phi, victims, admin_rpc, role, kind):
    """Nobody deletes a patient (even one without records), a consent, a fill, a note or a
    prescription: UserError, admin included (company B's technician may get AccessError)."""
    record_id = victims(role)[kind]
    model = UNLINK_MODELS[kind]
    errors = (USER_ERROR, ACCESS_ERROR) if role in OTHER_COMPANY else (USER_ERROR,)
    refused(phi.clients[role], model, 'unlink', [[record_id]], errors=errors)
    assert admin_rpc(model, 'search_count', [('id', '=', record_id)],
                     context={'active_test': False}) == 1


def test_archive_patient_holds_prescriptions_and_refuses_fills(phi, admin_rpc):
    """Archiving a patient holds their active prescriptions and refuses fills; unarchiving
    restores the prescriptions that were active (one already on hold stays on hold)."""
    pharmacist = phi.clients['pharmacist']
    patient = admin_rpc(PARTNER, 'create', {'name': 'Rpc Archived %s' % phi.run,
                                            'is_patient': True, **PROFILE})
    rx_values = {'patient_id': patient, 'medication_id': phi.medication, 'days_supply': 30,
                 'quantity': 30, 'refills_authorized': 2, 'date_written': phi.written}
    active_rx = admin_rpc(RX, 'create', dict(rx_values, rx_number='RXA-%s' % phi.run))
    held_rx = admin_rpc(RX, 'create', dict(rx_values, rx_number='RXH-%s' % phi.run))
    admin_rpc(RX, 'action_hold', [held_rx])
    fill = {'prescription_id': active_rx, 'fill_date': pharmacy_today().isoformat(),
            'quantity': 30, 'days_supply': 30}

    def states():
        rows = allowed(pharmacist, RX, 'read', [[active_rx, held_rx], ['state']])
        return {row['id']: row['state'] for row in rows}

    assert allowed(pharmacist, PARTNER, 'write', [[patient], {'active': False}]) is True
    assert states() == {active_rx: 'on_hold', held_rx: 'on_hold'}
    message = refused(pharmacist, FILL, 'create', [fill],
                      errors=(USER_ERROR, VALIDATION_ERROR))
    assert 'archiv' in message.lower() or 'Rpc Archived' in message, message
    assert allowed(pharmacist, PARTNER, 'write', [[patient], {'active': True}]) is True
    assert states() == {active_rx: 'active', held_rx: 'on_hold'}
    assert allowed(pharmacist, FILL, 'create', [fill])


# --- 1. every route on every clinical field, found in the registry ----------------------------
# fields whose value depends on who reads: staff may read them, what they read is checked above
READER_DEPENDENT = ('has_alerts', 'alert_text', 'note_ids')


@pytest.mark.parametrize('role', ROLES)
def test_every_route_on_a_clinical_field(phi, role, clinical):
    """A domain, an order and a group-by on the field, and its export: outsiders are refused
    with the field named; company B's technician gets nothing of company A's patient; staff
    get what admin gets."""
    field = clinical
    info = phi.description['models'][PARTNER]['fields'][field]
    client, admin = phi.clients[role], phi.clients['admin']
    on_patient = [('id', '=', phi.patient)]
    empty = 0 if info['type'] in ('integer', 'float', 'monetary') else False
    routes = [('search_count', [on_patient + [(field, '!=', empty)]], {})]
    if info['store'] and info['type'] not in ('one2many', 'many2many'):
        routes += [('search', [on_patient], {'order': field}),
                   ('read_group', [on_patient, [field], [field]], {})]
    routes.append(('export_data', [[phi.patient], [field]], {}))
    for method, args, kwargs in routes:
        if role in OUTSIDERS:
            names_field(refused(client, PARTNER, method, args, kwargs), field, phi.labels)
        elif method == 'search_count' and not info['searchable']:
            continue    # Odoo cannot search it: only refusing it is tested
        elif role in OTHER_COMPANY and method == 'export_data':
            refused(client, PARTNER, method, args, kwargs)
        elif role in OTHER_COMPANY:
            assert allowed(client, PARTNER, method, args, kwargs) in ([], 0), (method, field)
        else:
            result = allowed(client, PARTNER, method, args, kwargs)
            if field not in READER_DEPENDENT:
                assert result == admin.call(PARTNER, method, *args, **kwargs), (method, field)


# --- 1. every route on every PHI model, found in the registry ---------------------------------
def _phi_fields(phi, model, client):
    """The stored fields of ``model`` that ``client`` sees (not the chatter's: see the side
    channels)."""
    fields = phi.description['models'][model]['fields']
    seen = client.call(model, 'fields_get', attributes=['type'])
    return sorted(name for name in seen if name in fields and fields[name]['store'] and
                  fields[name]['type'] != 'binary' and name != 'id' and
                  not name.startswith(('message_', 'activity_')))


def test_every_phi_model_has_a_record(phi):
    """Every PHI model found in the registry was given a record to try (from the fixture, a
    recipe or its required fields), and the discovery found the features' models."""
    assert set(phi.records) == set(phi_models(phi.description))
    assert {'pharmacy.incident', 'pharmacy.dismissal', 'pharmacy.sync.enrollment',
            'pharmacy.sync.appointment.line', 'pharmacy.adherence'} <= set(phi.records)


@pytest.mark.parametrize('role', ROLES)
def test_every_route_on_a_phi_model(phi, role, phi_model):
    """Company A's record of the model, by read, search_read, search_count, name_search,
    read_group, export and write: staff get what admin gets; outsiders are refused;
    company B's technician is refused or gets nothing. Nobody deletes it."""
    model, record = phi_model, phi.records[phi_model]
    client, admin = phi.clients[role], phi.clients['admin']
    fields = _phi_fields(phi, model, client if role in STAFF else admin)
    one = [('id', '=', record)]
    routes = [('read', [[record], fields], {}), ('search_read', [one], {'fields': fields}),
              ('search_count', [one], {}), ('name_search', [], {'name': '', 'args': one}),
              ('read_group', [one, ['create_uid'], ['create_uid']], {}),
              ('export_data', [[record], fields], {})]
    for method, args, kwargs in routes:
        if role in STAFF:
            result = allowed(client, model, method, args, kwargs)
            assert result == admin.call(model, method, *args, **kwargs), (model, method)
            assert result not in ([], 0), (model, method)
        elif role in OUTSIDERS or method in ('read', 'export_data'):
            refused(client, model, method, args, kwargs)
        else:
            assert allowed(client, model, method, args, kwargs) in ([], 0), (model, method)
    if role not in STAFF:   # the value it has, of a field a client may write
        name = _plain_field(phi, model)
        [values] = admin.call(model, 'read', [record], [name])
        refused(client, model, 'write', [[record], {name: values[name]}])
    if phi.description['models'][model]['never_delete']:
        errors = (USER_ERROR, ACCESS_ERROR) if role in OTHER_COMPANY else (USER_ERROR,)
        refused(client, model, 'unlink', [[record]], errors=errors)
    assert admin.call(model, 'search_count', one, context={'active_test': False}) == 1


def _plain_field(phi, model):
    """A stored field of ``model`` of a plain type that a client writes (a read-only one when
    the server writes them all)."""
    fields = phi.description['models'][model]['fields']
    plain = sorted((field['readonly'], name) for name, field in fields.items()
                   if field['store'] and not field['computed'] and field['type'] in (
                       'char', 'text', 'selection', 'boolean', 'integer', 'float', 'date'))
    return plain[0][1]


# --- what leaves patient data unprotected: the audit of the registry --------------------------
def test_every_model_and_field_is_protected(request):
    """No pharmacy model is readable outside the pharmacy staff, every one holding patient data
    is a PHI model (or nobody writes it) with a company rule, and every field the pharmacy adds
    to a contact is clinical (groups) or listed as public."""
    assert pharmacy_models.audit(discovered(request.config)) == []


def test_the_description_reads_the_registry(request):
    """What the audit and the routes rely on, read from the registry and the database: a
    feature's PHI model with its staff access and company rule, a log that is no PHI model,
    a contact's clinical field and public field, and who declares them."""
    description = discovered(request.config)
    incident = description['models']['pharmacy.incident']
    assert (incident['module'], incident['phi'], incident['never_delete']) == (
        'pharmacy_crm_dismissal', True, True)
    assert pharmacy_models.patient_data_fields(description, 'pharmacy.incident') == [
        'patient_id']
    assert [(a['group'], a['read'], a['write'], a['create'], a['unlink'])
            for a in incident['access']] == [
        ('pharmacy_crm.group_pharmacy_technician', True, True, True, False)]
    assert [rule['global'] for rule in incident['rules']
            if 'company_id' in rule['domain']] == [True]
    log = description['models']['pharmacy.access.log']
    assert (log['phi'], log['view'], pharmacy_models.patient_data_fields(
        description, 'pharmacy.access.log')) == (False, False, ['patient_id'])
    partner = description['models'][PARTNER]['fields']
    assert (partner['allergies']['groups'], partner['allergies']['modules']) == (
        ['pharmacy_crm.group_pharmacy_technician'], ['pharmacy_crm'])
    assert (partner['npi']['groups'], partner['incident_ids']['modules']) == (
        [], ['pharmacy_crm_dismissal'])
    assert 'name' not in pharmacy_models.added_partner_fields(description)
    assert {'pharmacy.sync.due.together', 'pharmacy.sync.report'} <= set(
        pharmacy_models.pharmacy_models(description, views=True))


def _new_field(kind, relation=None, groups=(), modules=('pharmacy_crm_new',)):
    return {'type': kind, 'relation': relation, 'store': True, 'required': False,
            'readonly': False, 'computed': False, 'searchable': True, 'groups': list(groups),
            'domain': [], 'default': False, 'selection': [], 'modules': list(modules)}


def test_the_audit_flags_a_new_model_and_fields_without_protection(request):
    """A new addon's model storing patient notes, readable by every employee and not a PHI
    model, and contact fields added without groups: flagged; protected, they pass and the
    model is probed by every route."""
    description = copy.deepcopy(discovered(request.config))
    description['addons'].append('pharmacy_crm_new')
    description['models']['pharmacy.new.note'] = {
        'module': 'pharmacy_crm_new', 'transient': False, 'view': False, 'phi': False,
        'validated': False, 'rules': [],
        'fields': {'patient_id': _new_field('many2one', PARTNER),
                   'company_id': _new_field('many2one', 'res.company'),
                   'body': _new_field('text')},
        'access': [{'group': 'base.group_user', 'read': True, 'write': True, 'create': True,
                    'unlink': False}]}
    partner = description['models'][PARTNER]['fields']
    partner['diagnosis'] = _new_field('text')
    partner['new_note_ids'] = _new_field('one2many', 'pharmacy.incident')
    partner['npi'] = _new_field('many2one', RX, modules=['pharmacy_crm'])
    assert pharmacy_models.audit(description) == [
        "pharmacy.new.note: access rights 'rwc' for base.group_user, not pharmacy staff",
        'pharmacy.new.note: holds patient data (patient_id) but does not inherit '
        'pharmacy.phi.mixin',
        'pharmacy.new.note: holds patient data (patient_id) but has no global company rule',
        'res.partner.diagnosis: added by pharmacy_crm_new without '
        'groups=pharmacy_crm.group_pharmacy_technician (declare it, or list it in '
        'PUBLIC_PARTNER_FIELDS if it is no patient data)',
        'res.partner.new_note_ids: added by pharmacy_crm_new without '
        'groups=pharmacy_crm.group_pharmacy_technician (declare it, or list it in '
        'PUBLIC_PARTNER_FIELDS if it is no patient data)',
        'res.partner.npi: public, but relates to pharmacy.patient.medication']
    assert 'pharmacy.new.note' not in phi_models(description)
    # protected: a PHI model of pharmacy staff with a company rule, clinical contact fields
    description['models']['pharmacy.new.note'].update(
        phi=True, access=[{'group': 'pharmacy_crm.group_pharmacy_technician', 'read': True,
                           'write': True, 'create': True, 'unlink': False}],
        rules=[{'global': True, 'domain': "[('company_id', 'child_of', [user.company_id.id])]"}])
    for name in ('diagnosis', 'new_note_ids'):
        partner[name]['groups'] = ['pharmacy_crm.group_pharmacy_technician']
    partner['npi'] = _new_field('char', modules=['pharmacy_crm'])
    assert pharmacy_models.audit(description) == []
    assert 'pharmacy.new.note' in phi_models(description)
    assert {'diagnosis', 'new_note_ids'} <= set(clinical_fields(description))


# --- 4. last: may write on a failing server ---------------------------------------------------
def test_company_b_cannot_file_a_prescription_for_a_patient_of_a(phi):
    refused(phi.clients['technician_b'], RX, 'create', [{
        'patient_id': phi.patient, 'medication_id': phi.medication,
        'rx_number': 'RXB-%s' % phi.token_b, 'date_written': phi.written}],
        errors=(ACCESS_ERROR, USER_ERROR, VALIDATION_ERROR))


# --- portal patients (pharmacy_crm_portal): their own records, nobody else's -------------------
@pytest.fixture(scope='module')
def portal_patient(phi, admin_rpc, odoo_server, db_name):
    """A patient of company A on the pharmacy portal (not ``phi.patient``), with a prescription
    of their own; the token of company A's records must never reach them."""
    group = xmlid_to_id(admin_rpc, 'pharmacy_crm_portal.group_pharmacy_portal')
    if not group:
        pytest.skip('pharmacy_crm_portal is not installed')
    d = SimpleNamespace()
    d.patient = admin_rpc(PARTNER, 'create', dict(
        PROFILE, name='Rpc Portal Patient %s' % phi.run, is_patient=True))
    d.rx = admin_rpc(RX, 'create', {
        'patient_id': d.patient, 'medication_id': phi.medication,
        'rx_number': 'RXP-%s' % phi.run, 'days_supply': 30, 'quantity': 30,
        'refills_authorized': 2, 'date_written': phi.written})
    login = 'rpc_portal_patient_%s' % phi.run
    admin_rpc('res.users', 'create', {
        'login': login, 'password': login, 'partner_id': d.patient,
        'company_id': phi.company_a, 'company_ids': [(6, 0, [phi.company_a])],
        'groups_id': [(6, 0, [group])]}, context={'no_reset_password': True})
    d.client = JsonRpc(odoo_server, db_name, login, login, [phi.token, 'Penicillin'])
    return d


def test_portal_patient_reaches_no_other_patient_record(phi, portal_patient, phi_model):
    """Every PHI model (the portal's own included): another patient's record is neither found
    nor read nor written by a portal patient, nor what hangs on it."""
    client, record = portal_patient.client, phi.records[phi_model]
    nothing_or_refused(client, phi_model, 'search', [[('id', '=', record)]])
    nothing_or_refused(client, phi_model, 'search_count', [[('id', '=', record)]])
    refused(client, phi_model, 'read', [[record]])
    refused(client, phi_model, 'write', [[record], {'create_uid': portal_patient.client.uid}],
            errors=(ACCESS_ERROR, USER_ERROR, VALIDATION_ERROR))
    for channel in ('mail.message', 'ir.attachment', 'mail.activity'):
        field = 'model' if channel == 'mail.message' else 'res_model'
        nothing_or_refused(client, channel, 'search',
                           [[(field, '=', phi_model), ('res_id', '=', record)]])


def test_portal_patient_reads_own_prescription_only(phi, portal_patient):
    client = portal_patient.client
    assert client.call(RX, 'search', []) == [portal_patient.rx]
    [own] = client.call(RX, 'read', [portal_patient.rx], ['rx_number', 'sig'])
    assert own['rx_number'] == 'RXP-%s' % phi.run
    refused(client, RX, 'read', [[phi.rx], ['sig']])
    refused(client, PARTNER, 'read', [[phi.patient], ['name']])
    refused(client, PARTNER, 'read', [[portal_patient.patient], ['allergies']])
    refused(client, 'pharmacy.refill.request', 'create',
            [{'patient_id': phi.patient, 'prescription_id': phi.rx}],
            errors=(ACCESS_ERROR, VALIDATION_ERROR))


# --- 9. marketing segments (pharmacy_crm_marketing) -----------------------------------------
SEGMENT = 'pharmacy.segment'
MAILING_CONTACT = 'mail.mass_mailing.contact'
MAILING_LIST = 'mail.mass_mailing.list'


def test_clinical_segments_by_role(phi, admin_rpc):
    """A segment on a therapeutic class is clinical: pharmacy staff read it; a marketing user
    reads neither it, its list nor its members, cannot build one, and builds, syncs and
    reads contact segments."""
    statin = xmlid_to_id(admin_rpc, 'pharmacy_crm.therapeutic_class_statin')
    clinical = admin_rpc(SEGMENT, 'create', {'name': 'Statins %s' % phi.run,
                                             'therapeutic_class_id': statin})
    admin_rpc(SEGMENT, 'action_sync', [clinical])
    [segment] = admin_rpc(SEGMENT, 'read', [clinical], ['list_id', 'is_clinical'])
    assert segment['is_clinical'] is True
    clinical_list = segment['list_id'][0]
    marketing, technician = phi.clients['marketing'], phi.clients['technician']
    # staff read the clinical segment and its counts
    [read] = allowed(technician, SEGMENT, 'read', [[clinical], ['name', 'member_count']])
    assert read['name'] == 'Statins %s' % phi.run
    # marketing: nothing of it, by any route
    refused(marketing, SEGMENT, 'read', [[clinical], ['name']])
    refused(marketing, SEGMENT, 'read', [[clinical], ['member_count']])
    refused(marketing, MAILING_LIST, 'read', [[clinical_list], ['name']])
    assert allowed(marketing, SEGMENT, 'search', [[('id', '=', clinical)]]) == []
    assert allowed(marketing, MAILING_CONTACT, 'search_count',
                   [[('pharmacy_segment_id', '=', clinical)]]) == 0
    assert allowed(marketing, MAILING_CONTACT, 'search_count',
                   [[('list_ids', 'in', [clinical_list])]]) == 0
    refused(marketing, SEGMENT, 'create', [{'name': 'Mine', 'therapeutic_class_id': statin}])
    refused(marketing, SEGMENT, 'create', [{
        'name': 'Mine', 'partner_domain': "[('allergies', 'ilike', 'pen')]"}])
    refused(marketing, RX, 'read', [[phi.rx], ['rx_number']])
    # a contact segment: built, synced and read by marketing
    contact = allowed(marketing, SEGMENT, 'create', [{
        'name': 'Birthdays %s' % phi.run, 'birthday_this_month': True}])
    # the sync shows its result: the members
    assert allowed(marketing, SEGMENT, 'action_sync', [[contact]])['res_model'] == MAILING_CONTACT
    [read] = allowed(marketing, SEGMENT, 'read', [[contact], ['is_clinical', 'list_id']])
    assert read['is_clinical'] is False and read['list_id']
