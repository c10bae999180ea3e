"""Prescriber identifiers: NPI (National Provider Identifier) and DEA registration numbers."""
import re

from stdnum import luhn

_DEA = re.compile(r'^([A-Z])([A-Z9])([0-9]{7})$')


def is_valid_npi(npi):
    """True when ``npi`` is 10 digits whose Luhn check holds over ``'80840' + npi``.

    80840 is the prefix of the NPI in the ISO health-card numbering; the last digit of the NPI
    is the Luhn check digit of the 15-digit number.
    """
    npi = (npi or '').strip()
    return bool(re.fullmatch(r'[0-9]{10}', npi)) and luhn.is_valid('80840' + npi)


def dea_check_digit(digits):
    """Check digit of a DEA number's first six digits d1..d6.

    The last digit of (d1 + d3 + d5) + 2 * (d2 + d4 + d6).
    """
    d = [int(c) for c in digits[:6]]
    return ((d[0] + d[2] + d[4]) + 2 * (d[1] + d[3] + d[5])) % 10


def is_valid_dea(dea, last_name=None):
    """True when ``dea`` is 2 letters and 7 digits whose seventh digit is the check digit.

    When ``last_name`` is given, the second letter must be its initial; '9' is also accepted
    there (registrants whose name starts with a digit, e.g. a business).
    """
    match = _DEA.match((dea or '').strip().upper())
    if not match:
        return False
    _kind, initial, digits = match.groups()
    if dea_check_digit(digits) != int(digits[6]):
        return False
    if last_name and initial != '9':
        return initial == last_name.strip()[:1].upper()
    return True
