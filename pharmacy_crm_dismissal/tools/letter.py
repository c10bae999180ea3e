# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Pure helpers of the dismissal letter (no ORM): how an address, a date and a text are
written on paper."""
from babel.core import UnknownLocaleError
from babel.dates import format_date as babel_format_date

# countries whose paper is US Letter (8.5 x 11 in); elsewhere A4
LETTER_COUNTRIES = frozenset(('US', 'CA', 'MX', 'PR', 'PH', 'CL', 'CO', 'CR', 'DO', 'GT',
                              'PA', 'SV', 'VE'))


def address_lines(street=None, street2=None, city=None, state_code=None, zip_code=None,
                  country=None):
    """The lines of a postal address as the US Postal Service writes them: street, street 2,
    then "City, ST 12345" (the comma only between a city and what follows, single spaces),
    then the country when given (only for mail abroad). Empty parts leave no stray comma or
    blank line: "PA 17844", never "PA, 17844 ,".

    >>> address_lines('12 Main St', None, 'Lewisburg', 'PA', '17837')
    ['12 Main St', 'Lewisburg, PA 17837']
    """
    def clean(value):
        return ' '.join((value or '').split())
    region = ' '.join(filter(None, [clean(state_code), clean(zip_code)]))
    last = ', '.join(filter(None, [clean(city), region]))
    return [line for line in (clean(street), clean(street2), last, clean(country)) if line]


def long_date(value, lang):
    """A date written out in the reader's language (babel's "long" format of the locale of
    the Odoo language code ``lang``): "December 4, 2026" in en_US, "4 de diciembre de 2026"
    in es_ES. A letter is read by the patient: no numeric date that a reader abroad could
    read day-first or month-first. ``value`` is a ``datetime.date``."""
    try:
        return babel_format_date(value, format='long', locale=lang or 'en_US')
    except (ValueError, LookupError, UnknownLocaleError):   # an unknown locale: US English
        return babel_format_date(value, format='long', locale='en_US')


def paragraphs(text):
    """The paragraphs of a text typed in a form: split on blank lines, each paragraph's lines
    joined by a space (a line typed in a text box is not a line on paper), empty ones
    dropped."""
    result, current = [], []
    for line in (text or '').splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            result.append(' '.join(current))
            current = []
    if current:
        result.append(' '.join(current))
    return result
