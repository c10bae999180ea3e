# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The checks of raw values in pharmacy_crm/tools/values.py (pytest only, no ORM).

Each check returns the value to store or raises ``InvalidValue`` with the code of what was
expected; nothing else, whatever a JSON-RPC client sends (the property at the end).
"""
import datetime
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ..tools import values
from ..tools.values import InvalidValue

NAN, INF = float('nan'), float('inf')
ARABIC_DATE = '\u0662\u0660\u0662\u0664-\u0660\u0661-\u0660\u0665'      # 2024-01-05
FULLWIDTH_DATE = '\uff12\uff10\uff12\uff14-\uff10\uff11-\uff10\uff15'   # 2024-01-05


def refused(check, value, *args):
    """The code and params of the refusal of ``value``."""
    with pytest.raises(InvalidValue) as caught:
        check(value, *args)
    return caught.value.code, caught.value.params


# --- boolean ---------------------------------------------------------------------------------
@pytest.mark.parametrize('value, expected', [
    (True, True), (False, False), (None, False), (0, False), (1, True)])
def test_check_boolean(value, expected):
    assert values.check_boolean(value) is expected


@pytest.mark.parametrize('value', [2, -1, 'true', '', 1.0, 0.0, [], {}, [True]])
def test_check_boolean_refuses(value):
    assert refused(values.check_boolean, value) == ('boolean', {})


# --- integer ---------------------------------------------------------------------------------
@pytest.mark.parametrize('value, expected', [
    (0, 0), (30, 30), (-1, -1), (2 ** 31 - 1, 2147483647), (-2 ** 31, -2147483648),
    (30.0, 30), (None, None), (False, False)])
def test_check_integer(value, expected):
    result = values.check_integer(value)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize('value', [
    2 ** 31, -2 ** 31 - 1, 2 ** 63, pytest.param(10 ** 400, id='10**400'), 1.5, NAN, INF, -INF,
    1e300, '30', True, [30], {'value': 30}])
def test_check_integer_refuses(value):
    assert refused(values.check_integer, value) == (
        'integer', {'minimum': -2147483648, 'maximum': 2147483647})


# --- float -----------------------------------------------------------------------------------
@pytest.mark.parametrize('value, expected', [
    (1.5, 1.5), (0.0, 0.0), (1e15, 1e15), (-1e15, -1e15), (30, 30), (10 ** 15, 10 ** 15),
    (5e-324, 5e-324), (None, None), (False, False)])
def test_check_float(value, expected):
    result = values.check_float(value)
    assert result == expected and type(result) is type(expected)


def test_check_float_keeps_negative_zero():
    assert math.copysign(1, values.check_float(-0.0)) == -1


@pytest.mark.parametrize('value', [
    NAN, INF, -INF, 1e16, -1e16, 1e308, 10 ** 15 + 1,
    # too large for a float: compared as integers, not converted
    pytest.param(10 ** 400, id='10**400'), pytest.param(-10 ** 400, id='-10**400'),
    True, '1.5', [1.5], {}])
def test_check_float_refuses(value):
    assert refused(values.check_float, value) == ('float', {'limit': 1e15})


# --- date ------------------------------------------------------------------------------------
@pytest.mark.parametrize('value, expected', [
    ('2024-02-29', '2024-02-29'), ('1900-01-01', '1900-01-01'),
    ('2100-12-31', '2100-12-31'), (datetime.date(2024, 1, 5), '2024-01-05'),
    (None, None), (False, False)])
def test_check_date(value, expected):
    assert values.check_date(value) == expected


@pytest.mark.parametrize('value, code', [
    ('2023-02-29', 'date'), ('2026-02-30', 'date'), ('2024-13-01', 'date'),
    ('not a date', 'date'), ('2024-1-5', 'date'), ('20240105', 'date'), (' 2024-01-05', 'date'),
    ('2024-01-05\n', 'date'), ('2024-01-05 10:00:00', 'date'), ('2024-01-05T00:00:00', 'date'),
    (ARABIC_DATE, 'date'), (FULLWIDTH_DATE, 'date'), (20240105, 'date'), (True, 'date'),
    (datetime.datetime(2024, 1, 5), 'date'), (['2024-01-05'], 'date'),
    ('9999-12-31', 'year'), ('0001-01-01', 'year'), ('1899-12-31', 'year'),
    ('2101-01-01', 'year'), (datetime.date(1899, 12, 31), 'year')])
def test_check_date_refuses(value, code):
    assert refused(values.check_date, value)[0] == code


def test_check_date_refusal_says_the_years():
    expected = ('year', {'minimum': 1900, 'maximum': 2100})
    assert refused(values.check_date, '9999-12-31') == expected


# --- datetime --------------------------------------------------------------------------------
@pytest.mark.parametrize('value, expected', [
    ('2024-01-05 10:00:00', '2024-01-05 10:00:00'), ('2024-01-05', '2024-01-05'),
    ('2024-01-05 10:00:00.5', '2024-01-05 10:00:00.5'),
    (datetime.datetime(2024, 1, 5, 10, 0, 0, 123), '2024-01-05 10:00:00'),
    (None, None), (False, False)])
def test_check_datetime(value, expected):
    assert values.check_datetime(value) == expected


@pytest.mark.parametrize('value, code', [
    ('2024-01-05 25:00:00', 'datetime'), ('2024-02-30 10:00:00', 'datetime'),
    ('2024-01-05T10:00:00', 'datetime'), ('2024-01-05 10:00', 'datetime'),
    ('2024-01-05 10:00:00+02', 'datetime'), ('2024-01-05 10:00:00.', 'datetime'),
    ('2024-01-05 10:00:00\n', 'datetime'), ('2024-01-05 10:00:00.\u0661', 'datetime'),
    ('2024-01-05 \u0661\u0660:00:00', 'datetime'), (ARABIC_DATE, 'datetime'),
    (1704448800, 'datetime'), (datetime.date(2024, 1, 5), 'datetime'),
    ('9999-12-31 23:59:59', 'year'), ('0001-01-01 00:00:00', 'year'), ('1899-12-31', 'year')])
def test_check_datetime_refuses(value, code):
    assert refused(values.check_datetime, value)[0] == code


# --- text ------------------------------------------------------------------------------------
@pytest.mark.parametrize('value, size, expected', [
    ('abc', 256, 'abc'), ('xxxxx', 5, 'xxxxx'), ('', 5, ''), (' ', 5, ' '),
    ('\U0001f48a\u05e2\u202e', 3, '\U0001f48a\u05e2\u202e'),   # 3 characters, 9 bytes
    (None, 5, None), (False, 5, False)])
def test_check_text(value, size, expected):
    assert values.check_text(value, size) == expected


@pytest.mark.parametrize('value', [
    '\x00', 'a\x00b', '\ud800', 'a\udfffb', 5, 1.5, True, ['a'], {'en_US': 'a'}])
def test_check_text_refuses_what_postgresql_cannot_store(value):
    assert refused(values.check_text, value, 256) == ('text', {})


def test_check_text_refuses_too_long():
    assert refused(values.check_text, 'x' * 6, 5) == ('size', {'size': 5, 'length': 6})
    assert refused(values.check_text, 'x' * 2 ** 20, 20000) == (
        'size', {'size': 20000, 'length': 1048576})


# --- selection, ids, commands ----------------------------------------------------------------
@pytest.mark.parametrize('value, expected', [('a', 'a'), (None, None), (False, False)])
def test_check_selection(value, expected):
    assert values.check_selection(value, ['a', '2']) == expected


@pytest.mark.parametrize('value', ['c', 'A', 'a ', '', 2, ['a'], {'a': 1}, True])
def test_check_selection_refuses(value):
    assert refused(values.check_selection, value, ['a', '2']) == ('selection', {})


@pytest.mark.parametrize('value, expected', [
    (1, 1), (2 ** 31 - 1, 2147483647), (None, None), (False, False)])
def test_check_record_id(value, expected):
    assert values.check_record_id(value) == expected


@pytest.mark.parametrize('value', [0, -1, 2 ** 31, 2 ** 40, 1.0, '1', True, [1], [1, 'x'],
                                   {'id': 1}])
def test_check_record_id_refuses(value):
    assert refused(values.check_record_id, value) == ('record_id', {})


@pytest.mark.parametrize('value, ids', [
    (None, []), (False, []), ([], []), ([(4, 5)], [5]), ([[6, 0, [1, 2]]], [1, 2]),
    ([(0, 0, {})], []), ([(5,)], []), ([(5, 0, 0)], []), ([(1, 3, {'a': 1})], [3]),
    ([(2, 4), (3, 5)], [4, 5]), ([(4, False)], []), ([(6, 0, [])], []),
    ([(4, 1, 'ignored')], [1])])
def test_check_commands(value, ids):
    assert values.check_commands(value) == ids


@pytest.mark.parametrize('value', [
    'abc', 5, {}, {'4': 1}, True, [5], [[]], [None], [(7, 0)], [(-1, 1)], [(4,)], [(0, 0)],
    [(0, 0, 'x')], [(1, 3, [])], [(6, 0, 'x')], [(6, 0, [0])], [(6, 0, [[1]])],
    [(6, 0, [1, 'x'])], [(4, 'x')], [(4, -1)], [(4, 2 ** 31)], [('4', 1)], [(4.0, 1)],
    [(True, 1)], [(4, 1), 'x']])
def test_check_commands_refuses(value):
    assert refused(values.check_commands, value)[0] in ('commands', 'record_id')


def test_check_commands_refuses_with_its_code():
    assert refused(values.check_commands, [(7, 0)]) == ('commands', {})
    assert refused(values.check_commands, [(4, 'x')]) == ('record_id', {})


@pytest.mark.parametrize('value, expected', [
    (5, '5'), ('abc', "'abc'"), ('\x00', "'\\x00'"), (None, 'None'),
    ('x' * 100, "'" + 'x' * 36 + '...'), ([1, 2], '[1, 2]')])
def test_shorten(value, expected):
    assert values.shorten(value) == expected


# --- the property: a value or InvalidValue, nothing else -------------------------------------
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
              st.integers(min_value=2 ** 1024), st.integers(max_value=-2 ** 1024), st.text(),
              st.sampled_from([
                  '\ud800', '2024-02-30', '9999-12-31', ARABIC_DATE, '2024-01-05 10:00:00'])),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=5), children, max_size=3)),
    max_leaves=8)

CODES = {None, 'boolean', 'integer', 'float', 'date', 'datetime', 'year', 'text', 'size',
         'selection', 'record_id', 'commands'}
CHECKS = [values.check_boolean, values.check_integer, values.check_float, values.check_date,
          values.check_datetime, values.check_record_id, values.check_commands,
          lambda value: values.check_text(value, 256),
          lambda value: values.check_selection(value, ['a', 'b'])]


@settings(max_examples=300, derandomize=True)
@given(json_values)
def test_any_json_value_is_checked_or_refused(value):
    for check in CHECKS:
        try:
            check(value)
            code = None
        except InvalidValue as err:
            code = err.code
        assert code in CODES


@settings(max_examples=300, derandomize=True)
@given(st.one_of(st.text(), st.lists(st.sampled_from(
    ['a', ' ', '\x00', '\ud800', '\udfff', '\U0001f48a', '\u202e'])).map(''.join)))
def test_accepted_text_is_storable(text):
    """What check_text accepts, PostgreSQL stores: UTF-8 without NUL."""
    try:
        values.check_text(text, 256)
    except InvalidValue:
        return
    assert '\x00' not in text
    text.encode('utf-8')


@settings(max_examples=300, derandomize=True)
@given(st.one_of(st.dates().map(datetime.date.isoformat),
                 st.from_regex(r'\A\d{4}-\d{2}-\d{2}\Z')))
def test_accepted_dates_are_real_and_in_range(text):
    """check_date accepts exactly the ASCII ISO dates of real days from 1900 to 2100."""
    try:
        day = datetime.datetime.strptime(text, '%Y-%m-%d').date()
        real = text.isascii() and 1900 <= day.year <= 2100
    except ValueError:
        real = False
    try:
        accepted = values.check_date(text) == text
    except InvalidValue:
        accepted = False
    assert accepted == real
