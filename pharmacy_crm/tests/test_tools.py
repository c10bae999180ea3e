# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The pure formulas of pharmacy_crm/tools, with values computed by hand (pytest only)."""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from ..tools import (is_valid_dea, is_valid_npi, next_due_date, normalize_ndc,
                     prescription_expiry_date, refill_eligible_date)
from ..tools.identifiers import dea_check_digit


# --- NDC ------------------------------------------------------------------------------------
@pytest.mark.parametrize('code, expected', [
    ('0574-4072-05', '00574-4072-05'),    # 4-4-2: pad the labeler
    ('12345-678-90', '12345-0678-90'),    # 5-3-2: pad the product
    ('12345-6789-1', '12345-6789-01'),    # 5-4-1: pad the package
    ('12345-6789-01', '12345-6789-01'),   # already 5-4-2
    ('12345678901', '12345-6789-01'),     # 11 digits without hyphens
    (' 0071-0156-23 ', '00071-0156-23'),  # surrounding spaces
])
def test_normalize_ndc(code, expected):
    assert normalize_ndc(code) == expected


@pytest.mark.parametrize('code', [
    '0574407205',       # 10 digits without hyphens: where does the zero go?
])
def test_normalize_ndc_refuses_ambiguous(code):
    with pytest.raises(ValueError, match='ambiguous'):
        normalize_ndc(code)


@pytest.mark.parametrize('code', [
    '', None, '1234-567-89', '123-4567-89', '12345-67890-1', '1234-5678-901',
    '12345-6789-123', 'ABCDE-1234-56', '123456789012', '1234567890a', '12345_6789_01',
    '0574-4072-5',      # 4-4-1: two short segments is 9 digits
    '\u0660574-4072-05',  # an Arabic-Indic zero is a digit to Python, not to a payer
])
def test_normalize_ndc_refuses_malformed(code):
    with pytest.raises(ValueError, match='expected 10 digits with hyphens'):
        normalize_ndc(code)


segments = st.tuples(st.from_regex(r'\A[0-9]{5}\Z'), st.from_regex(r'\A[0-9]{4}\Z'),
                     st.from_regex(r'\A[0-9]{2}\Z'))


@given(segments, st.integers(0, 2))
def test_ndc_ten_digit_forms_round_trip(parts, short):
    """Dropping the leading zero of one segment gives a 10-digit NDC normalising back."""
    parts = list(parts)
    parts[short] = '0' + parts[short][1:]
    eleven = '-'.join(parts)
    ten = '-'.join(p[1:] if i == short else p for i, p in enumerate(parts))
    assert normalize_ndc(ten) == eleven
    assert normalize_ndc(eleven) == eleven
    assert normalize_ndc(eleven.replace('-', '')) == eleven


# --- NPI ------------------------------------------------------------------------------------
@pytest.mark.parametrize('npi, valid', [
    ('1234567893', True),     # CMS example: Luhn over 80840123456789 gives 3
    ('1234567890', False),    # wrong check digit
    ('1245319599', True),     # 80840124531959: check digit 9
    ('123456789', False),     # 9 digits
    ('12345678931', False),   # 11 digits
    ('12345678a3', False),
    ('123456789\u0663', False),  # Arabic-Indic 3: refused, not a crash in the Luhn check
    ('', False),
    (None, False),
])
def test_is_valid_npi(npi, valid):
    assert is_valid_npi(npi) is valid


@given(st.from_regex(r'\A[12][0-9]{8}\Z'), st.integers(0, 9), st.integers(1, 9))
def test_npi_detects_any_single_digit_error(body, position, delta):
    npi = body + luhn.calc_check_digit('80840' + body)
    assert is_valid_npi(npi)
    wrong = npi[:position] + str((int(npi[position]) + delta) % 10) + npi[position + 1:]
    assert not is_valid_npi(wrong)


