"""A dispensing system's export (PioneerRx, BestRx, ...), generated: one CSV of fills.

    python scripts/generate_dispensing.py --patients N [--months 12] [--seed S]
                                          [--end YYYY-MM-DD] [--bad-rows K] --out DIR

writes DIR/fills.csv, one row per fill, the patient, the prescriber, the drug and the
prescription repeated on each row, in the layout of the importer and with its writer: both
from ``pharmacy_crm_import/tools/dispensing_csv.py`` (docs/dispensing_import.md). Pure Python and
``random.Random(seed)``, no wall clock: the same arguments give the same bytes. ``--end`` is
the last day of the export (default 2026-11-20); fills span the ``--months`` before it.

The mix: ~5 therapies per patient (statins, RAS antagonists, non-insulin diabetes drugs,
others, ~3% controlled substances of schedules II and IV), 30- or 90-day supplies, refills on
time or late (0 to 20 days), therapies that stop (missed refills), ~3% of fills returned to
stock, new prescriptions when the refills run out or the prescription expires, and some
brand/generic switches of the same ingredient at a new prescription. ``--bad-rows K`` appends
K rows that the importer must refuse (one reason each, cycling through the kinds below).
"""
import argparse
import datetime
import importlib.util
import os
import random
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
sys.path.insert(0, ROOT)
from pharmacy_crm.tools.identifiers import dea_check_digit  # noqa: E402  pylint: disable=C0413


def _load_layout():
    """The importer's ``tools/dispensing_csv.py``, loaded by its path: pure Python, it needs
    no Odoo (importing the addon as a package would load its models)."""
    path = os.path.join(ROOT, 'pharmacy_crm_import', 'tools', 'dispensing_csv.py')
    spec = importlib.util.spec_from_file_location('dispensing_csv', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dispensing_csv = _load_layout()
DEFAULT_END = datetime.date(2026, 11, 20)

# (generic name, brand name, strength, class, schedule, dosage form): each gives a generic
# product and, when a brand name is given, a brand product of the same ingredient
DRUGS = [
    ('atorvastatin', 'Lipitor', '20 mg', 'statin', 'none', 'tablet'),
    ('atorvastatin', 'Lipitor', '40 mg', 'statin', 'none', 'tablet'),
    ('rosuvastatin', 'Crestor', '10 mg', 'statin', 'none', 'tablet'),
    ('simvastatin', 'Zocor', '20 mg', 'statin', 'none', 'tablet'),
    ('pravastatin', None, '40 mg', 'statin', 'none', 'tablet'),
    ('lisinopril', 'Zestril', '10 mg', 'ras_antagonist', 'none', 'tablet'),
    ('lisinopril', 'Zestril', '20 mg', 'ras_antagonist', 'none', 'tablet'),
    ('losartan', 'Cozaar', '50 mg', 'ras_antagonist', 'none', 'tablet'),
    ('valsartan', 'Diovan', '80 mg', 'ras_antagonist', 'none', 'tablet'),
    ('ramipril', None, '5 mg', 'ras_antagonist', 'none', 'capsule'),
    ('metformin', 'Glucophage', '500 mg', 'diabetes_non_insulin', 'none', 'tablet'),
    ('metformin', 'Glucophage', '1000 mg', 'diabetes_non_insulin', 'none', 'tablet'),
    ('glipizide', None, '5 mg', 'diabetes_non_insulin', 'none', 'tablet'),
    ('sitagliptin', 'Januvia', '100 mg', 'diabetes_non_insulin', 'none', 'tablet'),
    ('pioglitazone', 'Actos', '30 mg', 'diabetes_non_insulin', 'none', 'tablet'),
    ('levothyroxine', 'Synthroid', '50 mcg', 'other', 'none', 'tablet'),
    ('amlodipine', 'Norvasc', '5 mg', 'other', 'none', 'tablet'),
    ('omeprazole', 'Prilosec', '20 mg', 'other', 'none', 'capsule'),
    ('sertraline', 'Zoloft', '50 mg', 'other', 'none', 'tablet'),
    ('metoprolol succinate', 'Toprol XL', '50 mg', 'other', 'none', 'tablet'),
    ('albuterol', 'ProAir HFA', '90 mcg', 'other', 'none', 'inhaler'),
    ('hydrochlorothiazide', None, '25 mg', 'other', 'none', 'tablet'),
    ('oxycodone', 'Roxicodone', '5 mg', 'other', '2', 'tablet'),
    ('alprazolam', 'Xanax', '0.5 mg', 'other', '4', 'tablet'),
    ('zolpidem', 'Ambien', '10 mg', 'other', '4', 'tablet'),
]
CONTROLLED_SHARE = 0.03
FIRST_NAMES = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda',
               'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph',
               'Jessica', 'Thomas', 'Sarah', 'Maria', 'Karen', 'Carlos', 'Nancy', 'Daniel',
               'Lisa', 'Ana', 'Betty', 'Wei', 'Sandra', 'Kevin', 'Ashley']
