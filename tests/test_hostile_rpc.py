"""Hostile values over JSON-RPC, property-based (issue #7, "Done when").

A pharmacy technician, logged in over ``/jsonrpc`` on the served test instance, creates and
writes random and hostile values into the fields of every pharmacy model (1 to 3 fields per
call, drawn from ``fields_get``, a type first so that every type is tried as often; for
``res.partner``, the pharmacy's fields), and, for the catalog (``pharmacy.medication``), which
technicians may not change, a manager does too. Values:
strings huge, empty, blank, with NUL, lone surrogates or any unicode; integers at and beyond
PostgreSQL's ``integer``, beyond any float; floats nan, inf, 1e308, -0.0; dates impossible, in the
years 1 and 9999, with non-ASCII digits; datetimes; unknown selection keys; many2one ``'abc'``,
``[1, 2]``, 0, -1, 2**40, ids of records of another model; malformed x2many commands; ``None``,
``True``, dicts everywhere; values that are not a mapping, unknown field names, and hostile
``default_<field>`` keys in the context of a create. Each answer must be:

- a result, or an error whose ``data.name`` is ``odoo.exceptions.ValidationError``,
  ``UserError`` or ``AccessError``: never another exception (an internal error);
- a refusal when a value is certainly invalid (the oracle ``_certainly_invalid`` states the
  documented contract: types, integer range, finite floats up to 1e15, real dates written
  YYYY-MM-DD between 1900 and 2100, text without NUL and within its size, known selection keys,
  positive ids of existing records, well-formed commands), when a field is unknown, or when a
  field is the server's (computed, related or read-only); and then its message names one of the
  fields given a drawn value (its label, or the unknown name);
- never Odoo's catch-all "The operation cannot be completed" nor a traceback as the message;
- no partial record: the number of records (all of them, read as admin) is the same before and
  after a refused create and one more after an accepted one; the written record reads the same
  before and after a refused write; and what an accepted call wrote reads back as given.

What the property found is kept as exact cases at the end (``test_what_the_property_found``).

Deterministic (``derandomize=True``, no shrinking) and bounded: 24 examples per property
(``HOSTILE_EXAMPLES`` explores further); the data is created once per module with names unique
to the run, so the module can run again on the same database. About 30 s on the 2-core
development machine when it is quiet, 65 s when it is busy, starting the server included.
"""
import itertools
import json
import math
import os
import re
import uuid
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, Phase, event, given, seed, settings
from hypothesis import strategies as st

from rpc_users import (ACCESS_ERROR, USER_ERROR, VALIDATION_ERROR, JsonRpc, create_user,
                       xmlid_to_id)
from conftest import pharmacy_today

PARTNER = 'res.partner'
RX = 'pharmacy.patient.medication'
FILL = 'pharmacy.fill'
NOTE = 'pharmacy.patient.note'
CONSENT = 'pharmacy.consent'
PREFERENCE = 'pharmacy.manufacturer.preference'
MEDICATION = 'pharmacy.medication'
TECHNICIAN_MODELS = [RX, FILL, NOTE, CONSENT, PREFERENCE, PARTNER, MEDICATION]
# refill sync (#10)
ENROLLMENT = 'pharmacy.sync.enrollment'
APPOINTMENT = 'pharmacy.sync.appointment'
SYNC_LINE = 'pharmacy.sync.appointment.line'
TECHNICIAN_MODELS += [ENROLLMENT, APPOINTMENT, SYNC_LINE]
ALLOWED = (VALIDATION_ERROR, USER_ERROR, ACCESS_ERROR)
GENERIC = 'The operation cannot be completed'   # Odoo's message for a raw IntegrityError

# the documented contract of the validation layer (pharmacy_crm/tools/values.py)
INTEGER_MIN, INTEGER_MAX = -2 ** 31, 2 ** 31 - 1
FLOAT_LIMIT = 1e15
YEARS = (1900, 2100)
DATE_FORM = '[0-9]{4}-[0-9]{2}-[0-9]{2}'
DATETIME_FORM = DATE_FORM + '( [0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?)?'
CHAR_SIZE, TEXT_SIZE = 256, 20000
COMMAND_SIZES = {0: 3, 1: 3, 2: 2, 3: 2, 4: 2, 5: 1, 6: 3}
MISSING_IDS = (2 ** 30, INTEGER_MAX)         # positive ids no test database reaches
MAGIC = ('id', 'create_uid', 'create_date', 'write_uid', 'write_date')   # Odoo ignores them
IGNORED = ('id', 'display_name', '__last_update')   # Odoo's computed fields: ignored
# res.partner: the fields the pharmacy declares (checked against ir.model.data below), and the
# birthdate of OCA's partner_contact_birthdate, which the pharmacy validates
PARTNER_EXTRA = ('birthdate_date', 'fax')

# examples per model and method (22 properties); HOSTILE_EXAMPLES=500 explores further, and
# HOSTILE_SEED=<n> draws other examples than the fixed ones of a normal run
EXAMPLES = int(os.environ.get('HOSTILE_EXAMPLES', 24))
SEED = os.environ.get('HOSTILE_SEED')


