"""Hostile values over JSON-RPC, property-based (issue #7, "Done when").

A pharmacy technician, logged in over ``/jsonrpc`` on the served test instance, creates and
writes random and hostile values into the fields of every pharmacy model (1 to 3 fields per
call, drawn from ``fields_get``, a type first so that every type is tried as often; for
``res.partner``, the pharmacy's fields), and, for the models a technician may not change (the
catalog, dismissals), a manager does too. The models are found in the registry
(``pharmacy_models``): every model a pharmacy addon defines or that inherits
``pharmacy.validation.mixin``, so that a new one is probed without editing this file; the
values a create starts from are derived from the required fields or taken from
``pharmacy_models.RECIPES`` (``test_every_pharmacy_model_gets_a_record`` fails for a model
that has neither). Values:
strings huge, empty, blank, with NUL, lone surrogates or any unicode; integers at and beyond
PostgreSQL's ``integer``, beyond any float; floats nan, inf, 1e308, -0.0; dates impossible, in the
years 1 and 9999, with non-ASCII digits; datetimes; unknown selection keys; many2one ``'abc'``,
``[1, 2]``, 0, -1, 2**40, ids of records of another model; malformed x2many commands; ``None``,
``True``, dicts everywhere; values that are not a mapping, unknown field names, and hostile
``default_<field>`` keys in the context of a create. Each answer must be:

- a result, or an error whose ``data.name`` is ``odoo.exceptions.ValidationError``,
  ``UserError`` or ``AccessError``: never another exception (an internal error);
- a refusal, whatever the values, when the access rights do not let the user create or write
  the model (views, logs, the catalog for a technician);
- a refusal when a value is certainly invalid (the oracle ``_certainly_invalid`` states the
  documented contract: types, integer range, finite floats up to 1e15, real dates written
  YYYY-MM-DD between 1900 and 2100, text without NUL and within its size, known selection keys,
  positive ids of existing records, well-formed commands), when a field is unknown (except on
  ``res.partner``, where Odoo drops it with its warning, as without the pharmacy), or when a
  field is the server's (computed, related or read-only); and then its message names one of the
  fields given a drawn value (its label, or the unknown name);
- never Odoo's catch-all "The operation cannot be completed" nor a traceback as the message;
- no partial record: the number of records (all of them, read as admin) is the same before and
  after a refused create and one more after an accepted one; the written record reads the same
  before and after a refused write; and what an accepted call wrote reads back as given.

What the property found is kept as exact cases at the end (``test_what_the_property_found``).

Deterministic (``derandomize=True``, no shrinking) and bounded: 24 examples per property
(``HOSTILE_EXAMPLES`` explores further); the data is created once per module with names unique
to the run, so the module can run again on the same database. About 50 s on the 2-core
development machine (24 models and roles), starting the server included.
"""
import copy
import itertools
import json
import math
import os
import re
import uuid
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, Phase, event, given, seed, settings
from hypothesis import strategies as st

import pharmacy_models
from pharmacy_models import PARTNER, RECIPES, RecordMaker, discovered
from rpc_users import (ACCESS_ERROR, USER_ERROR, VALIDATION_ERROR, JsonRpc, create_user,
                       xmlid_to_id)
from conftest import pharmacy_today

RX = 'pharmacy.patient.medication'
FILL = 'pharmacy.fill'
NOTE = 'pharmacy.patient.note'
TECHNICIAN = 'pharmacy_crm.group_pharmacy_technician'
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
# res.partner: the fields the pharmacy's addons declare (found in the registry), and the
# birthdate of OCA's partner_contact_birthdate, which the pharmacy validates
PARTNER_EXTRA = ('birthdate_date',)

# examples per model and method (22 properties); HOSTILE_EXAMPLES=500 explores further, and
# HOSTILE_SEED=<n> draws other examples than the fixed ones of a normal run
EXAMPLES = int(os.environ.get('HOSTILE_EXAMPLES', 24))
SEED = os.environ.get('HOSTILE_SEED')


