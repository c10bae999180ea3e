# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""A small dispensing export for the addon's tests, deterministic (``random.Random(seed)``, no
clock), built to reach every branch of the stored formulas the import computes in bulk:
schedules none and II-V (expiry 12 or 6 months, from month ends too), 7- to 90-day supplies,
short fills, fills returned to stock, two fills of one prescription on the same day, 0 to 11
refills used up or not, patients with and without allergies. Every row is good unless
``bad_rows`` asks for bad ones (appended, one reason each). The realistic generator of the
benchmarks is ``scripts/generate_dispensing.py``; both write through ``tools/dispensing_csv``.
"""
import datetime
import random

from stdnum import luhn

from odoo.addons.pharmacy_crm.tools import prescription_expiry_date
from odoo.addons.pharmacy_crm.tools.identifiers import dea_check_digit

# the sample's last day: fills are before it, well before any day these tests run
END = datetime.date(2026, 3, 31)
# (ndc, drug name, generic name, strength, dosage form, brand|generic, schedule, class code)
PRODUCTS = [
    ('99998-0001-30', 'Atorvastatin', 'atorvastatin', '20 mg', 'tablet', 'generic', 'none',
     'statin'),
    ('99998-0002-30', 'Crestor', 'rosuvastatin', '10 mg', 'tablet', 'brand', 'none', 'statin'),
    ('99998-0003-90', 'Lisinopril', 'lisinopril', '10 mg', 'tablet', 'generic', 'none',
     'ras_antagonist'),
    ('99998-0004-30', 'Metformin', 'metformin', '500 mg', 'tablet', 'generic', 'none',
     'diabetes_non_insulin'),
    ('99998-0005-01', 'ProAir HFA', 'albuterol', '90 mcg', 'inhaler', 'brand', 'none', 'other'),
    ('99998-0006-30', 'Oxycodone', 'oxycodone', '5 mg', 'tablet', 'generic', '2', 'other'),
    ('99998-0007-30', 'Tylenol with Codeine', 'acetaminophen and codeine', '300 mg/30 mg',
     'tablet', 'brand', '3', 'other'),
    ('99998-0008-30', 'Alprazolam', 'alprazolam', '0.5 mg', 'tablet', 'generic', '4', 'other'),
    ('99998-0009-01', 'Lomotil', 'diphenoxylate and atropine', '2.5 mg/0.025 mg', 'tablet',
     'brand', '5', 'other'),
]
LAST_NAMES = ['Smith', 'Garcia', 'Nguyen', 'Johnson', 'Brown', 'Lopez', 'Chen', 'Walker']
FIRST_NAMES = ['Mary', 'James', 'Ana', 'Wei', 'Robert', 'Linda', 'Carlos', 'Sarah']


def _npi(rng):
    """A valid NPI: 9 digits, then the Luhn check digit over '80840' + them."""
    body = rng.choice('12') + ''.join(rng.choice('0123456789') for _n in range(8))
    return body + luhn.calc_check_digit('80840' + body)


def _dea(rng, last_name):
    digits = ''.join(rng.choice('0123456789') for _n in range(6))
    return 'B' + last_name[0] + digits + str(dea_check_digit(digits))


def _written(rng):
    """A date written in the 15 months before END, a month end one time in three."""
    day = END - datetime.timedelta(days=rng.randrange(30, 450))
    if rng.random() < 0.33:
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return day


def rows(patients, seed=1, bad_rows=0):
    """The rows (dicts column -> text) of ``patients`` patients, each with 2 to 4
    prescriptions and their fills in date order, then ``bad_rows`` refused rows."""
    rng = random.Random(seed)
    prescribers = []
    for _n in range(3):
        last = rng.choice(LAST_NAMES)
        prescribers.append({'prescriber_npi': _npi(rng),
                            'prescriber_name': '%s %s, MD' % (rng.choice(FIRST_NAMES), last),
                            'prescriber_dea': _dea(rng, last)})
    result, rx_number = [], 0
    for number in range(1, patients + 1):
        patient = {'patient_id': 'S%05d' % number, 'last_name': rng.choice(LAST_NAMES),
                   'first_name': rng.choice(FIRST_NAMES),
                   'birthdate': (datetime.date(1935, 1, 1) + datetime.timedelta(
                       days=rng.randrange(25000))).isoformat(),
                   'phone': '555-01%02d' % number,
                   'allergies': rng.choice(['NKDA', 'NKDA', 'Penicillin', 'Sulfa drugs'])}
        patient_rows = []
        for _n in range(rng.randint(2, 4)):
            rx_number += 1
            patient_rows += _prescription_rows(rng, dict(patient, **rng.choice(prescribers)),
                                               'SRX%d' % rx_number)
        patient_rows.sort(key=lambda row: (row['fill_date'], row['rx_number'],
                                           int(row['fill_number'])))
        result += patient_rows
    for index in range(bad_rows):
        bad = dict(result[rng.randrange(len(result))])
        kind = index % 4
        if kind == 0:
            bad['ndc'] = '12345'
        elif kind == 1:
            bad['state'] = 'lost'
        elif kind == 2:
            bad['fill_date'], bad['pickup_date'] = '2100-01-01', ''
        else:
            bad['quantity'] = '-30'
        result.append(bad)
    return result


def _prescription_rows(rng, person, rx_number):
    ndc, name, generic, strength, form, kind, schedule, klass = rng.choice(PRODUCTS)
    days = rng.choice([7, 28, 30, 30, 90]) if schedule == 'none' else rng.choice([7, 30])
    refills = {'none': rng.randint(0, 11), '2': 0}.get(schedule, rng.randint(0, 5))
    written = _written(rng)
    expiry = prescription_expiry_date(written, schedule)
    rx = dict(person, ndc=ndc, drug_name=name, generic_name=generic, strength=strength,
              dosage_form=form, drug_type=kind, schedule=schedule, therapeutic_class=klass,
              rx_number=rx_number, date_written=written.isoformat(),
              refills_authorized=str(refills), rx_quantity=str(days), rx_days_supply=str(days))
    result, counted, number = [], 0, 0
    day = written + datetime.timedelta(days=rng.randrange(3))
    while counted <= refills and day <= min(expiry, END):
        number += 1
        supply = days if rng.random() < 0.85 else max(1, days // 2)    # a short fill
        state = 'returned' if rng.random() < 0.08 else 'picked_up'
        if day > END - datetime.timedelta(days=5) and state == 'picked_up':
            state = rng.choice(['filled', 'ready'])
        pickup = day + datetime.timedelta(days=rng.randrange(3))
        result.append(dict(rx, fill_number=str(number), fill_date=day.isoformat(),
                           quantity=str(supply), days_supply=str(supply), state=state,
                           pickup_date=pickup.isoformat() if state == 'picked_up' else ''))
        counted += state != 'returned'
        if state == 'returned' or rng.random() < 0.1:
            continue    # filled again the same day (after a return, or the rest of a supply)
        day += datetime.timedelta(days=round(supply * rng.uniform(0.75, 1.3)))
    return result