# --- the client -------------------------------------------------------------------------------
class HostileError(Exception):
    """An error answer: ``name`` is the server's exception class, ``message`` its text."""

    def __init__(self, error):
        data = error.get('data') or {}
        self.name = data.get('name') or ''
        arguments = data.get('arguments') or []
        self.message = str(arguments[0] if arguments else data.get('message') or
                           error.get('message') or '')
        self.debug = data.get('debug') or ''
        super().__init__('%s: %s' % (self.name, self.message))


class HostileRpc(JsonRpc):
    """JSON-RPC that sends what ``requests`` refuses to encode (NaN, Infinity) and keeps the
    exact message of an error (``arguments[0]``) and its traceback."""

    def _rpc(self, service, method, args):
        payload = {'jsonrpc': '2.0', 'method': 'call', 'id': next(self._ids),
                   'params': {'service': service, 'method': method, 'args': args}}
        response = self.http.post(self.url, data=json.dumps(payload),
                                  headers={'Content-Type': 'application/json'}, timeout=120)
        response.raise_for_status()
        body = response.json()
        if 'error' in body:
            raise HostileError(body['error'])
        return body['result']

    def outcome(self, model, method, *args, **kwargs):
        try:
            return SimpleNamespace(ok=True, result=self.call(model, method, *args, **kwargs))
        except HostileError as err:
            return SimpleNamespace(ok=False, name=err.name, message=err.message,
                                   debug=err.debug)


# --- data, once per module --------------------------------------------------------------------
class Data(SimpleNamespace):
    """The module's data; shown by its run id only in hypothesis's reports."""

    def __repr__(self):
        return '<hostile data of run %s>' % self.run


@pytest.fixture(scope='module')
def hostile(odoo_server, db_name, admin_rpc):
    """Staff logged in over JSON-RPC, a record of each model to write on, the valid values a
    create starts from, and the fields of each model as the technician sees them."""
    run = uuid.uuid4().hex[:8]
    d = Data(run=run, counter=itertools.count(1))
    today = pharmacy_today()
    d.today = today
    company = xmlid_to_id(admin_rpc, 'base.main_company')

    def create(model, vals):
        return admin_rpc(model, 'create', vals, context={'tracking_disable': True})

    def patient(label):
        return create(PARTNER, {'name': 'Hostile %s %s' % (label, run), 'is_patient': True,
                                'birthdate_date': '1960-01-01', 'nkda': True})

    d.medications = [create(MEDICATION, {'name': 'Hostilol %d %s' % (i, run)})
                     for i in range(3)]
    d.maker = create(PARTNER, {'name': 'Hostile Labs %s' % run, 'is_company': True})
    d.prescriber = create(PARTNER, {'name': 'Hostile Prescriber %s' % run,
                                    'is_prescriber': True})
    # creates draw their patient from a pool: a consent is unique per patient, channel and
    # purpose, a manufacturer preference per patient and medication
    d.patients = [patient('Patient %d' % i) for i in range(10)]
    # fills are created on a prescription written 300 days ago, each dated a day after the one
    # before, with one day of supply (so that none is a refill too soon); the next one when
    # its days run out
    d.fill_written = today - timedelta(days=300)

    def fill_prescription():
        return create(RX, {'patient_id': d.patients[0], 'medication_id': d.medications[0],
                           'rx_number': 'HF-%s-%d' % (run, next(d.counter)),
                           'days_supply': 30, 'refills_authorized': 1000,
                           'date_written': d.fill_written.isoformat()})
    d.fill_prescription = fill_prescription
    d.fill_rx, d.fill_days = fill_prescription(), itertools.count()
    # the records written on, one per model, none of them used by the creates
    target_patient = patient('Target')
    target_rx = create(RX, {'patient_id': target_patient, 'medication_id': d.medications[1],
                            'rx_number': 'HT-%s' % run, 'days_supply': 30,
                            'refills_authorized': 3,
                            'date_written': (today - timedelta(days=60)).isoformat()})
    d.targets = {
        PARTNER: patient('Written'),
        RX: target_rx,
        FILL: create(FILL, {'prescription_id': target_rx, 'quantity': 30, 'days_supply': 30,
                            'fill_date': (today - timedelta(days=50)).isoformat()}),
        NOTE: create(NOTE, {'patient_id': target_patient, 'body': 'Hostile note %s' % run}),
        CONSENT: create(CONSENT, {'patient_id': target_patient, 'channel': 'email',
                                  'purpose': 'treatment'}),
        PREFERENCE: create(PREFERENCE, {'patient_id': target_patient,
                                        'medication_id': d.medications[1],
                                        'manufacturer_id': d.maker}),
        MEDICATION: create(MEDICATION, {'name': 'Hostile Target %s' % run}),
    }
    # refill sync (#10): the target patient's enrolment, an appointment, a line; creates
    # start from a dropped-out enrolment (one open per patient), an appointment on a new date,
    # a line of a new prescription of the target patient
    d.create = create
    d.target_patient = target_patient
    d.targets[ENROLLMENT] = create(ENROLLMENT, {
        'patient_id': target_patient, 'sync_rule': 'day', 'sync_day': 5,
        'consent_source': 'in_store'})
    d.targets[APPOINTMENT] = create(APPOINTMENT, {
        'enrollment_id': d.targets[ENROLLMENT], 'date': (today + timedelta(days=3)).isoformat(),
        'line_ids': [(0, 0, {'prescription_id': target_rx})]})
    d.targets[SYNC_LINE] = admin_rpc(SYNC_LINE, 'search', [
        ('appointment_id', '=', d.targets[APPOINTMENT])])[0]
    d.clients = {}
    for role in ('technician', 'manager'):
        login = 'hostile_%s_%s' % (role, run)
        create_user(admin_rpc, role, login, company)
        d.clients[role] = HostileRpc(odoo_server, db_name, login, login)
    d.admin = HostileRpc(odoo_server, db_name, 'admin', 'admin')
    technician = d.clients['technician']

    # fields as the technician sees them
    attributes = ['type', 'string', 'required', 'readonly', 'store', 'related', 'selection',
                  'relation', 'size']
    d.fields = {model: technician.call(model, 'fields_get', attributes=attributes)
                for model in TECHNICIAN_MODELS}
    # the catalog as its manager sees it (read-only for a technician)
    d.manager_fields = {MEDICATION: d.clients['manager'].call(
        MEDICATION, 'fields_get', attributes=attributes)}
    declared = admin_rpc('ir.model.data', 'search_read', [
        ('module', '=', 'pharmacy_crm'), ('model', '=', 'ir.model.fields'),
        ('name', '=like', 'field\\_res\\_partner\\_%')], ['res_id'])
    pharmacy_fields = {f['name'] for f in admin_rpc(
        'ir.model.fields', 'read', [r['res_id'] for r in declared], ['name'])}
    pharmacy_fields = (pharmacy_fields | set(PARTNER_EXTRA)) - {
        name for name in pharmacy_fields if name.startswith('activity_')}  # Odoo's, redeclared
    d.fields[PARTNER] = {name: desc for name, desc in d.fields[PARTNER].items()
                         if name in pharmacy_fields}
    assert {'allergies', 'npi', 'patient_state', 'prescription_ids', 'next_due_date'} <= set(
        d.fields[PARTNER]), 'the pharmacy fields of a contact were not found'

    # ids to draw many2one and x2many values from: a few records of each related model
    comodels = {desc['relation'] for fields in d.fields.values() for desc in fields.values()
                if desc.get('relation')}
    d.ids = {comodel: admin_rpc(comodel, 'search', [], limit=3, order='id desc',
                                context={'active_test': False}) for comodel in comodels}
    d.ids[PARTNER] = d.ids[PARTNER] + [d.maker, d.prescriber, d.patients[1]]
    d.any_ids = sorted({i for ids in d.ids.values() for i in ids} | {1})
    return d