# --- what is probed: found in the registry ----------------------------------------------------
def role_groups(description, role):
    """The staff groups a user of ``role`` holds (the manager's imply the others)."""
    return {TECHNICIAN} if role == 'technician' else set(description['staff_groups'])


def may(description, model, role, operation):
    """Whether the access rights let ``role`` do ``operation`` on ``model`` (a contact:
    yes)."""
    return model == PARTNER or operation in pharmacy_models.rights(
        description, model, role_groups(description, role))


def roles_of(description):
    """(model, role): a technician on every pharmacy model and the contacts; a manager too on
    the models a technician may not create or write and a manager may, when the tests create
    records of them (not a queued import)."""
    pairs = [(model, 'technician')
             for model in pharmacy_models.pharmacy_models(description) + [PARTNER]]
    for model in pharmacy_models.pharmacy_models(description):
        if RECIPES.get(model, True) is None:
            continue
        if any(not may(description, model, 'technician', operation) and
               may(description, model, 'manager', operation)
               for operation in ('create', 'write')):
            pairs.append((model, 'manager'))
    return sorted(pairs)


def default_models(description):
    """The models a technician creates records of: hostile defaults in the context."""
    return [PARTNER] + [model for model in pharmacy_models.pharmacy_models(description)
                        if may(description, model, 'technician', 'create')
                        and RECIPES.get(model, True) is not None]


def pytest_generate_tests(metafunc):
    description = discovered(metafunc.config)
    if description is None:
        return
    if {'model', 'role'} <= set(metafunc.fixturenames):
        pairs = roles_of(description)
        # the properties of create and write: the calls a role may make get the examples; a
        # refused right, which does not depend on the values, gets a few (test_refused_*)
        name = metafunc.function.__name__
        operation = name.rsplit('_', 1)[-1]
        if name.startswith(('test_hostile_', 'test_refused_')) and operation in (
                'create', 'write'):
            allowed = name.startswith('test_hostile_')
            pairs = [(model, role) for model, role in pairs
                     if may(description, model, role, operation) == allowed]
        metafunc.parametrize('model, role', pairs,
                             ids=['%s-%s' % pair for pair in pairs])
    elif 'model' in metafunc.fixturenames:
        metafunc.parametrize('model', default_models(description))


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
def hostile(request, odoo_server, db_name, admin_rpc):
    """Staff logged in over JSON-RPC, a record of each model to write on, the valid values a
    create starts from, and the fields of each model as each user sees them."""
    description = discovered(request.config)
    run = uuid.uuid4().hex[:8]
    d = Data(run=run, counter=itertools.count(1), description=description)
    d.today = pharmacy_today()
    company = xmlid_to_id(admin_rpc, 'base.main_company')
    d.make = RecordMaker(admin_rpc, description, run, d.today)
    d.patients = d.make.patients()
    d.maker = d.make.partner('manufacturer')
    d.prescriber = d.make.partner('prescriber')
    d.clients = {}
    for role in ('technician', 'manager'):
        login = 'hostile_%s_%s' % (role, run)
        create_user(admin_rpc, role, login, company)
        d.clients[role] = HostileRpc(odoo_server, db_name, login, login)
    d.admin = HostileRpc(odoo_server, db_name, 'admin', 'admin')

    # the records written on, one per model (none of them used by the creates): made by
    # admin, or any record of a model nobody creates (its writes are refused anyway)
    d.targets, d.unmade = {PARTNER: d.make.create(PARTNER, dict(
        pharmacy_models.PATIENT_PROFILE, name='Hostile Written %s' % run, is_patient=True))}, {}
    creatable = pharmacy_models.creatable(description)
    for model in pharmacy_models.pharmacy_models(description):
        if model in creatable and RECIPES.get(model, True) is not None:
            try:
                d.targets[model] = d.make.make(model)
            except Exception as err:    # reported by test_every_pharmacy_model_gets_a_record
                d.unmade[model] = str(err)[-500:]
        else:
            d.targets[model] = d.make.any_record(model) or MISSING_IDS[0]
    d.fill_rx = d.make.prescription(d.patients[0])

    # fields as each user sees them (admin's for a model the user may not read)
    attributes = ['type', 'string', 'required', 'readonly', 'store', 'related', 'selection',
                  'relation', 'size']
    d.fields = {}
    for model, role in roles_of(description):
        client = d.clients[role] if may(description, model, role, 'read') else d.admin
        d.fields[model, role] = client.call(model, 'fields_get', attributes=attributes)
    pharmacy_fields = set(pharmacy_models.added_partner_fields(description)) | set(
        PARTNER_EXTRA)
    d.fields[PARTNER, 'technician'] = {
        name: desc for name, desc in d.fields[PARTNER, 'technician'].items()
        if name in pharmacy_fields}
    assert {'allergies', 'npi', 'patient_state', 'prescription_ids', 'next_due_date'} <= set(
        d.fields[PARTNER, 'technician']), 'the pharmacy fields of a contact were not found'

    # ids to draw many2one and x2many values from: a few records of each related model
    comodels = {desc['relation'] for fields in d.fields.values() for desc in fields.values()
                if desc.get('relation')}
    d.ids = {comodel: admin_rpc(comodel, 'search', [], limit=3, order='id desc',
                                context={'active_test': False}) for comodel in comodels}
    d.ids[PARTNER] = d.ids[PARTNER] + [d.maker, d.prescriber, d.patients[1]]
    d.any_ids = sorted({i for ids in d.ids.values() for i in ids} | {1})
    return d