LAST_NAMES = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis',
              'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson',
              'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson',
              'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Nguyen',
              'Chen', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Hill']
ALLERGIES = ['Penicillin', 'Sulfa drugs', 'Codeine', 'Aspirin', 'Latex', 'Penicillin; Codeine']
PRESCRIBER_SUFFIXES = ['MD', 'DO', 'NP']
# the kinds of bad rows of --bad-rows, in the order they cycle
BAD_KINDS = ['ndc', 'npi', 'state', 'beyond_refills', 'before_written', 'pickup_before_fill',
             'future', 'birthdate', 'quantity']


def luhn_check_digit(number):
    """Luhn check digit to append to ``number`` (a string of digits)."""
    total = 0
    for i, char in enumerate(reversed(number)):
        digit = int(char)
        if i % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def make_npi(rng):
    """A valid NPI: 9 digits (first 1 or 2), then the Luhn digit over '80840' + them."""
    body = rng.choice('12') + ''.join(rng.choice('0123456789') for _ in range(8))
    return body + luhn_check_digit('80840' + body)


def make_dea(rng, last_name):
    """A valid DEA number: a registrant letter, the last name's initial, 6 digits, a check."""
    digits = ''.join(rng.choice('0123456789') for _ in range(6))
    return rng.choice('ABF') + last_name[0].upper() + digits + str(dea_check_digit(digits))


def make_catalog(rng):
    """Products: (ndc, drug name, generic name, strength, form, brand|generic, schedule,
    class). One generic product per line of DRUGS, plus its brand when it has one."""
    products, labelers = [], ['00093', '00378', '68180', '00071', '00006', '59762', '65862']
    for index, (generic, brand, strength, klass, schedule, form) in enumerate(DRUGS):
        for kind, name in (('generic', generic.title()), ('brand', brand)):
            if not name:
                continue
            ndc = '%s-%04d-%02d' % (rng.choice(labelers), 1000 + 37 * index + len(products),
                                    rng.choice([30, 90, 1, 10]))
            products.append({'ndc': ndc, 'drug_name': name, 'generic_name': generic,
                             'strength': strength, 'dosage_form': form, 'drug_type': kind,
                             'schedule': schedule, 'therapeutic_class': klass,
                             'ingredient': (generic, strength)})
    return products