def _base_vals(d, model):
    """Valid values for a new record of ``model``, unique where the model wants it."""
    n = next(d.counter)
    patient = d.patients[n % len(d.patients)]
    if model == RX:
        return {'patient_id': patient, 'medication_id': d.medications[0],
                'prescriber_id': d.prescriber, 'rx_number': 'HR-%s-%d' % (d.run, n),
                'days_supply': 30, 'quantity': 30, 'refills_authorized': 2,
                'date_written': (d.today - timedelta(days=5)).isoformat()}
    if model == FILL:
        day = d.fill_written + timedelta(days=next(d.fill_days))
        if day > d.today:
            d.fill_rx, d.fill_days = d.fill_prescription(), itertools.count(1)
            day = d.fill_written
        return {'prescription_id': d.fill_rx, 'fill_date': day.isoformat(), 'quantity': 1,
                'days_supply': 1}
    if model == NOTE:
        return {'patient_id': patient, 'body': 'Hostile note %d' % n, 'category': 'service'}
    if model == CONSENT:
        channel, purpose = list(itertools.product(['email', 'sms', 'phone'],
                                                  ['treatment', 'marketing']))[n % 6]
        return {'patient_id': d.patients[n // 6 % len(d.patients)], 'channel': channel,
                'purpose': purpose}
    if model == PREFERENCE:
        return {'patient_id': patient, 'medication_id': d.medications[n // 10 % 3],
                'manufacturer_id': d.maker, 'required_by': 'patient'}
    if model == MEDICATION:
        return {'name': 'Hostile Medication %s %d' % (d.run, n)}
    if model == ENROLLMENT:
        return {'patient_id': patient, 'sync_rule': 'day', 'sync_day': 1 + n % 31,
                'consent_source': 'phone', 'state': 'dropped', 'dropout_reason': 'other'}
    if model == APPOINTMENT:
        return {'enrollment_id': d.targets[ENROLLMENT],
                'date': (d.today + timedelta(days=10 + n)).isoformat()}
    if model == SYNC_LINE:
        rx = d.create(RX, {'patient_id': d.target_patient, 'medication_id': d.medications[2],
                           'rx_number': 'HS-%s-%d' % (d.run, n), 'days_supply': 30,
                           'date_written': d.today.isoformat()})
        return {'appointment_id': d.targets[APPOINTMENT], 'prescription_id': rx}
    return {'name': 'Hostile Contact %s %d' % (d.run, n)}


# --- values -----------------------------------------------------------------------------------
HUGE = 'x' * 2 ** 20
NAN, INF = float('nan'), float('inf')
EVERYWHERE = [None, True, False, {}, {'id': 1}, [], [1, 2], 'abc', '', 0, -1, 1.5, NAN]
TEXTS = ['', ' ', '\t\n ', 'plain', 'x' * CHAR_SIZE, 'x' * (CHAR_SIZE + 1), 'x' * TEXT_SIZE,
         'x' * (TEXT_SIZE + 1), HUGE, '\x00', 'a\x00b', '\ud800', 'a\udfffb',
         '\u03a9mega \U0001f48a \u05e2\u05d1\u05e8\u05d9\u05ea \u202e', 'e\u0301' * 10,
         "'; DROP TABLE res_partner; --", '%s %(x)s {0}', '<script>alert(1)</script>',
         '\U0001f48a' * CHAR_SIZE, 5, 1.5, ['a'], {'en_US': 'a'}]
INTEGERS = [0, 1, -1, 30, INTEGER_MAX, INTEGER_MIN, INTEGER_MAX + 1, INTEGER_MIN - 1, 2 ** 63,
            10 ** 30, 10 ** 400, -10 ** 400, 30.0, 1.5, 1e300, NAN, INF, -INF, '30', 'abc']
FLOATS = [0.0, -0.0, 1.5, FLOAT_LIMIT, -FLOAT_LIMIT, 1e16, 1e308, -1e308, 5e-324, NAN, INF,
          -INF, 10 ** 400, 2 ** 63, 30, '1.5', 'ten']
DATES = ['2024-02-29', '2023-02-29', '2026-02-30', 'not a date', '9999-12-31', '0001-01-01',
         '1899-12-31', '1900-01-01', '2100-12-31', '2101-01-01', '2024-1-5', '20240105',
         '2024-01-05T00:00:00', '2024-01-05 10:00:00', ' 2024-01-05', '2024-01-05\n',
         '\u0662\u0660\u0662\u0664-\u0660\u0661-\u0660\u0665',           # Arabic-Indic digits
         '\uff12\uff10\uff12\uff14-\uff10\uff11-\uff10\uff15',           # fullwidth digits
         '2024-13-01', '2024-00-10', '-2024-01-05', '+2024-01-05', 20240105, 'today']
DATETIMES = ['2024-01-05 10:00:00', '2024-01-05', '2024-01-05 10:00:00.123456',
             '2024-01-05 25:00:00', '2024-01-05T10:00:00', '9999-12-31 23:59:59',
             '0001-01-01 00:00:00', '2024-02-30 10:00:00', '2024-01-05 10:00',
             '2024-01-05 10:00:00+02', '2024-01-05 10:00:00.', '2024-01-05 10:00:00.\u0661',
             '2024-01-05 \u0661\u0660:00:00', 1704448800, 'now']
UNKNOWN_NAMES = ['no_such_field', 'x' * 30, '\u00f1\u00e4m\u00e9', 'a.b', 'patient_id.name',
                 '__proto__', 'ID', ' state', 'state ']
NOT_MAPPINGS = [None, 'abc', 5, True, [], [{}], [['name', 'x']], 1.5]


def _commands(ids):
    some = ids[0] if ids else 1
    return [[], [[4, some]], [[6, 0, ids]], [[6, 0, []]], [[5]], [[5, 0, 0]], [[0, 0, {}]],
            [[0, 0, {'no_such_field': 1}]], [[1, some, {}]], [[2, some]], [[3, some]],
            [[7, 0]], [[4]], [[0, 0]], [[0, 0, 'x']], [[6, 0, 'x']], [[6, 0, [2 ** 40]]],
            [[4, 'x']], [[4, -1]], [[4, 2 ** 30]], [[]], [None], [[4, some], 'x'],
            [['4', some]], [[4.0, some]], [[True, some]], [[6, 0, [some, 'x']]], 'abc', 5,
            [5], {'4': some}, [[1, some, 'x']], [[-1, some]], [[6, 0, [[some]]]]]


def _values(d, desc):
    """A strategy of values for a field described by ``fields_get``: mostly the hostile
    catalogue of its type, else any value of its type, else one of the values tried
    everywhere."""
    kind = desc['type']
    catalogue, free = {
        'boolean': ([True, False, 0, 1, 2, -1, 'true', 1.0, 0.0], st.booleans()),
        'integer': (INTEGERS, st.integers()),
        'float': (FLOATS, st.one_of(st.floats(), st.integers())),
        'monetary': (FLOATS, st.floats()),
        'date': (DATES, st.one_of(st.dates().map(date.isoformat),
                                  st.from_regex(r'\A\d{4}-\d{2}-\d{2}\Z'))),
        'datetime': (DATETIMES, st.datetimes().map(str)),
        'char': (TEXTS, st.text(max_size=30)),
        'text': (TEXTS, st.text(max_size=30)),
        'html': (TEXTS, st.text(max_size=30)),
    }.get(kind, (EVERYWHERE, st.nothing()))
    if kind == 'selection':
        keys = [key for key, _label in desc.get('selection') or []]
        catalogue = ['bogus', ' ', 2, ['active'], 'Active'] + [
            k.upper() for k in keys if isinstance(k, str)] + ['%s ' % k for k in keys]
        free = st.sampled_from(keys or [False])
    elif kind == 'many2one':
        own = d.ids.get(desc['relation']) or [1]
        catalogue = ['abc', [1, 2], [own[0], 'name'], [own[0]], 0, -1, 2 ** 31, 2 ** 40,
                     2 ** 30, float(own[0]), str(own[0]), {'id': own[0]}]
        free = st.sampled_from(own + d.any_ids)
    elif kind in ('one2many', 'many2many'):
        catalogue, free = _commands(d.ids.get(desc['relation']) or [1]), st.just([])
    hostile = st.sampled_from(catalogue)
    return st.one_of(hostile, hostile, hostile, free, st.sampled_from(EVERYWHERE))


# --- the oracle: what must be refused ---------------------------------------------------------
def _empty(value):
    return value is None or value is False


def _blank(value):
    return _empty(value) or (isinstance(value, str) and not value.strip())


def _bad_id(value):
    return type(value) is not int or not 0 < value <= INTEGER_MAX or value in MISSING_IDS


def _bad_date(value, with_time=False):
    """Not YYYY-MM-DD (with_time: optionally followed by HH:MM:SS and a fraction) in ASCII
    digits, not a real day and time, or a year outside ``YEARS``."""
    pattern = DATETIME_FORM if with_time else DATE_FORM
    if not isinstance(value, str) or not re.fullmatch(pattern, value):
        return True
    try:
        moment = datetime.strptime(value[:19], '%Y-%m-%d %H:%M:%S' if len(value) > 10
                                   else '%Y-%m-%d')
    except ValueError:
        return True
    return not YEARS[0] <= moment.year <= YEARS[1]


def _bad_commands(value):
    if _empty(value):
        return False
    if not isinstance(value, list):
        return True
    for command in value:
        if not isinstance(command, list) or not command or type(command[0]) is not int or (
                command[0] not in COMMAND_SIZES or len(command) < COMMAND_SIZES[command[0]]):
            return True
        code = command[0]
        if code in (0, 1) and not isinstance(command[2], dict):
            return True
        if code in (1, 2, 3, 4) and not _empty(command[1]) and _bad_id(command[1]):
            return True
        if code == 6 and (not isinstance(command[2], list) or any(
                not _empty(i) and _bad_id(i) for i in command[2])):
            return True
    return False


def _certainly_invalid(desc, value):
    """Whether the validation layer must refuse ``value`` for the field ``desc``."""
    kind = desc['type']
    if desc.get('required') and kind != 'boolean' and _blank(value):
        return True
    if kind in ('one2many', 'many2many'):
        return _bad_commands(value)
    if _empty(value):
        return False
    if kind == 'boolean':
        return not (value is True or (type(value) is int and value in (0, 1)))
    if kind == 'integer':
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        return type(value) is not int or not INTEGER_MIN <= value <= INTEGER_MAX
    if kind in ('float', 'monetary'):
        return isinstance(value, bool) or not isinstance(value, (int, float)) or (
            abs(value) > FLOAT_LIMIT or (isinstance(value, float) and not math.isfinite(value)))
    if kind == 'date':
        return _bad_date(value)
    if kind == 'datetime':
        return _bad_date(value, with_time=True)
    if kind in ('char', 'text', 'html'):
        size = (desc.get('size') or CHAR_SIZE) if kind == 'char' else TEXT_SIZE
        return not isinstance(value, str) or '\x00' in value or len(value) > size or any(
            '\ud800' <= c <= '\udfff' for c in value)
    if kind == 'selection':
        return value not in [key for key, _label in desc.get('selection') or []]
    if kind == 'many2one':
        return _bad_id(value)
    return False


def _server_owned(name, desc):
    """Computed, related and read-only fields: the server's, refused in create and write.
    Odoo's own ``id``, ``display_name`` and ``__last_update`` are not: Odoo ignores them (the
    pharmacy's models with patient data refuse the last two, the catalog ignores them)."""
    return name not in IGNORED and bool(desc.get('readonly') or desc.get('related') or
                                        not desc.get('store', True))


# --- what an accepted call must have stored ----------------------------------------------------
def _stored(desc, value):
    """What reading the field gives after ``value`` was accepted, or ``...`` when the server
    may normalise it (text, datetimes, relations)."""
    kind = desc['type']
    if kind == 'boolean':
        return bool(value)
    if kind == 'integer':
        return int(value or 0)
    if kind in ('date', 'selection'):
        return value or False
    if kind == 'many2one':
        return value or False
    if kind == 'float':
        return float(value or 0.0)
    return ...


def _reads_as(desc, read, expected):
    if expected is ...:
        return True
    if desc['type'] == 'many2one':
        return (read[0] if read else False) == expected
    if desc['type'] == 'float':
        return abs(read - expected) <= 0.005 + abs(expected) * 1e-12  # 2 digits stored
    return read == expected


# --- one call ---------------------------------------------------------------------------------
def _describe(model, method, args, context, outcome):
    shown = json.dumps(args, default=repr)
    shown = shown if len(shown) < 600 else shown[:600] + '...'
    text = '%s.%s(%s) context=%s -> ' % (model, method, shown, context)
    if outcome.ok:
        return text + 'ok %r' % (outcome.result,)
    return text + '%s: %s%s' % (outcome.name, outcome.message[:300], (
        '\n' + outcome.debug[-1500:]) if outcome.name not in ALLOWED else '')


def _expectations(desc_of, vals, drawn):
    """(certainly refused, names that a refusal must mention one of): a refusal names one of
    the fields given a drawn value (the others are valid), by its label, or the unknown name."""
    if not isinstance(vals, dict):
        return True, ['mapping']
    must_refuse = False
    for name, value in drawn.items():
        desc = desc_of.get(name)
        must_refuse = must_refuse or desc is None or _certainly_invalid(desc, value) or (
            _server_owned(name, desc))
    return must_refuse, [desc_of[name]['string'] if name in desc_of else name
                         for name in drawn]


def _check_answer(label, outcome, must_refuse, names, refused_anyway=False):
    # what the answers were: pytest --hypothesis-show-statistics
    event('%s: %s' % ('must refuse' if must_refuse else 'may accept',
                      'ok' if outcome.ok else outcome.name.rsplit('.', 1)[-1]))
    assert outcome.ok or outcome.name in ALLOWED, 'internal error: ' + label
    if not outcome.ok:
        assert outcome.message.strip() and GENERIC not in outcome.message and (
            'Traceback' not in outcome.message), 'unclear message: ' + label
    if refused_anyway:
        assert not outcome.ok, 'a technician changed the catalog: ' + label
        if outcome.name == ACCESS_ERROR:
            return
    if must_refuse:
        assert not outcome.ok, 'accepted a value it must refuse: ' + label
        assert outcome.name in (VALIDATION_ERROR, USER_ERROR), 'refused, but why? ' + label
        assert any(name.lower() in outcome.message.lower() for name in names), (
            'the message names none of %r: %s' % (names, label))


def _draw_vals(data, d, fields, base):
    """(``base`` with 1 to 3 fields given drawn values and maybe an unknown field, or a value
    that is not a mapping; the drawn values)."""
    drawn = {}
    by_type = {}
    for name, desc in sorted(fields.items()):
        by_type.setdefault(desc['type'], []).append(name)
    for _i in range(data.draw(st.integers(1, 3), label='how many fields')):
        # a type, then a field of that type: each type is tried as often as the others
        names = by_type[data.draw(st.sampled_from(sorted(by_type)), label='type')]
        name = data.draw(st.sampled_from(names), label='field')
        drawn[name] = data.draw(_values(d, fields[name]), label=name)
    if data.draw(st.integers(0, 9), label='unknown field?') == 0:
        drawn[data.draw(st.sampled_from(UNKNOWN_NAMES), label='unknown')] = data.draw(
            st.sampled_from(EVERYWHERE), label='its value')
    vals = dict(base, **drawn)
    if data.draw(st.integers(0, 9), label='a value that is not a mapping?') == 0:
        return data.draw(st.sampled_from(NOT_MAPPINGS + [[vals]]), label='vals'), drawn
    return vals, drawn


def _fields(d, model, role):
    """The fields of ``model`` as ``role`` sees them (read-only for who may not write)."""
    return d.manager_fields[model] if role == 'manager' else d.fields[model]


class State:
    """What a model holds, read as admin: the number of records, or one record's fields.

    Kept from one example to the next (each reads it after its call anyway), so an example
    reads it once; forgotten when an example stops half-way."""

    def __init__(self, d):
        self.d = d
        self.known = {}

    def count(self, model):
        return self._get(('count', model), lambda: self.d.admin.call(
            model, 'search_count', [], context={'active_test': False}))

    def record(self, model, record_id, names):
        return self._get(('record', model, record_id), lambda: self.d.admin.call(
            model, 'read', [record_id], names))

    def _get(self, key, read):
        if key not in self.known:
            self.known[key] = read()
        return self.known[key]

    def forget(self):
        self.known.clear()


@pytest.fixture
def state(hostile):
    return State(hostile)


# no shrinking: a failure's message holds the whole call, and a shrink would replay calls
# against a database the earlier calls changed (minutes, and "flaky" reports)
_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=not SEED,
                     phases=[Phase.explicit, Phase.generate], database=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                            HealthCheck.function_scoped_fixture])