def _base_vals(d, model):
    """Valid values for a new record of ``model`` (see ``RecordMaker``); {} for a model the
    tests create no record of."""
    if model == PARTNER:
        return {'name': 'Hostile Contact %s %d' % (d.run, next(d.counter))}
    if model not in pharmacy_models.creatable(d.description) or RECIPES.get(model, True) is None:
        return {}
    return d.make.vals(model)


def test_every_pharmacy_model_gets_a_record(hostile):
    """A pharmacy model that some group may create has a recipe or values derived from its
    required fields, and a record was made with them (else it would go untested)."""
    assert not hostile.unmade, '\n'.join('%s: %s' % item for item in hostile.unmade.items())
    creatable = set(pharmacy_models.creatable(hostile.description))
    skipped = {model for model, recipe in RECIPES.items() if recipe is None}
    assert creatable - skipped <= set(hostile.targets)
    assert {RX, FILL, NOTE, 'pharmacy.incident', 'pharmacy.sync.enrollment'} <= set(
        hostile.targets), 'the discovery missed pharmacy models'


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


def _expectations(desc_of, vals, drawn, model=None):
    """(certainly refused, names that a refusal must mention one of): a refusal names one of
    the fields given a drawn value (the others are valid), by its label, or the unknown name.
    An unknown name is refused by the pharmacy's models, dropped by a contact (as Odoo
    does)."""
    if not isinstance(vals, dict):
        return True, ['mapping']
    must_refuse = False
    for name, value in drawn.items():
        desc = desc_of.get(name)
        if desc is None:
            must_refuse = must_refuse or model != PARTNER
            continue
        must_refuse = must_refuse or _certainly_invalid(desc, value) or (
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
        assert not outcome.ok, 'the access rights do not allow this: ' + label
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
    return d.fields[model, role]


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


REFUSED_EXAMPLES = 3
_REFUSED_SETTINGS = settings(_SETTINGS, max_examples=min(EXAMPLES, REFUSED_EXAMPLES))


def refused_settings(test):
    """A role refused an operation by the access rights: the refusal does not depend on the
    values, a few examples show it (and that nothing is left behind)."""
    return seed(int(SEED))(_REFUSED_SETTINGS(test)) if SEED else _REFUSED_SETTINGS(test)


# --- the properties (model and role: pytest_generate_tests) -----------------------------------
@property_settings
@given(data=st.data())
def test_hostile_create(hostile, state, model, role, data):
    _create_property(hostile, state, model, role, data)


@refused_settings
@given(data=st.data())
def test_refused_create(hostile, state, model, role, data):
    _create_property(hostile, state, model, role, data)


def _create_property(d, state, model, role, data):
    fields = _fields(d, model, role)
    vals, drawn = _draw_vals(data, d, fields, _base_vals(d, model))
    must_refuse, names = _expectations(fields, vals, drawn, model)
    count = state.count(model)
    state.forget()
    outcome = d.clients[role].outcome(model, 'create', vals)
    after = state.count(model)
    label = _describe(model, 'create', [vals], None, outcome)
    _check_answer(label, outcome, must_refuse, names,
                  refused_anyway=not may(d.description, model, role, 'create'))
    if not outcome.ok:
        assert after == count, 'a refused create left a record: ' + label
        return
    assert type(outcome.result) is int and after == count + 1, 'created what? ' + label
    _check_stored(d, fields, model, outcome.result, vals, label)


@property_settings
@given(data=st.data())
def test_hostile_write(hostile, state, model, role, data):
    _write_property(hostile, state, model, role, data)


@refused_settings
@given(data=st.data())
def test_refused_write(hostile, state, model, role, data):
    _write_property(hostile, state, model, role, data)


def _write_property(d, state, model, role, data):
    fields = _fields(d, model, role)
    target = d.targets[model]
    vals, drawn = _draw_vals(data, d, fields, {})
    must_refuse, names = _expectations(fields, vals, drawn, model)
    # the fields compared: not those computed for the reader
    readable = sorted(name for name, desc in fields.items()
                      if desc.get('store', True) or model == PARTNER)
    before = state.record(model, target, readable)
    state.forget()
    outcome = d.clients[role].outcome(model, 'write', [target], vals)
    after = state.record(model, target, readable)
    label = _describe(model, 'write', [[target], vals], None, outcome)
    _check_answer(label, outcome, must_refuse, names,
                  refused_anyway=not may(d.description, model, role, 'write'))
    if not outcome.ok:
        assert after == before, 'a refused write changed the record: %s\nbefore %s\nafter %s' % (
            label, before, after)
        return
    assert outcome.result is True, label
    _check_stored(d, fields, model, target, vals, label)


@property_settings
@given(data=st.data())
def test_hostile_defaults_in_context(hostile, state, model, data):
    """``default_<field>`` in the context of a create are values too: checked as such, and a
    field of the server's is not set through them."""
    d = hostile
    fields = d.fields[model, 'technician']
    base = _base_vals(d, model)
    candidates = sorted(name for name in fields if name not in base and name not in MAGIC)
    defaults = {}
    for name in data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=2,
                                   unique=True), label='defaults'):
        defaults[name] = data.draw(_values(d, fields[name]), label=name)
    context = {'default_' + name: value for name, value in defaults.items()}
    must_refuse, names = _expectations(fields, base, defaults, model)
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