# --- DEA ------------------------------------------------------------------------------------
@pytest.mark.parametrize('dea, last_name, valid', [
    ('AB1234563', None, True),       # (1+3+5) + 2*(2+4+6) = 33 -> 3
    ('AB1234563', 'Brown', True),
    ('ab1234563', 'brown', True),    # case does not matter
    ('AB1234563', 'Smith', False),   # second letter is not the initial
    ('A91234563', 'Smith', True),    # '9' is accepted in place of the initial
    ('AB1234567', None, False),      # check digit should be 3
    ('BW7654321', 'Whitfield', False),  # (7+5+3) + 2*(6+4+2) = 39 -> 9, not 1
    ('BW7654329', 'Whitfield', True),
    ('A1234563', None, False),       # one letter
    ('AB123456', None, False),       # six digits
    ('1B1234563', None, False),
    ('AB123456\u0663', None, False),
    ('', None, False),
])
def test_is_valid_dea(dea, last_name, valid):
    assert is_valid_dea(dea, last_name) is valid


@given(st.from_regex(r'\A[0-9]{6}\Z'), st.integers(1, 9))
def test_dea_wrong_check_digit_is_refused(digits, delta):
    check = dea_check_digit(digits)
    assert is_valid_dea('FX%s%d' % (digits, check))
    assert not is_valid_dea('FX%s%d' % (digits, (check + delta) % 10))


# --- dates ----------------------------------------------------------------------------------
@pytest.mark.parametrize('last_fill, days, lead, expected', [
    (date(2024, 1, 31), 30, 0, date(2024, 3, 1)),     # leap year: Jan 31 + 29 = Feb 29
    (date(2023, 1, 31), 30, 0, date(2023, 3, 2)),     # Jan 31 + 28 = Feb 28, + 2
    (date(2024, 1, 31), 30, 3, date(2024, 2, 27)),    # run-out Mar 1, minus 3 days
    (date(2024, 12, 15), 90, 0, date(2025, 3, 15)),   # 16 + 31 + 28 + 15 days
    (date(2024, 2, 29), 7, 7, date(2024, 2, 29)),
])
def test_next_due_date(last_fill, days, lead, expected):
    assert next_due_date(last_fill, days, lead) == expected


@pytest.mark.parametrize('last_fill, days, threshold, expected', [
    (date(2024, 2, 10), 30, 0.8, date(2024, 3, 5)),    # +24 across Feb 29
    (date(2023, 2, 10), 30, 0.8, date(2023, 3, 6)),    # +24, no leap day
    (date(2023, 12, 20), 90, 0.75, date(2024, 2, 26)),  # ceil(67.5) = 68 days
    (date(2024, 1, 1), 28, 0.8, date(2024, 1, 24)),    # ceil(22.4) = 23 days
    (date(2024, 1, 1), 10, 1.0, date(2024, 1, 11)),
])
def test_refill_eligible_date(last_fill, days, threshold, expected):
    assert refill_eligible_date(last_fill, days, threshold) == expected


def test_refill_eligible_date_is_not_fooled_by_binary_floats():
    # 30 * 0.8 == 24.000000000000004 in floating point; math.ceil would give 25 days
    assert refill_eligible_date(date(2024, 1, 1), 30) == date(2024, 1, 25)


@pytest.mark.parametrize('written, schedule, expected', [
    (date(2024, 2, 29), 'none', date(2025, 2, 28)),   # 12 months from a leap day
    (date(2023, 8, 31), '4', date(2024, 2, 29)),      # 6 months into a leap February
    (date(2023, 3, 31), '3', date(2023, 9, 30)),      # September has 30 days
    (date(2024, 1, 15), '2', date(2025, 1, 15)),      # schedule II: 12 months, no refills
    (date(2024, 1, 15), '5', date(2024, 7, 15)),
    (date(2024, 1, 15), None, date(2025, 1, 15)),
])
def test_prescription_expiry_date(written, schedule, expected):
    assert prescription_expiry_date(written, schedule) == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
       st.integers(1, 365), st.integers(0, 14))
def test_due_date_is_run_out_minus_lead(last_fill, days, lead):
    due = next_due_date(last_fill, days, lead)
    assert due - last_fill == timedelta(days=days - lead)
    assert refill_eligible_date(last_fill, days) <= next_due_date(last_fill, days)