def property_settings(test):
    """The settings above, and HOSTILE_SEED's seed when given."""
    return seed(int(SEED))(_SETTINGS(test)) if SEED else _SETTINGS(test)


ROLES = [(model, 'technician') for model in TECHNICIAN_MODELS] + [(MEDICATION, 'manager')]


# --- the properties ---------------------------------------------------------------------------
@pytest.mark.parametrize('model, role', ROLES)
@property_settings
@given(data=st.data())
def test_hostile_create(hostile, state, model, role, data):
    d = hostile
    fields = _fields(d, model, role)
    vals, drawn = _draw_vals(data, d, fields, _base_vals(d, model))
    must_refuse, names = _expectations(fields, vals, drawn)
    count = state.count(model)
    state.forget()
    outcome = d.clients[role].outcome(model, 'create', vals)
    after = state.count(model)
    label = _describe(model, 'create', [vals], None, outcome)
    _check_answer(label, outcome, must_refuse, names,
                  refused_anyway=model == MEDICATION and role == 'technician')
    if not outcome.ok:
        assert after == count, 'a refused create left a record: ' + label
        return
    assert type(outcome.result) is int and after == count + 1, 'created what? ' + label
    _check_stored(d, fields, model, outcome.result, vals, label)


@pytest.mark.parametrize('model, role', ROLES)
@property_settings
@given(data=st.data())
def test_hostile_write(hostile, state, model, role, data):
    d = hostile
    fields = _fields(d, model, role)
    target = d.targets[model]
    vals, drawn = _draw_vals(data, d, fields, {})
    must_refuse, names = _expectations(fields, vals, drawn)
    # the fields compared: not those computed for the reader
    readable = sorted(name for name, desc in fields.items()
                      if desc.get('store', True) or model == PARTNER)
    before = state.record(model, target, readable)
    state.forget()
    outcome = d.clients[role].outcome(model, 'write', [target], vals)
    after = state.record(model, target, readable)
    label = _describe(model, 'write', [[target], vals], None, outcome)
    _check_answer(label, outcome, must_refuse, names,
                  refused_anyway=model == MEDICATION and role == 'technician')
    if not outcome.ok:
        assert after == before, 'a refused write changed the record: %s\nbefore %s\nafter %s' % (
            label, before, after)
        return
    assert outcome.result is True, label
    _check_stored(d, fields, model, target, vals, label)