# --- a new pharmacy model is probed without editing this file ---------------------------------
def _field(kind, relation=None, required=False, selection=(), default=False):
    return {'type': kind, 'relation': relation, 'store': True, 'required': required,
            'readonly': False, 'computed': False, 'searchable': True, 'groups': [],
            'domain': [], 'default': default, 'selection': list(selection),
            'modules': ['pharmacy_crm_new']}


def _with_new_model(description, **fields):
    """``description`` and a model of a new addon that technicians read, write and create."""
    new = copy.deepcopy(description)
    new['addons'] = sorted(new['addons'] + ['pharmacy_crm_new'])
    new['models']['pharmacy.new.record'] = {
        'module': 'pharmacy_crm_new', 'transient': False, 'view': False, 'phi': True,
        'validated': True, 'fields': fields, 'rules': [],
        'access': [{'group': TECHNICIAN, 'read': True, 'write': True, 'create': True,
                    'unlink': False}]}
    return new


def test_a_new_pharmacy_model_is_probed(request):
    """Its create, write and defaults are probed by a technician, with values derived from
    its required fields (the pool's patient, text, a selection's first key, today, a new
    record of a pharmacy model)."""
    description = _with_new_model(
        discovered(request.config),
        patient_id=_field('many2one', PARTNER, required=True),
        rx_id=_field('many2one', RX, required=True),
        summary=_field('char', required=True),
        kind=_field('selection', required=True, selection=['b', 'a']),
        day=_field('date', required=True),
        state=_field('selection', required=True, selection=['x'], default=True),
        amount=_field('float'))
    assert ('pharmacy.new.record', 'technician') in roles_of(description)
    assert ('pharmacy.new.record', 'manager') not in roles_of(description)
    assert 'pharmacy.new.record' in default_models(description)
    made = []

    def call(model, method, *args, **kwargs):
        made.append((model, method))
        return len(made)
    maker = RecordMaker(call, description, 'run', date(2026, 1, 5), 'TOKEN')
    vals = maker.generic_vals('pharmacy.new.record', n=3)
    # 10 patients of the pool made first (the fourth has id 4), then a medication and the
    # prescription (its recipe) that rx_id relates to
    assert vals == {'patient_id': 4, 'rx_id': vals['rx_id'], 'summary': vals['summary'],
                    'kind': 'b', 'day': '2026-01-05'}
    assert made[:10] == [(PARTNER, 'create')] * 10 and made[-1] == (RX, 'create')
    assert vals['rx_id'] == len(made)
    assert vals['summary'].startswith('Made summary run ') and vals['summary'].endswith(
        ' TOKEN')


