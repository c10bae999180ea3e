"""Checks of the raw values a client gives to ``create`` and ``write``, by field type.

Each ``check_*`` returns the value to store (unchanged, or normalised: a ``date`` object
becomes its ISO string) or raises :class:`InvalidValue`, whose ``code`` says what was
expected; the ORM layer turns it into a translated message naming the field. ``False`` and
``None`` mean "empty" for every type, as in Odoo.
"""
import datetime
import math
import re

INTEGER_MIN, INTEGER_MAX = -2 ** 31, 2 ** 31 - 1     # PostgreSQL ``integer``
FLOAT_LIMIT = 1e15                                   # exact to the cent in a float8
YEAR_MIN, YEAR_MAX = 1900, 2100
CHAR_SIZE = 256                                      # default length of a Char
TEXT_SIZE = 20000                                    # a note, directions, allergies
# ASCII digits only: Python's ``\d`` and ``strptime`` also read Arabic-Indic or fullwidth
# digits, which PostgreSQL does not
_DATE = re.compile(r'\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z')
_DATETIME = re.compile(
    r'\A[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?)?\Z')
_SURROGATE = re.compile(r'[\ud800-\udfff]')   # half of a UTF-16 pair: not encodable in UTF-8


class InvalidValue(ValueError):
    """A value that does not fit its field: ``code`` names the expectation, ``params`` the
    numbers that complete the message (a size, a range)."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def _empty(value):
    return value is None or value is False


def check_boolean(value):
    if _empty(value) or value is True or (type(value) is int and value in (0, 1)):
        return bool(value)
    raise InvalidValue('boolean')


def check_integer(value):
    """A whole number that fits PostgreSQL's ``integer``; 30.0 counts as 30."""
    if _empty(value):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if type(value) is not int or not INTEGER_MIN <= value <= INTEGER_MAX:
        raise InvalidValue('integer', minimum=INTEGER_MIN, maximum=INTEGER_MAX)
    return value


def check_float(value):
    """A finite number of magnitude at most ``FLOAT_LIMIT`` (an integer too large for a float
    included: it is compared as an integer)."""
    if _empty(value):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(value, float) and not math.isfinite(value)) or abs(value) > FLOAT_LIMIT:
        raise InvalidValue('float', limit=FLOAT_LIMIT)
    return value


def _check_year(day):
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise InvalidValue('year', minimum=YEAR_MIN, maximum=YEAR_MAX)


def check_date(value):
    """A real calendar date ``YYYY-MM-DD`` between ``YEAR_MIN`` and ``YEAR_MAX``."""
    if _empty(value):
        return value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        _check_year(value)
        return value.isoformat()
    if not isinstance(value, str) or not _DATE.match(value):
        raise InvalidValue('date')
    try:
        day = datetime.datetime.strptime(value, '%Y-%m-%d').date()
    except ValueError:
        raise InvalidValue('date') from None
    _check_year(day)
    return value


def check_datetime(value):
    """``YYYY-MM-DD HH:MM:SS`` (or a date alone) between ``YEAR_MIN`` and ``YEAR_MAX``."""
    if _empty(value):
        return value
    if isinstance(value, datetime.datetime):
        _check_year(value)
        return value.strftime('%Y-%m-%d %H:%M:%S')
    if not isinstance(value, str) or not _DATETIME.match(value):
        raise InvalidValue('datetime')
    try:
        moment = datetime.datetime.strptime(value[:19], '%Y-%m-%d %H:%M:%S' if len(value) > 10
                                            else '%Y-%m-%d')
    except ValueError:
        raise InvalidValue('datetime') from None
    _check_year(moment)
    return value


def check_text(value, size):
    """A string of at most ``size`` characters that PostgreSQL stores: no NUL, and no lone
    surrogate (half of a UTF-16 pair, which JSON can carry and UTF-8 cannot encode)."""
    if _empty(value):
        return value
    if not isinstance(value, str) or '\x00' in value or _SURROGATE.search(value):
        raise InvalidValue('text')
    if len(value) > size:
        raise InvalidValue('size', size=size, length=len(value))
    return value


def check_selection(value, keys):
    if _empty(value):
        return value
    if not isinstance(value, str) or value not in keys:
        raise InvalidValue('selection')
    return value


def check_record_id(value):
    """A database id: a positive whole number."""
    if _empty(value):
        return value
    if type(value) is not int or not 0 < value <= INTEGER_MAX:
        raise InvalidValue('record_id')
    return value


_COMMAND_SIZES = {0: 3, 1: 3, 2: 2, 3: 2, 4: 2, 5: 1, 6: 3}


def check_commands(value):
    """Odoo's x2many commands: a list of (0, 0, values), (1, id, values), (2, id), (3, id),
    (4, id), (5,) or (6, 0, ids). Returns the ids the commands name, to be checked."""
    if _empty(value):
        return []
    if not isinstance(value, (list, tuple)):
        raise InvalidValue('commands')
    ids = []
    for command in value:
        if not isinstance(command, (list, tuple)) or not command or (
                type(command[0]) is not int or command[0] not in _COMMAND_SIZES or
                len(command) < _COMMAND_SIZES[command[0]]):
            raise InvalidValue('commands')
        code = command[0]
        if code in (0, 1) and not isinstance(command[2], dict):
            raise InvalidValue('commands')
        if code in (1, 2, 3, 4):
            ids.append(check_record_id(command[1]))
        if code == 6:
            if not isinstance(command[2], (list, tuple)):
                raise InvalidValue('commands')
            ids.extend(check_record_id(i) for i in command[2])
    return [i for i in ids if i]


def shorten(value, size=40):
    """``repr`` of a value cut to ``size`` characters, for messages."""
    text = repr(value)
    return text if len(text) <= size else text[:size - 3] + '...'