@pytest.mark.parametrize('model', [RX, FILL, NOTE, CONSENT, PREFERENCE, PARTNER])
@property_settings
@given(data=st.data())
def test_hostile_defaults_in_context(hostile, state, model, data):
    """``default_<field>`` in the context of a create are values too: checked as such, and a
    field of the server's is not set through them."""
    d = hostile
    fields = d.fields[model]
    base = _base_vals(d, model)
    candidates = sorted(name for name in fields if name not in base and name not in MAGIC)
    defaults = {}
    for name in data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=2,
                                   unique=True), label='defaults'):
        defaults[name] = data.draw(_values(d, fields[name]), label=name)
    context = {'default_' + name: value for name, value in defaults.items()}
    must_refuse, names = _expectations(fields, base, defaults)
    count = state.count(model)
    state.forget()
    outcome = d.clients['technician'].outcome(model, 'create', base, context=context)
    after = state.count(model)
    label = _describe(model, 'create', [base], context, outcome)
    _check_answer(label, outcome, must_refuse, names)
    if not outcome.ok:
        assert after == count, 'a refused create left a record: ' + label
        return
    assert after == count + 1, label
    _check_stored(d, fields, model, outcome.result, dict(defaults, **base), label)


def _check_stored(d, fields, model, record_id, vals, label):
    """An accepted call stored the values as given (those the server does not normalise)."""
    names = [name for name in vals if name in fields and name not in MAGIC + IGNORED]
    [record] = d.admin.call(model, 'read', [record_id], names)
    for name in names:
        expected = _stored(fields[name], vals[name])
        assert _reads_as(fields[name], record[name], expected), (
            '%s reads %r, not %r: %s' % (name, record[name], expected, label))