def test_a_new_model_that_needs_a_recipe_fails(request):
    """A required field no value can be derived for (here a file) asks for a recipe: the
    model's record is not made and test_every_pharmacy_model_gets_a_record fails."""
    description = _with_new_model(discovered(request.config),
                                  file=_field('binary', required=True))
    maker = RecordMaker(lambda *args, **kwargs: 1, description, 'run', date(2026, 1, 5))
    with pytest.raises(ValueError, match=r'pharmacy\.new\.record\.file \(binary\): no value '
                                         r'can be derived; add a recipe to RECIPES'):
        maker.make('pharmacy.new.record')


# --- state fields and actions (#18) -----------------------------------------------------------
def _state_targets(d):
    """(model, record id, state field, {action: transition}) of every pharmacy model that
    declares a state field and has a record here (found in the registry)."""
    targets = []
    for model, desc in sorted(d.description['models'].items()):
        record = d.targets.get(model)
        if not desc['states'] or not isinstance(record, int) or record in MISSING_IDS:
            continue
        for name, actions in sorted(desc['states'].items()):
            targets.append((model, record, name, actions))
    return targets


def test_every_state_field_is_declared(hostile):
    """The state fields of the issue, each declared with its actions (a new one is found)."""
    states = {model: set(desc['states']) for model, desc in hostile.description['models'].items()
              if desc['states']}
    expected = {PARTNER: {'patient_state'}, RX: {'state'}, FILL: {'state'},
                'pharmacy.sync.enrollment': {'state'}, 'pharmacy.sync.appointment': {'state'},
                'pharmacy.dismissal': {'state'}, 'pharmacy.import.log': {'state'}}
    for model, names in expected.items():
        if model in hostile.description['models']:
            assert names <= states.get(model, set()), model
    # every selection named "state" of a pharmacy model is declared, or is a patient's answer
    # (consent) or a read-only report
    for model, desc in hostile.description['models'].items():
        if 'state' in desc['fields'] and desc['fields']['state']['type'] == 'selection' and (
                not desc['view'] and not desc['transient'] and model != 'pharmacy.consent'):
            assert 'state' in desc['states'], '%s.state has no declared actions' % model


@pytest.fixture(scope='module')
def state_clients(hostile, odoo_server, db_name, admin_rpc):
    """A user of each role over JSON-RPC (the other company's technician in a company B)."""
    from rpc_users import ROLES, OTHER_COMPANY
    company_a = xmlid_to_id(admin_rpc, 'base.main_company')
    company_b = admin_rpc('res.company', 'create', {'name': 'States B %s' % hostile.run})
    clients = {}
    for role in ROLES:
        login = 'states_%s_%s' % (role, hostile.run)
        create_user(admin_rpc, role, login,
                    company_b if role in OTHER_COMPANY else company_a)
        clients[role] = HostileRpc(odoo_server, db_name, login, login)
    return clients