def add_months(day, months):
    """Calendar month arithmetic as dateutil's relativedelta (31 Aug + 6 = 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


class Generator:
    def __init__(self, patients, months, seed, end):
        self.rng = random.Random(seed)
        self.patients, self.months, self.end = patients, months, end
        self.start = add_months(end, -months)
        self.catalog = make_catalog(self.rng)
        self.by_ingredient = {}
        for product in self.catalog:
            self.by_ingredient.setdefault(product['ingredient'], []).append(product)
        self.maintenance = [p for p in self.catalog if p['schedule'] == 'none']
        self.controlled = [p for p in self.catalog if p['schedule'] != 'none']
        self.prescribers = [self._prescriber() for _ in range(max(5, patients // 40))]
        self.rx_seq = 100000

    def _prescriber(self):
        rng = self.rng
        last = rng.choice(LAST_NAMES)
        return {'prescriber_npi': make_npi(rng),
                'prescriber_name': '%s %s, %s' % (rng.choice(FIRST_NAMES), last,
                                                  rng.choice(PRESCRIBER_SUFFIXES)),
                'prescriber_dea': make_dea(rng, last)}

    def rows(self):
        for number in range(1, self.patients + 1):
            yield from self._patient_rows(number)

    def _patient_rows(self, number):
        rng = self.rng
        patient = {
            'patient_id': 'P%07d' % number, 'last_name': rng.choice(LAST_NAMES),
            'first_name': rng.choice(FIRST_NAMES),
            'birthdate': (datetime.date(1930, 1, 1) + datetime.timedelta(
                days=rng.randrange(27000))).isoformat(),
            'phone': '555-%04d-%04d' % (rng.randrange(10000), rng.randrange(10000)),
            'allergies': 'NKDA' if rng.random() < 0.7 else rng.choice(ALLERGIES)}
        prescriber = rng.choice(self.prescribers)
        rows = []
        for _therapy in range(rng.choice([3, 4, 5, 5, 6, 7])):
            if rng.random() < CONTROLLED_SHARE:
                product = rng.choice(self.controlled)
            else:
                product = rng.choice(self.maintenance)
            rows.extend(self._therapy_rows(patient, prescriber, product))
        rows.sort(key=lambda row: (row['fill_date'], row['rx_number'], row['fill_number']))
        return rows

    def _therapy_rows(self, patient, prescriber, product):
        """Fills of one therapy over the period: prescriptions one after another."""
        rng = self.rng
        controlled = product['schedule'] != 'none'
        days = 30 if controlled or rng.random() < 0.7 else 90
        day = self.start + datetime.timedelta(days=rng.randrange(60 if days == 30 else 90))
        stops = rng.random() < 0.15   # a patient who stops refilling (missed refills)
        stop_day = self.start + datetime.timedelta(days=rng.randrange(120, 365))
        rows = []
        while day <= self.end and not (stops and day > stop_day):
            if rng.random() < 0.1 and len(self.by_ingredient[product['ingredient']]) > 1:
                # brand/generic switch of the same ingredient, on a new prescription
                product = rng.choice([p for p in self.by_ingredient[product['ingredient']]
                                      if p is not product])
            refills = {'2': 0, '4': 5}.get(product['schedule'], 11 if days == 30 else 3)
            self.rx_seq += 1
            rx = {'rx_number': 'RX%d' % self.rx_seq, 'date_written': (
                day - datetime.timedelta(days=rng.randrange(3))).isoformat(),
                'refills_authorized': refills, 'rx_quantity': days, 'rx_days_supply': days}
            expiry = add_months(datetime.date.fromisoformat(rx['date_written']),
                                6 if product['schedule'] in ('3', '4', '5') else 12)
            counted, fill_number = 0, 0
            while counted <= refills and day <= self.end and day <= expiry and not (
                    stops and day > stop_day):
                fill_number += 1
                state, pickup = self._fill_state(day)
                counted += state != 'returned'
                rows.append(dict(patient, **prescriber, **{
                    k: product[k] for k in ('ndc', 'drug_name', 'generic_name', 'strength',
                                            'dosage_form', 'drug_type', 'schedule',
                                            'therapeutic_class')}, **rx, **{
                    'fill_number': fill_number, 'fill_date': day.isoformat(),
                    'quantity': days, 'days_supply': days, 'state': state,
                    'pickup_date': pickup}))
                if state == 'returned':   # filled again a few days later
                    day += datetime.timedelta(days=rng.randrange(2, 10))
                else:   # on time or late
                    late = rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 13, 20])
                    day += datetime.timedelta(days=days - rng.randrange(3) + late)
            if controlled and rng.random() < 0.5:
                break   # a controlled therapy often ends with its prescription
        return rows

    def _fill_state(self, day):
        rng = self.rng
        age = (self.end - day).days
        if rng.random() < 0.03 and age > 10:
            return 'returned', ''
        if age <= 7 and rng.random() < 0.6:
            return rng.choice(['filled', 'ready']), ''
        pickup = min(day + datetime.timedelta(days=rng.choice([0, 0, 1, 2, 4])), self.end)
        return 'picked_up', pickup.isoformat()

    @staticmethod
    def _full_prescription_row(good):
        """The last row of a prescription whose refills are all used, if any."""
        counted, last = {}, {}
        for row in good:
            counted[row['rx_number']] = counted.get(row['rx_number'], 0) + (
                row['state'] != 'returned')
            if int(row['fill_number']) > int(last.get(row['rx_number'], {}).get(
                    'fill_number', 0)):
                last[row['rx_number']] = row
        for rx_number in sorted(counted):
            if counted[rx_number] == int(last[rx_number]['refills_authorized']) + 1:
                return last[rx_number]
        return None

    def bad_rows(self, count, good):
        """``count`` rows the importer refuses, built from good rows: one reason each."""
        rows = []
        for index in range(count):
            kind = BAD_KINDS[index % len(BAD_KINDS)]
            row = dict(good[self.rng.randrange(len(good))])
            if kind == 'ndc':
                row['ndc'] = '12345'
            elif kind == 'npi':
                row['prescriber_npi'] = row['prescriber_npi'][:-1] + str(
                    (int(row['prescriber_npi'][-1]) + 1) % 10)
            elif kind == 'state':
                row['state'] = 'lost'
            elif kind == 'beyond_refills':   # one more fill of a prescription used up
                row = dict(self._full_prescription_row(good) or row)
                row['fill_number'] = int(row['fill_number']) + 1
                row['state'], row['pickup_date'] = 'picked_up', row['fill_date']
            elif kind == 'before_written':
                written = datetime.date.fromisoformat(row['date_written'])
                row['fill_date'] = (written - datetime.timedelta(days=5)).isoformat()
                row['fill_number'] = 90 + index
                row['state'], row['pickup_date'] = 'picked_up', row['fill_date']
            elif kind == 'pickup_before_fill':
                row['state'] = 'picked_up'
                row['pickup_date'] = (datetime.date.fromisoformat(row['fill_date'])
                                      - datetime.timedelta(days=3)).isoformat()
            elif kind == 'future':
                row['fill_date'] = '2100-01-01'
            elif kind == 'birthdate':
                row['birthdate'] = '1961-02-30'
            elif kind == 'quantity':
                row['quantity'] = '-30'
            rows.append(row)
        return rows


def write(out, patients, months=12, seed=1, end=DEFAULT_END, bad_rows=0):
    """Write ``out``/fills.csv; returns its path and its number of data rows."""
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, 'fills.csv')
    generator = Generator(patients, months, seed, end)
    count, sample = 0, []
    with open(path, 'w', newline='', encoding='utf-8') as handle:
        writer = dispensing_csv.writer(handle)
        for row in generator.rows():
            writer.writerow(row)
            count += 1
            if len(sample) < 5000:
                sample.append(row)
        for row in generator.bad_rows(bad_rows, sample) if sample else []:
            writer.writerow(row)
            count += 1
    return path, count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--patients', type=int, required=True)
    parser.add_argument('--months', type=int, default=12)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--end', type=datetime.date.fromisoformat, default=DEFAULT_END,
                        help='last day of the export (default %s)' % DEFAULT_END)
    parser.add_argument('--bad-rows', type=int, default=0)
    parser.add_argument('--out', required=True)
    args = parser.parse_args(argv)
    path, count = write(args.out, args.patients, args.months, args.seed, args.end,
                        args.bad_rows)
    print('%s: %d fills of %d patients' % (path, count, args.patients))


if __name__ == '__main__':
    main()