# --- what the property found, kept as exact cases ---------------------------------------------
def _found_cases(d):
    """(label, model, method, args, kwargs, exception, message) of the internal errors and
    bypasses the property found, each fixed in the validation layer."""
    rx, note, fill = d.targets[RX], d.targets[NOTE], d.targets[FILL]
    other_user = d.clients['manager'].uid
    [elsewhere] = d.admin.call('mail.followers', 'search', [('res_model', '!=', RX)], limit=1)
    base_note = {'patient_id': d.patients[2], 'body': 'Found note', 'category': 'service'}
    return [
        ('followers replaced (AttributeError in Odoo 11)', RX, 'write',
         [[rx], {'message_follower_ids': [[6, 0, []]]}], {}, VALIDATION_ERROR,
         'Followers of Prescription: [[6, 0, []]] is not valid: the lines of a document are '
         'only created (0, 0, values) or updated (1, id, values) here; use the chatter for the '
         'rest.'),
        ('followers removed (AttributeError in Odoo 11)', NOTE, 'write',
         [[note], {'message_follower_ids': [[5]]}], {}, VALIDATION_ERROR,
         'Followers of Patient Note: [[5]] is not valid: the lines of a document are only '
         'created (0, 0, values) or updated (1, id, values) here; use the chatter for the '
         'rest.'),
        ('a follower without its model (NOT NULL)', RX, 'write',
         [[rx], {'message_follower_ids': [[0, 0, {}]]}], {}, VALIDATION_ERROR,
         'Followers of Prescription: [[0, 0, {}]] is not valid: Related Document Model Name of '
         'a new Document Followers: required.'),
        ("a follower of another document, updated through this one", RX, 'write',
         [[rx], {'message_follower_ids': [[1, elsewhere, {}]]}], {}, VALIDATION_ERROR,
         'Followers of Prescription: [[1, %d, {}]] is not valid: (1, id, values) updates a '
         'line of this record only.' % elsewhere),
        ('a float beyond any float (OverflowError)', FILL, 'write',
         [[fill], {'quantity': 10 ** 400}], {}, VALIDATION_ERROR,
         'Quantity of Fill: 1000000000000000000000000000000000000... is not valid: expected a '
         'finite number between -1e+15 and 1e+15.'),
        ('a lone surrogate (UnicodeEncodeError)', NOTE, 'write',
         [[note], {'body': 'a\udfffb'}], {}, VALIDATION_ERROR,
         "Note of Patient Note: 'a\\udfffb' is not valid: expected text."),
        ('non-ASCII digits in a datetime (DataError)', RX, 'write',
         [[rx], {'message_last_post': '2024-01-05 10:00:00.\u0661'}], {}, VALIDATION_ERROR,
         "Last Message Date of Prescription: '2024-01-05 10:00:00.\u0661' is not valid: "
         "expected a real date and time written YYYY-MM-DD HH:MM:SS."),
        ('a default of the wrong type (DataError)', FILL, 'create',
         [{'prescription_id': d.fill_rx, 'quantity': 1, 'days_supply': 1}],
         {'context': {'default_fill_date': '2023-02-29'}}, VALIDATION_ERROR,
         "Fill Date of Fill: '2023-02-29' is not valid: expected a real date written "
         "YYYY-MM-DD."),
        ('the author given as a default (accepted before)', NOTE, 'create', [base_note],
         {'context': {'default_author_id': other_user}}, USER_ERROR,
         'Author of Patient Note cannot be set: the pharmacy computes them. Change the values '
         'they come from instead (e.g. the patient or the prescription).'),
        ('the company given as a default (accepted before)', FILL, 'create',
         [{'prescription_id': d.fill_rx, 'quantity': 1, 'days_supply': 1}],
         {'context': {'default_company_id': 1}}, USER_ERROR,
         'Company of Fill cannot be set: the pharmacy computes them. Change the values they '
         'come from instead (e.g. the patient or the prescription).'),
        ('a pharmacist-only note as a default (an unclear refusal before)', NOTE, 'create',
         [base_note],
         {'context': {'default_visibility': 'pharmacist'}}, ACCESS_ERROR,
         'Only pharmacists may make a note "Pharmacists only". Keep it for all staff, or ask a '
         'pharmacist.'),
        ("a contact's computed age, as a default", PARTNER, 'create',
         [{'name': 'Found contact %s' % d.run}], {'context': {'default_age': 10 ** 400}},
         USER_ERROR, 'Age of Contact cannot be set: the pharmacy computes them. Change the '
                     'values they come from instead (e.g. the patient or the prescription).'),
    ]