def test_direct_state_writes_are_refused_for_every_role(hostile, state_clients, admin_rpc):
    """Each role writes each state field of each pharmacy model to a state an action leads to:
    refused (staff: a UserError naming the action to use; the others: no access), and the
    record reads the same afterwards."""
    from rpc_users import ROLES, STAFF
    targets = _state_targets(hostile)
    assert {model for model, *_rest in targets} >= {PARTNER, RX, FILL}
    for model, record, name, actions in targets:
        [before] = admin_rpc(model, 'read', [record], [name, 'write_date'])
        wanted = sorted({target for _sources, target, _owner in actions.values()
                         if target != before[name]})
        for role in ROLES:
            for value in wanted:
                outcome = state_clients[role].outcome(model, 'write', [record], {name: value})
                assert not outcome.ok, (model, name, value, role)
                assert outcome.name in (USER_ERROR, ACCESS_ERROR), (model, role, outcome)
                if role in STAFF and outcome.name == USER_ERROR and model != \
                        'pharmacy.import.log':
                    assert 'changes only through its actions' in outcome.message, outcome
        [after] = admin_rpc(model, 'read', [record], [name, 'write_date'])
        assert after == before, (model, name)


def test_every_action_answers_over_xmlrpc(hostile, odoo_server, db_name, admin_rpc):
    """Every ``action_*`` method and ``type="object"`` button of every pharmacy model (found
    in the registry and the addons' views), called over XML-RPC by a manager on a record of
    its model: a value (True or an action), or a refusal the user can read; never "cannot
    marshal None" (an answer of None), never an internal error (but "Expected singleton"
    from a wizard whose values its form gives, called on none)."""
    import xmlrpc.client
    login = 'states_xmlrpc_%s' % hostile.run
    create_user(admin_rpc, 'manager', login, xmlid_to_id(admin_rpc, 'base.main_company'))
    uid = xmlrpc.client.ServerProxy(odoo_server + '/xmlrpc/2/common').authenticate(
        db_name, login, login, {})
    proxy = xmlrpc.client.ServerProxy(odoo_server + '/xmlrpc/2/object')
    # Odoo 11's fault codes: 2 a UserError (ValidationError, MissingError, ...), 3 and 4
    # access refused; 1 an internal error, "cannot marshal None" included (a traceback)
    readable = (2, 3, 4)
    called, failures = 0, []
    for model, desc in sorted(hostile.description['models'].items()):
        if desc['view'] or not desc['actions']:
            continue
        record = hostile.targets.get(model)
        if not isinstance(record, int) or record in MISSING_IDS:
            record = None
        if desc['transient']:   # a wizard: one made with its defaults, when they suffice
            try:
                record = proxy.execute_kw(db_name, uid, login, model, 'create', [{}])
            except xmlrpc.client.Fault:
                record = None
        for method in desc['actions']:
            if method in ('execute', 'cancel'):   # Odoo's settings buttons
                continue
            called += 1
            try:
                result = proxy.execute_kw(db_name, uid, login, model, method,
                                          [[record] if record else []])
            except xmlrpc.client.Fault as fault:
                text = fault.faultString or ''
                # a wizard that needs its form's values, called on no record
                singleton = desc['transient'] and not record and 'Expected singleton' in text
                # Odoo 11 sends a ValidationError over XML-RPC as a traceback (code 1)
                invalid = 'odoo.exceptions.ValidationError: ' in text
                if fault.faultCode not in readable and not (singleton or invalid):
                    failures.append('%s.%s: %s' % (model, method,
                                                   (fault.faultString or '').strip()[-300:]))
                continue
            if not (result is True or isinstance(result, dict)):
                failures.append('%s.%s answered %r' % (model, method, result))
    assert called >= 30, called
    assert not failures, '\n'.join(failures)