def test_what_the_property_found(hostile):
    """Each call is refused with the exact message, whatever a run of the property draws."""
    technician = hostile.clients['technician']
    wrong = []
    for label, model, method, args, kwargs, exception, message in _found_cases(hostile):
        outcome = technician.outcome(model, method, *args, **kwargs)
        if (outcome.ok, getattr(outcome, 'name', None), getattr(outcome, 'message', None)) != (
                False, exception, message):
            wrong.append('%s: %s' % (label, _describe(model, method, args,
                                                      kwargs.get('context'), outcome)))
    assert not wrong, '\n'.join(wrong)


def test_personal_defaults_are_values_too(hostile):
    """A technician's own default (ir.default, which every user may set for themself) for the
    author of a note is refused as the author given in the values is."""
    technician = hostile.clients['technician']
    technician.call('ir.default', 'set', NOTE, 'author_id', hostile.clients['manager'].uid,
                    user_id=True)
    try:
        outcome = technician.outcome(NOTE, 'create', {
            'patient_id': hostile.patients[3], 'body': 'Personal default', 'category': 'service'})
    finally:
        technician.call('ir.default', 'unlink', technician.call('ir.default', 'search', [
            ('user_id', '=', technician.uid), ('field_id.model', '=', NOTE)]))
    assert (outcome.ok, getattr(outcome, 'name', None)) == (False, USER_ERROR), outcome
    assert outcome.message.startswith('Author of Patient Note cannot be set'), outcome.message


def test_the_chatter_still_works(hostile):
    """What Odoo's mail code writes on the lines of a record is still taken: a technician
    subscribes partners (as new followers of the record and of a record already followed) and
    posts a message."""
    technician, rx = hostile.clients['technician'], hostile.targets[RX]
    assert technician.call(RX, 'message_subscribe', [rx], partner_ids=[hostile.maker]) is True
    assert technician.call(RX, 'message_subscribe', [rx], partner_ids=[hostile.prescriber],
                           force=False) is True
    message = technician.call(RX, 'message_post', [rx], body='Chatter %s' % hostile.run,
                              message_type='comment', subtype='mail.mt_note')
    followers = hostile.admin.call('mail.followers', 'search_read', [
        ('res_model', '=', RX), ('res_id', '=', rx)], ['partner_id'])
    assert {hostile.maker, hostile.prescriber} <= {f['partner_id'][0] for f in followers}
    [posted] = hostile.admin.call('mail.message', 'read', [message], ['model', 'res_id'])
    assert (posted['model'], posted['res_id']) == (RX, rx)
