"""Write pharmacy_crm/demo/pharmacy_demo.xml (and pharmacy_crm_sync's demo): a year of an independent US pharmacy, deterministic.

Run with the project's virtualenv: `.venv/bin/python scripts/generate_demo.py`. The output is
the same on every run (one seeded random generator, profiles written by hand below); commit it
with the generator.

What a pharmacist should find believable, and how it is kept:
- **The pharmacy**: the main company becomes Market Street Pharmacy, Lewisburg, Pennsylvania,
  with a US phone, fax and address, in US dollars (``base.USD``, activated). Phone numbers are
  the fictional 555-01xx range; e-mail addresses are on example.com.
- **Patients** are written by hand (``PATIENTS``): age, sex, allergies, conditions, the drugs
  that treat them, who prescribed them, preferences and notes that fit them. Allergies agree
  with alerts and prescriptions (no penicillin for a penicillin allergy, no sulfonamide
  diuretic for a sulfa allergy, "NKDA" patients have no allergy alert); controlled substances
  fit the age (no amphetamine or benzodiazepine for the very old); Medicare is mentioned only
  for patients of 65 or more; a patient who prefers 90-day supplies gets 90-day fills of
  maintenance drugs, a brand-only patient gets brands.
- **Directions agree with quantity and days supply** (``REGIMENS``): the quantity is the units
  per administration x administrations per day x days (twice daily: 60 for 30 days; once
  weekly: 4 for 28 days), for every prescription and every fill, short fills included.
- **History**: prescriptions are written over the last year (Rx numbers increase with the date
  written) and fills are generated backwards from the most recent one, so that the present is
  what we chose (due today, overdue, ready for pickup for more than a week, refills running
  out, prescriptions expiring) and every fill obeys the server's rules: within the
  prescription's dates and refills, never in the future, pickup on or after the fill, and never
  before the refill-too-soon date of the previous counted fill (days supply x 0.8, the default
  threshold) except one vacation supply, recorded with a reason and credited to the demo
  pharmacist. Fills returned to stock are followed by a later fill. Held and discontinued
  prescriptions (with reason, date and note) get that state after their fills, and the
  transferred-out patient after the transfer of her prescriptions, as the server requires.
  Nothing is archived.
- **Notes** are written by the demo staff (pharmacist, technician, manager) on working hours
  (9:00 to 17:45 in the pharmacy's time zone, America/New_York) over the last months. The
  server owns a note's ``author_id`` and ``date`` and refuses them in ``create``/``write``;
  the demo creates each note (as the superuser, which loads the demo) and then calls the ORM's
  low-level ``_write`` from a ``<function>`` of the demo file for that one note, named by its
  xml id: author, date, creator and creation date become the staff member's (the last writer
  stays the superuser: ``_write`` sets it, and Odoo 11's XML schema has no ``uid`` on
  ``<function>``). No model method is added for the demo, no server rule is relaxed, and only
  records of this file are touched; creating the notes as their authors instead would have
  needed a demo-only model method (``sudo(user).create``) and still a ``_write`` of the date.
  The same call credits the vacation supply (``early_refill_by``) to the demo pharmacist.
- **Chatter**: the demo's pharmacy records are created with ``tracking_disable``: their chatter
  does not say that the administrator created them at install time.

Dates are relative to the day the demo is installed, so the profile always looks current.
Identifiers are valid by construction (NPI Luhn, DEA check digit, NDC formats with the
manufacturers' real labeler codes) and checked again by the models' constraints at install.
The server's rules are asserted here too (``check_history``), so that a profile that breaks
them fails before Odoo loads it; ``tests/test_demo.py`` checks the installed result.

Demo data is loaded once (``noupdate``): upgrading a database that holds an earlier version of
this file adds the new xml ids next to the old records and fails on the first fill the rules
refuse. Recreate such a database (``make reset``, then ``make run``).
"""
import importlib.util
import math
import os
import random
from xml.sax.saxutils import escape

from stdnum import luhn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the addon's own formula, loaded by path: pharmacy_crm/__init__ needs an Odoo registry
_spec = importlib.util.spec_from_file_location(
    'identifiers', os.path.join(ROOT, 'pharmacy_crm', 'tools', 'identifiers.py'))
identifiers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(identifiers)
OUT = os.path.join(ROOT, 'pharmacy_crm', 'demo', 'pharmacy_demo.xml')
OUT_SYNC = os.path.join(ROOT, 'pharmacy_crm_sync', 'demo', 'pharmacy_sync_demo.xml')
SYNC_CYCLE = 30          # the demo's enrolments sync every 30 days from an anchor date
# The demo's fills are numbered demo_fill_0001 to this: upgrading a database that holds the
# demo (make update, and the upgrade check of make test) loads the file again and creates the
# records whose xml id it lacks (noupdate: the others stay as they were), which would break
# the fill rules. Keep the count when a profile changes (main asserts it).
DEMO_FILLS = 603
rnd = random.Random(20261123)

TZ = 'America/New_York'
THRESHOLD = 0.8          # the default refill threshold (pharmacy_crm.refill_threshold)
RX_START = 100200        # Rx numbers are given in the order prescriptions were written
STAFF = {'pharmacist': 'pharmacy_crm.user_pharmacist',
         'technician': 'pharmacy_crm.user_technician',
         'manager': 'pharmacy_crm.user_pharmacy_manager'}

COMPANY = {
    'name': 'Market Street Pharmacy', 'street': '418 Market Street', 'city': 'Lewisburg',
    'zip': '17837', 'phone': '(570) 555-0100', 'fax': '(570) 555-0101',
    'email': 'rx@pharmacy.example.com', 'website': 'https://www.pharmacy.example.com',
}
PA = 'base.state_us_39'   # Pennsylvania
CITIES = {'Lewisburg': '17837', 'Milton': '17847', 'Mifflinburg': '17844',
          'Selinsgrove': '17870', 'Sunbury': '17801', 'Danville': '17821'}
STREETS = ['Market Street', 'Front Street', 'Water Street', 'Saint George Street',
           'Brown Street', 'Fairground Road', 'Buffalo Road', 'Walnut Street', 'Chestnut Street',
           'Mill Street', 'North Fourth Street', 'Church Street', 'Pine Street', 'Orange Street']

# key: name, NDC labeler code (the manufacturer's real one)
MANUFACTURERS = [
    ('teva', 'Teva Pharmaceuticals USA', '0093'), ('viatris', 'Viatris', '0378'),
    ('sandoz', 'Sandoz', '0781'), ('aurobindo', 'Aurobindo Pharma', '65862'),
    ('lupin', 'Lupin Pharmaceuticals', '68180'), ('pfizer', 'Pfizer', '0069'),
    ('merck', 'Merck Sharp & Dohme', '0006'), ('astrazeneca', 'AstraZeneca', '0310'),
    ('bms', 'Bristol-Myers Squibb', '0003'),
]
MAN = {key: i for i, (key, _name, _labeler) in enumerate(MANUFACTURERS)}
# key, name, generic, strength, form, brand/generic, class, maintenance, schedule, manufacturer
# (the first 40 keep the xml ids of earlier versions: tests create prescriptions of _08, _10)
MEDICATIONS = [
    ('atorvastatin10', 'Atorvastatin', 'atorvastatin', '10 mg', 'tablet', 'generic', 'statin', 1, 'none', 'teva'),
    ('atorvastatin20', 'Atorvastatin', 'atorvastatin', '20 mg', 'tablet', 'generic', 'statin', 1, 'none', 'teva'),
    ('atorvastatin40', 'Atorvastatin', 'atorvastatin', '40 mg', 'tablet', 'generic', 'statin', 1, 'none', 'aurobindo'),
    ('lipitor20', 'Lipitor', 'atorvastatin', '20 mg', 'tablet', 'brand', 'statin', 1, 'none', 'pfizer'),
    ('simvastatin20', 'Simvastatin', 'simvastatin', '20 mg', 'tablet', 'generic', 'statin', 1, 'none', 'lupin'),
    ('rosuvastatin10', 'Rosuvastatin', 'rosuvastatin', '10 mg', 'tablet', 'generic', 'statin', 1, 'none', 'sandoz'),
    ('crestor10', 'Crestor', 'rosuvastatin', '10 mg', 'tablet', 'brand', 'statin', 1, 'none', 'astrazeneca'),
    ('pravastatin40', 'Pravastatin', 'pravastatin', '40 mg', 'tablet', 'generic', 'statin', 1, 'none', 'teva'),
    ('lisinopril10', 'Lisinopril', 'lisinopril', '10 mg', 'tablet', 'generic', 'ras_antagonist', 1, 'none', 'lupin'),
    ('lisinopril20', 'Lisinopril', 'lisinopril', '20 mg', 'tablet', 'generic', 'ras_antagonist', 1, 'none', 'aurobindo'),
    ('losartan50', 'Losartan', 'losartan', '50 mg', 'tablet', 'generic', 'ras_antagonist', 1, 'none', 'viatris'),
    ('losartan100', 'Losartan', 'losartan', '100 mg', 'tablet', 'generic', 'ras_antagonist', 1, 'none', 'sandoz'),
    ('valsartan160', 'Valsartan', 'valsartan', '160 mg', 'tablet', 'generic', 'ras_antagonist', 1, 'none', 'sandoz'),
    ('ramipril5', 'Ramipril', 'ramipril', '5 mg', 'capsule', 'generic', 'ras_antagonist', 1, 'none', 'teva'),
    ('metformin500', 'Metformin', 'metformin', '500 mg', 'tablet', 'generic', 'diabetes_non_insulin', 1, 'none', 'aurobindo'),
    ('metformin_er500', 'Metformin ER', 'metformin', '500 mg', 'tablet', 'generic', 'diabetes_non_insulin', 1, 'none', 'lupin'),
    ('glipizide5', 'Glipizide', 'glipizide', '5 mg', 'tablet', 'generic', 'diabetes_non_insulin', 1, 'none', 'viatris'),
    ('januvia100', 'Januvia', 'sitagliptin', '100 mg', 'tablet', 'brand', 'diabetes_non_insulin', 1, 'none', 'merck'),
    ('pioglitazone30', 'Pioglitazone', 'pioglitazone', '30 mg', 'tablet', 'generic', 'diabetes_non_insulin', 1, 'none', 'teva'),
    ('glimepiride2', 'Glimepiride', 'glimepiride', '2 mg', 'tablet', 'generic', 'diabetes_non_insulin', 1, 'none', 'sandoz'),
    ('levothyroxine50', 'Levothyroxine', 'levothyroxine', '50 mcg', 'tablet', 'generic', 'other', 1, 'none', 'sandoz'),
    ('amlodipine5', 'Amlodipine', 'amlodipine', '5 mg', 'tablet', 'generic', 'other', 1, 'none', 'viatris'),
    ('amlodipine10', 'Amlodipine', 'amlodipine', '10 mg', 'tablet', 'generic', 'other', 1, 'none', 'aurobindo'),
    ('metoprolol_er50', 'Metoprolol Succinate ER', 'metoprolol', '50 mg', 'tablet', 'generic', 'other', 1, 'none', 'lupin'),
    ('omeprazole20', 'Omeprazole', 'omeprazole', '20 mg', 'capsule', 'generic', 'other', 1, 'none', 'teva'),
    ('sertraline50', 'Sertraline', 'sertraline', '50 mg', 'tablet', 'generic', 'other', 1, 'none', 'aurobindo'),
    ('hctz25', 'Hydrochlorothiazide', 'hydrochlorothiazide', '25 mg', 'tablet', 'generic', 'other', 1, 'none', 'viatris'),
    ('montelukast10', 'Montelukast', 'montelukast', '10 mg', 'tablet', 'generic', 'other', 1, 'none', 'sandoz'),
    ('albuterol', 'Albuterol HFA', 'albuterol', '90 mcg/actuation', 'inhaler', 'generic', 'other', 0, 'none', 'teva'),
    ('gabapentin300', 'Gabapentin', 'gabapentin', '300 mg', 'capsule', 'generic', 'other', 1, 'none', 'lupin'),
    ('amoxicillin500', 'Amoxicillin', 'amoxicillin', '500 mg', 'capsule', 'generic', 'other', 0, 'none', 'sandoz'),
    ('hydrocodone_apap', 'Hydrocodone/APAP', 'hydrocodone and acetaminophen', '5/325 mg', 'tablet', 'generic', 'other', 0, '2', 'viatris'),
    ('oxycodone5', 'Oxycodone', 'oxycodone', '5 mg', 'tablet', 'generic', 'other', 0, '2', 'aurobindo'),
    ('amphetamine20', 'Amphetamine Salts', 'dextroamphetamine and amphetamine', '20 mg', 'tablet', 'generic', 'other', 1, '2', 'teva'),
    ('testosterone200', 'Testosterone Cypionate', 'testosterone', '200 mg/mL', 'injection', 'generic', 'other', 1, '3', 'viatris'),
    ('alprazolam05', 'Alprazolam', 'alprazolam', '0.5 mg', 'tablet', 'generic', 'other', 1, '4', 'sandoz'),
    ('zolpidem5', 'Zolpidem', 'zolpidem', '5 mg', 'tablet', 'generic', 'other', 1, '4', 'teva'),
    ('tramadol50', 'Tramadol', 'tramadol', '50 mg', 'tablet', 'generic', 'other', 0, '4', 'lupin'),
    ('lorazepam05', 'Lorazepam', 'lorazepam', '0.5 mg', 'tablet', 'generic', 'other', 1, '4', 'aurobindo'),
    ('pregabalin75', 'Pregabalin', 'pregabalin', '75 mg', 'capsule', 'generic', 'other', 1, '5', 'aurobindo'),
    ('levothyroxine75', 'Levothyroxine', 'levothyroxine', '75 mcg', 'tablet', 'generic', 'other', 1, 'none', 'sandoz'),
    ('alendronate70', 'Alendronate', 'alendronate', '70 mg', 'tablet', 'generic', 'other', 1, 'none', 'teva'),
    ('tamsulosin04', 'Tamsulosin', 'tamsulosin', '0.4 mg', 'capsule', 'generic', 'other', 1, 'none', 'sandoz'),
    ('donepezil10', 'Donepezil', 'donepezil', '10 mg', 'tablet', 'generic', 'other', 1, 'none', 'lupin'),
    ('eliquis5', 'Eliquis', 'apixaban', '5 mg', 'tablet', 'brand', 'other', 1, 'none', 'bms'),
    ('furosemide20', 'Furosemide', 'furosemide', '20 mg', 'tablet', 'generic', 'other', 1, 'none', 'viatris'),
    ('escitalopram10', 'Escitalopram', 'escitalopram', '10 mg', 'tablet', 'generic', 'other', 1, 'none', 'aurobindo'),
]
MED = {m[0]: i for i, m in enumerate(MEDICATIONS)}

# directions per medication: sig, units per day (quantity = units per day x days supply), dose,
# usual days supply; (quantity, days) instead of units per day for a fixed package
ONCE = 'Take 1 tablet by mouth once daily'
REGIMENS = {
    'atorvastatin10': (ONCE, 1, '10 mg', 30), 'atorvastatin20': (ONCE, 1, '20 mg', 30),
    'atorvastatin40': (ONCE, 1, '40 mg', 30), 'lipitor20': (ONCE, 1, '20 mg', 30),
    'simvastatin20': ('Take 1 tablet by mouth at bedtime', 1, '20 mg', 30),
    'rosuvastatin10': (ONCE, 1, '10 mg', 30), 'crestor10': (ONCE, 1, '10 mg', 30),
    'pravastatin40': ('Take 1 tablet by mouth at bedtime', 1, '40 mg', 30),
    'lisinopril10': (ONCE, 1, '10 mg', 30), 'lisinopril20': (ONCE, 1, '20 mg', 30),
    'losartan50': (ONCE, 1, '50 mg', 30), 'losartan100': (ONCE, 1, '100 mg', 30),
    'valsartan160': (ONCE, 1, '160 mg', 30),
    'ramipril5': ('Take 1 capsule by mouth once daily', 1, '5 mg', 30),
    'metformin500': ('Take 1 tablet by mouth twice daily with meals', 2, '500 mg', 30),
    'metformin_er500': ('Take 2 tablets by mouth once daily with the evening meal', 2,
                        '1,000 mg', 30),
    'glipizide5': ('Take 1 tablet by mouth twice daily 30 minutes before breakfast and dinner',
                   2, '5 mg', 30),
    'januvia100': (ONCE, 1, '100 mg', 30), 'pioglitazone30': (ONCE, 1, '30 mg', 30),
    'glimepiride2': ('Take 1 tablet by mouth once daily with breakfast', 1, '2 mg', 30),
    'levothyroxine50': ('Take 1 tablet by mouth every morning on an empty stomach, 30 minutes '
                        'before breakfast', 1, '50 mcg', 30),
    'levothyroxine75': ('Take 1 tablet by mouth every morning on an empty stomach, 30 minutes '
                        'before breakfast', 1, '75 mcg', 30),
    'amlodipine5': (ONCE, 1, '5 mg', 30), 'amlodipine10': (ONCE, 1, '10 mg', 30),
    'metoprolol_er50': ('Take 1 tablet by mouth once daily. Swallow whole; do not crush or '
                        'chew.', 1, '50 mg', 30),
    'omeprazole20': ('Take 1 capsule by mouth once daily before breakfast', 1, '20 mg', 30),
    'sertraline50': (ONCE, 1, '50 mg', 30), 'escitalopram10': (ONCE, 1, '10 mg', 30),
    'hctz25': ('Take 1 tablet by mouth every morning', 1, '25 mg', 30),
    'montelukast10': ('Take 1 tablet by mouth at bedtime', 1, '10 mg', 30),
    'albuterol': ('Inhale 2 puffs by mouth every 4 to 6 hours as needed for wheezing or '
                  'shortness of breath', (8.5, 25), '2 puffs (180 mcg)', 25),
    'gabapentin300': ('Take 1 capsule by mouth three times daily', 3, '300 mg', 30),
    'amoxicillin500': ('Take 1 capsule by mouth three times daily until gone', 3, '500 mg', 10),
    'hydrocodone_apap': ('Take 1 tablet by mouth every 6 hours as needed for pain', 4,
                         '1 tablet (5/325 mg)', 3),
    'oxycodone5': ('Take 1 tablet by mouth every 6 hours as needed for severe pain', 4, '5 mg',
                   5),
    'amphetamine20': ('Take 1 tablet by mouth every morning', 1, '20 mg', 30),
    'testosterone200': ('Inject 1 mL (200 mg) into the muscle every 14 days', (2, 28),
                        '200 mg (1 mL)', 28),
    'alprazolam05': ('Take 1 tablet by mouth twice daily as needed for anxiety', 2, '0.5 mg',
                     30),
    'zolpidem5': ('Take 1 tablet by mouth at bedtime as needed for sleep', 1, '5 mg', 30),
    'tramadol50': ('Take 1 tablet by mouth every 8 hours as needed for pain', 3, '50 mg', 30),
    'lorazepam05': ('Take 1 tablet by mouth twice daily as needed for anxiety', 2, '0.5 mg',
                    30),
    'pregabalin75': ('Take 1 capsule by mouth twice daily', 2, '75 mg', 30),
    'alendronate70': ('Take 1 tablet by mouth once weekly in the morning with a full glass of '
                      'water; stay upright for 30 minutes', 1 / 7, '70 mg', 28),
    'tamsulosin04': ('Take 1 capsule by mouth once daily, 30 minutes after the same meal each '
                     'day', 1, '0.4 mg', 30),
    'donepezil10': ('Take 1 tablet by mouth at bedtime', 1, '10 mg', 30),
    'eliquis5': ('Take 1 tablet by mouth twice daily', 2, '5 mg', 30),
    'furosemide20': ('Take 1 tablet by mouth every morning', 1, '20 mg', 30),
}

# key: first, last, credential, specialty, city
PRESCRIBERS = [
    ('whitfield', 'Eleanor', 'Whitfield', 'MD', 'Family Medicine', 'Lewisburg'),
    ('patel', 'Rajesh', 'Patel', 'MD', 'Internal Medicine', 'Lewisburg'),
    ('gonzalez', 'Maria', 'Gonzalez', 'MD', 'Cardiology', 'Danville'),
    ('okafor', 'Thomas', 'Okafor', 'DO', 'Endocrinology', 'Danville'),
    ('lindqvist', 'Susan', 'Lindqvist', 'NP', 'Family Medicine', 'Mifflinburg'),
    ('cho', 'David', 'Cho', 'MD', 'Psychiatry', 'Lewisburg'),
    ('brennan', 'Hannah', 'Brennan', 'PA-C', 'Orthopedics', 'Danville'),
    ('adeyemi', 'Michael', 'Adeyemi', 'MD', 'Pain Medicine', 'Sunbury'),
    ('yamamoto', 'Karen', 'Yamamoto', 'MD', 'Pulmonology', 'Danville'),
    ('ferreira', 'Luis', 'Ferreira', 'DO', 'Internal Medicine', 'Selinsgrove'),
    ('feldman', 'Aaron', 'Feldman', 'DDS', 'General Dentistry', 'Lewisburg'),
]
DOC = {p[0]: i for i, p in enumerate(PRESCRIBERS)}


class Rx:
    """One prescription and the shape of its fill history.

    ``written``: days ago it was written; ``last``: days ago of its most recent fill (None: not
    filled yet); earlier fills are spaced by the days supply plus the patient's lateness.
    ``short``: (k, days) the k-th fill before the last one (0 = the last) was a short fill;
    ``early``: (k, gap, reason, note) the k-th fill came ``gap`` days after the one before it;
    ``returned``: the fills k after which a fill was returned to stock before the patient came;
    ``uncollected``: the last fill is still waiting for pickup. ``state``: held or discontinued
    after its fills (``stop``: days ago, no fill after it), with ``reason`` and ``stop_note``
    when discontinued (a hold is explained in a staff note).
    """

    def __init__(self, med, doc, written, last=None, refills=None, days=None, state='active',
                 stop=None, reason=None, stop_note=None, short=None, early=None, returned=(),
                 uncollected=False, first=None):
        self.steps, self.last_state = None, None   # set by Patient.sync for synced ones
        self.first = first   # days ago of the first fill at the earliest (default: written)
        self.med, self.doc, self.written, self.last = med, doc, written, last
        sig, per_day, dose, usual_days = REGIMENS[med]
        self.sig, self.dose = sig, dose
        self.days = days or usual_days
        if isinstance(per_day, tuple):
            self.quantity_for = lambda days, q=per_day: q[0] * days / q[1]
        else:
            self.quantity_for = lambda days, q=per_day: round(q * days, 2)
        schedule = MEDICATIONS[MED[med]][8]
        maintenance = MEDICATIONS[MED[med]][7]
        if refills is None:
            refills = (0 if schedule == '2' or not maintenance else 5 if schedule != 'none'
                       else 3 if self.days >= 84 else 11)
        self.refills, self.state, self.stop, self.reason = refills, state, stop, reason
        self.stop_note, self.short, self.early = stop_note, short, early
        self.returned, self.uncollected = set(returned), uncollected


class Patient:
    """A patient's profile: who, allergies, prescriptions, staff notes and preferences."""

    def __init__(self, first, last, sex, birthdate, city, allergies, rxs, notes=(), late=2,
                 generic='no_preference', ninety=False, delivery=False, contact='phone',
                 time='any', email=True, mobile=False, state='active', manpref=None,
                 sync=None):
        self.first, self.last, self.sex, self.birthdate, self.city = first, last, sex, \
            birthdate, city
        self.allergies, self.rxs, self.notes, self.late = allergies, rxs, notes, late
        self.generic, self.ninety, self.delivery = generic, ninety, delivery
        self.contact, self.time, self.email, self.mobile = contact, time, email, mobile
        self.state, self.manpref = state, manpref
        self.sync = sync
        if sync:
            self._align(**sync)

    def _align(self, meds, state, ahead, cycles, short):
        """Refill sync: the prescriptions ``meds`` are filled together on every sync date
        since the patient enrolled (every SYNC_CYCLE days; the next one ``ahead`` days from
        today, whose appointment is in ``state``, ``cycles`` sync dates picked up before it).
        On the day of enrolment each got a short fill of ``short[med]`` days (24 to 30: never
        before the refill-too-soon date), starting where the supply on hand ran out, so that
        they all ran out on the first sync date. An appointment filled or ready was filled
        yesterday. Before enrolment, each on its own schedule."""
        last_sync = SYNC_CYCLE - ahead
        self.sync_dates = [last_sync + SYNC_CYCLE * i for i in range(cycles)]
        self.enrolled = self.sync_dates[-1] + SYNC_CYCLE
        days = ([1] if state in ('filled', 'ready') else []) + self.sync_dates + [self.enrolled]
        for rx in self.rxs:
            if rx.med in meds:
                assert rx.days == SYNC_CYCLE and not (rx.short or rx.early or rx.returned)
                rx.last = days[0]
                rx.steps = [b - a for a, b in zip(days, days[1:])] + [short[rx.med]]
                rx.short = (len(days) - 1, short[rx.med])
                rx.last_state = state if state in ('filled', 'ready') else None


def N(days, author, category, body, alert=False, visibility='all'):
    """A staff note written ``days`` ago by ``author`` (a key of STAFF). ``days`` may name the
    event the note is about: ('fill', medication key, k) the day of the k-th fill before the last
    of that prescription, ('returned', medication key, offset) the day of its fill returned to
    stock, plus offset days (negative: later)."""
    return dict(days=days, author=author, category=category, body=body, alert=alert,
                visibility=visibility)


PATIENTS = [
    # 00: the browser tests open her: an alert for all staff about her hearing, prescribers
    # with phone and fax
    Patient('Margaret', 'Holloway', 'F', '1948-03-14', 'Lewisburg', 'Penicillin (hives)', [
        Rx('levothyroxine50', 'whitfield', 340, last=6),
        Rx('atorvastatin20', 'whitfield', 330, last=6),
        Rx('lisinopril10', 'gonzalez', 300, last=6),
        Rx('alendronate70', 'whitfield', 250, last=13),
    ], notes=[
        N(210, 'technician', 'behaviour', 'Hard of hearing: face her and speak slowly. '
          'Prefers the consultation window.', alert=True),
        N(('fill', 'atorvastatin20', 3), 'pharmacist', 'clinical', 'Medication '
          'synchronization: short fills of her atorvastatin (24 days) and levothyroxine (27 '
          'days) today, so that her three daily medications are filled on the same day. '
          'Alendronate keeps its 4-week cycle.'),
        N(150, 'pharmacist', 'clinical', 'Stays on the same levothyroxine manufacturer (Sandoz): '
          'her TSH was unstable after a switch last year.'),
        N(95, 'pharmacist', 'clinical', 'Counseled on alendronate again: full glass of water, '
          'nothing else for 30 minutes, stay upright.'),
    ], late=1, contact='phone', time='morning', email=False,
        manpref=('levothyroxine50', 'sandoz', 'patient',
                 'TSH unstable after a manufacturer switch'),
        sync=dict(meds=('levothyroxine50', 'atorvastatin20', 'lisinopril10'), state='to_confirm',
                  ahead=24, cycles=3, short={'levothyroxine50': 27, 'atorvastatin20': 24,
                                             'lisinopril10': 30})),
    # 01
    Patient('James', 'Whitaker', 'M', '1955-07-02', 'Milton', 'NKDA', [
        Rx('metformin500', 'patel', 296, last=38, days=90),
        Rx('atorvastatin40', 'patel', 296, last=38, days=90),
        Rx('losartan50', 'patel', 296, last=38, days=90),
    ], notes=[
        N(300, 'technician', 'billing', 'Medicare Part D plan changed in January; new '
          'BIN/PCN and member ID on file.'),
        N(120, 'pharmacist', 'clinical', 'Asked whether to take metformin with food: yes, with '
          'breakfast and dinner to spare his stomach.'),
    ], late=3, ninety=True, contact='email', time='evening'),
    # 02
    Patient('Linda', 'Nakamura', 'F', '1962-11-20', 'Selinsgrove', 'Sulfa drugs (rash)', [
        Rx('levothyroxine75', 'okafor', 283, last=21),
        Rx('sertraline50', 'lindqvist', 247, last=17),
        Rx('omeprazole20', 'lindqvist', 247, last=70, state='on_hold', stop=55),
    ], notes=[
        N(190, 'technician', 'service', 'Works nights at the hospital; call after 2 pm only.'),
        N(55, 'pharmacist', 'clinical', 'Holding her omeprazole at her request: she is trying '
          'to stop after her GI visit. Fill again if the heartburn returns.'),
    ], late=2, contact='sms', mobile=True, time='afternoon'),
    # 03
    Patient(
        'Robert', 'Castillo', 'M', '1951-05-08', 'Sunbury', 'Codeine (nausea and vomiting)', [
            Rx('eliquis5', 'gonzalez', 318, last=12,
               early=(2, 18, 'vacation', 'Two weeks in Arizona; plan approved a vacation '
                                         'override')),
            Rx('metoprolol_er50', 'gonzalez', 318, last=12),
            Rx('tamsulosin04', 'ferreira', 203, last=26),
        ], notes=[
            N(('fill', 'eliquis5', 2), 'pharmacist', 'clinical', 'Early refill of Eliquis '
              'before his trip to Arizona (vacation override from his Part D plan).'),
            N(160, 'pharmacist', 'clinical', 'Asked about splitting his metoprolol succinate ER '
              'tablets: advised against; Dr. Gonzalez can prescribe the 25 mg strength.'),
            N(230, 'technician', 'billing', 'Eliquis copay is $47 a month under his Medicare '
              'Part D plan; he knows and pays at pickup.'),
        ], late=0, contact='phone', time='morning', email=False),
    # 04
    Patient('Patricia', 'Osei', 'F', '1970-09-15', 'Lewisburg', 'NKDA', [
        Rx('lisinopril10', 'whitfield', 346, last=108, state='discontinued', stop=92,
           reason='prescriber_change', stop_note='Dose increased to 20 mg by Dr. Whitfield.'),
        Rx('lisinopril20', 'whitfield', 92, last=15),
        Rx('hctz25', 'whitfield', 262, last=15),
        Rx('amoxicillin500', 'feldman', 160, last=159, state='discontinued', stop=149,
           reason='therapy_complete', stop_note='10-day course completed.'),
    ], notes=[
        N(85, 'pharmacist', 'clinical', 'Reported dizziness the first week after the '
          'lisinopril increase to 20 mg; Dr. Whitfield\'s office kept the dose. Better now.'),
        N(200, 'technician', 'service', 'Texts preferred; picks up on her way home from work.'),
    ], late=2, contact='sms', mobile=True, time='evening'),
    # 05: homebound, delivered
    Patient('William', 'Brandt', 'M', '1944-01-30', 'Mifflinburg', 'NKDA', [
        Rx('donepezil10', 'patel', 307, last=9),
        Rx('amlodipine5', 'patel', 307, last=9),
        Rx('furosemide20', 'gonzalez', 196, last=38, state='on_hold', stop=10),
        Rx('tamsulosin04', 'patel', 307, last=9),
    ], notes=[
        N(280, 'technician', 'service', 'Always call before delivery; the building door code '
          'is 4417.', alert=True),
        N(240, 'technician', 'service', 'His daughter Karen manages his medications and is on '
          'the HIPAA release form.'),
        N(10, 'pharmacist', 'clinical', 'Holding his furosemide: the hospital changed his '
          'diuretic dose at discharge; waiting for the new prescription from Dr. Gonzalez.'),
        N(180, 'technician', 'service', 'Prefers blister packs for his medications.'),
    ], late=0, delivery=True, contact='phone', time='afternoon', email=False),
    # 06: latex allergy, her alert says so
    Patient(
        'Barbara', 'Kowalski', 'F', '1958-06-11', 'Milton',
        'Latex (anaphylaxis); iodine contrast (hives)', [
            Rx('rosuvastatin10', 'ferreira', 334, last=24),
            Rx('losartan100', 'ferreira', 334, last=24),
            Rx('metformin_er500', 'okafor', 228, last=3),
        ], notes=[
            N(320, 'pharmacist', 'clinical', 'Severe latex allergy: no latex gloves when handling '
              'her vials; use the nitrile box.', alert=True),
            N(290, 'technician', 'billing', 'Medicare Part D plan changed in January; new BIN/PCN '
              'on file.'),
            N(120, 'pharmacist', 'clinical', 'Started metformin ER at 2 tablets with the evening '
              'meal; stomach upset has settled.'),
        ], late=2, contact='email', time='any',
        manpref=('rosuvastatin10', 'sandoz', 'insurer', 'Plan covers the Sandoz product only'),
        sync=dict(meds=('rosuvastatin10', 'losartan100', 'metformin_er500'), state='filled',
                  ahead=2, cycles=2, short={'rosuvastatin10': 26, 'losartan100': 26,
                                            'metformin_er500': 29})),
    # 07
    Patient('Richard', 'Dubois', 'M', '1966-02-22', 'Selinsgrove', 'NKDA', [
        Rx('testosterone200', 'ferreira', 153, last=20),
        Rx('atorvastatin20', 'ferreira', 312, last=27),
    ], notes=[
        N(148, 'pharmacist', 'clinical', 'Counseled on testosterone injection technique: draws '
          'up with an 18G needle, injects with a 23G 1-inch needle; sharps container given.'),
    ], late=1, contact='sms', mobile=True, time='evening'),
    # 08
    Patient('Susan', 'Ahmed', 'F', '1975-04-03', 'Sunbury', 'Penicillin (anaphylaxis)', [
        Rx('sertraline50', 'cho', 327, last=200, state='discontinued', stop=180,
           reason='prescriber_change', stop_note='Switched to escitalopram by Dr. Cho.'),
        Rx('escitalopram10', 'cho', 180, last=19),
        Rx('alprazolam05', 'cho', 118, last=29),
        Rx('montelukast10', 'yamamoto', 291, last=2),
        Rx('albuterol', 'yamamoto', 40, state='on_hold'),
    ], notes=[
        N(300, 'pharmacist', 'clinical', 'Penicillin allergy was anaphylaxis (emergency room, '
          '2015): ask the pharmacist before any cephalosporin.', alert=True),
        N(176, 'pharmacist', 'clinical', 'Dr. Cho switched her from sertraline to escitalopram; '
          'counseled on the first weeks.'),
        N(40, 'technician', 'service', 'New albuterol inhaler prescription kept on file; she '
          'still has one at home and will call.'),
    ], late=3, contact='sms', mobile=True, time='afternoon'),
    # 09: due today
    Patient('Joseph', 'MacLeod', 'M', '1949-12-05', 'Lewisburg', 'Aspirin (asthma)', [
        Rx('valsartan160', 'patel', 322, last=30),
        Rx('pravastatin40', 'patel', 322, last=14),
        Rx('gabapentin300', 'whitfield', 212, last=14),
        Rx('glimepiride2', 'okafor', 277, last=22),
    ], notes=[
        N(190, 'pharmacist', 'clinical', 'Drowsy on gabapentin the first two weeks; better '
          'now. Reminded him not to drive until he knows how it affects him.'),
        N(260, 'technician', 'billing', 'Medicare Advantage plan; pays the copay by card.'),
    ], late=1, contact='phone', time='morning', email=False),
    # 10
    Patient(
        'Dorothy', 'Reyes', 'F', '1940-08-19', 'Mifflinburg',
        'Sulfa drugs (rash); codeine (confusion)', [
            Rx('levothyroxine50', 'patel', 302, last=11),
            Rx('amlodipine10', 'patel', 302, last=140, state='discontinued', stop=125,
               reason='adverse_effect', stop_note='Ankle swelling; Dr. Patel stopped it.'),
            Rx('losartan50', 'patel', 125, last=11),
            Rx('alendronate70', 'whitfield', 258, last=11),
        ], notes=[
            N(124, 'pharmacist', 'clinical', 'Ankle swelling on amlodipine; Dr. Patel stopped it '
              'and started losartan.'),
            N(230, 'technician', 'service', 'Her daughter picks up on Fridays and is on the HIPAA '
              'release form.'),
        ], late=0, contact='phone', time='morning', email=False),
    # 11: brand only, commercial plan
    Patient('Charles', 'Lindgren', 'M', '1968-10-01', 'Milton', 'NKDA', [
        Rx('januvia100', 'okafor', 289, last=16),
        Rx('lipitor20', 'okafor', 289, last=16),
        Rx('ramipril5', 'okafor', 289, last=16),
    ], notes=[
        N(290, 'technician', 'billing', 'Januvia savings card on file (commercial plan): run '
          'it as secondary at each fill.', alert=True),
        N(250, 'pharmacist', 'service', 'Wants brand Lipitor and Januvia only; Dr. Okafor '
          'writes "dispense as written".'),
    ], late=2, generic='brand_only', contact='email', time='evening',
        sync=dict(meds=('januvia100', 'lipitor20', 'ramipril5'), state='ready', ahead=1,
                  cycles=2, short={'januvia100': 25, 'lipitor20': 25, 'ramipril5': 28})),
    # 12: ready for pickup for more than a week
    Patient('Nancy', 'Okonkwo', 'F', '1968-03-27', 'Sunbury', 'Iodine contrast (hives)', [
        Rx('losartan50', 'lindqvist', 275, last=10, uncollected=True),
        Rx('hctz25', 'lindqvist', 275, last=10, uncollected=True),
        Rx('atorvastatin10', 'lindqvist', 275, last=33),
        Rx('zolpidem5', 'lindqvist', 141, last=40, refills=2),
    ], notes=[
        N(139, 'pharmacist', 'clinical', 'Counseled on zolpidem: take it only when she can stay '
          'in bed 7 to 8 hours; no driving the next morning if drowsy.'),
        N(7, 'technician', 'service', 'Left a voicemail: losartan and hydrochlorothiazide ready '
          'since last week.'),
    ], late=5, contact='phone', time='evening'),
    # 13: young adult on a schedule II stimulant, and strep throat this week
    Patient('Daniel', 'Fischer', 'M', '1993-09-09', 'Lewisburg', 'NKDA', [
        Rx('amphetamine20', 'cho', 26, last=24),
        Rx('amoxicillin500', 'whitfield', 4, last=4),
    ], notes=[
        N(24, 'pharmacist', 'clinical', 'PDMP checked before the amphetamine fill: one '
          'prescriber, one pharmacy.', visibility='pharmacist'),
        N(60, 'technician', 'service', 'Dr. Cho sends a new amphetamine prescription each month '
          '(schedule II: no refills).'),
    ], late=1, contact='sms', mobile=True, time='evening'),
    # 14
    Patient('Karen', 'Sullivan', 'F', '1957-12-12', 'Selinsgrove', 'Penicillin (rash)', [
        Rx('metoprolol_er50', 'gonzalez', 331, last=25),
        Rx('lisinopril10', 'gonzalez', 331, last=25),
        Rx('simvastatin20', 'gonzalez', 331, last=170, state='discontinued', stop=150,
           reason='adverse_effect', stop_note='Muscle aches; switched to rosuvastatin.'),
        Rx('rosuvastatin10', 'gonzalez', 150, last=25),
    ], notes=[
        N(149, 'pharmacist', 'clinical', 'Muscle aches on simvastatin; Dr. Gonzalez switched '
          'her to rosuvastatin. Aches gone at the next refill.'),
        N(270, 'technician', 'billing', 'Medicare Part D through her former employer\'s '
          'retiree plan.'),
    ], late=2, contact='email', time='any',
        sync=dict(meds=('metoprolol_er50', 'lisinopril10', 'rosuvastatin10'), state='confirmed',
                  ahead=0, cycles=2, short={'metoprolol_er50': 30, 'lisinopril10': 25,
                                            'rosuvastatin10': 27})),
    # 15: knee surgery, disclosed opioid history
    Patient('Paul', 'Novak', 'M', '1972-06-30', 'Milton', 'NKDA', [
        Rx('oxycodone5', 'brennan', 46, last=45, state='discontinued', stop=40,
           reason='therapy_complete', stop_note='5-day supply after knee arthroscopy.'),
        Rx('lisinopril20', 'whitfield', 293, last=1),
        Rx('atorvastatin40', 'whitfield', 293, last=1),
    ], notes=[
        N(250, 'pharmacist', 'clinical', 'History of opioid misuse disclosed to the pharmacist; '
          'check the PDMP and talk to him before any opioid fill.', alert=True,
          visibility='pharmacist'),
        N(45, 'pharmacist', 'clinical', 'Called Hannah Brennan, PA-C before filling oxycodone '
          'after his knee surgery: she knows his history; 5-day supply agreed with him.',
          visibility='pharmacist'),
    ], late=2, contact='sms', mobile=True, time='evening'),
    # 16: overdue
    Patient('Betty', 'Harrington', 'F', '1946-02-14', 'Lewisburg', 'NKDA', [
        Rx('pravastatin40', 'whitfield', 305, last=41),
        Rx('amlodipine5', 'whitfield', 305, last=41),
        Rx('omeprazole20', 'whitfield', 305, last=18),
    ], notes=[
        N(160, 'manager', 'behaviour', 'Became upset about wait times twice; offer a text when '
          'ready instead.', alert=True),
        N(5, 'technician', 'service', 'Called about her pravastatin and amlodipine, due two '
          'weeks ago: no answer, left a voicemail.'),
    ], late=6, contact='sms', mobile=True, time='morning'),
    # 17: chronic back pain, pain contract
    Patient('Mark', 'Esposito', 'M', '1964-08-08', 'Sunbury', 'NKDA', [
        Rx('tramadol50', 'adeyemi', 110, last=8, refills=5),
        Rx('pregabalin75', 'adeyemi', 110, last=8),
        Rx('lisinopril10', 'ferreira', 316, last=19, returned=(3,)),
    ], notes=[
        N(108, 'pharmacist', 'clinical', 'Pain agreement with Dr. Adeyemi on file: tramadol and '
          'pregabalin filled at this pharmacy only.', visibility='pharmacist'),
        N(('returned', 'lisinopril10', -10), 'technician', 'service', 'Forgot his lisinopril '
          'once: returned to stock after 10 days; prefers a text reminder.'),
    ], late=3, contact='sms', mobile=True, time='afternoon'),
    # 18
    Patient('Sandra', 'Tran', 'F', '1979-01-25', 'Mifflinburg', 'Sulfa drugs (hives)', [
        Rx('levothyroxine75', 'okafor', 264, last=13),
        Rx('escitalopram10', 'lindqvist', 199, last=13),
        Rx('montelukast10', 'yamamoto', 336, last=27),
    ], notes=[
        N(240, 'pharmacist', 'clinical', 'Takes levothyroxine at 6 am and her other medicines '
          'after breakfast; keep calcium and iron 4 hours apart.'),
    ], late=1, contact='email', time='morning'),
    # 19: refills run out: renewal requests
    Patient('George', 'Abernathy', 'M', '1953-04-17', 'Milton', 'NKDA', [
        Rx('metformin500', 'ferreira', 200, last=22, refills=5),
        Rx('glipizide5', 'ferreira', 349, last=22),
        Rx('atorvastatin40', 'ferreira', 355, last=22),
        Rx('lisinopril20', 'ferreira', 355, last=22),
    ], notes=[
        N(3, 'technician', 'service', 'Faxed a renewal request for his metformin to Dr. '
          'Ferreira: no refills left.'),
        N(140, 'pharmacist', 'clinical', 'Asked for a glucose meter covered by his plan: '
          'Medicare Part B covers it with a prescription; called Dr. Ferreira.'),
    ], late=2, contact='phone', time='afternoon', email=False),
    # 20: ready for pickup for almost two weeks
    Patient('Helen', 'Morales', 'F', '1961-07-07', 'Selinsgrove', 'NKDA', [
        Rx('losartan50', 'lindqvist', 298, last=12, uncollected=True),
        Rx('metformin500', 'lindqvist', 298, last=12, uncollected=True),
        Rx('rosuvastatin10', 'lindqvist', 298, last=31),
    ], notes=[
        N(280, 'technician', 'service', 'Prefers Spanish; her son translates on the phone. '
          'Spanish labels requested.'),
        N(4, 'technician', 'service', 'Texted twice: losartan and metformin ready since last '
          'week.'),
    ], late=4, contact='sms', mobile=True, time='evening'),
    # 21: moved away; her prescriptions were transferred out
    Patient('Kimberly', 'Park', 'F', '1987-03-03', 'Lewisburg', 'NKDA', [
        Rx('sertraline50', 'cho', 244, last=33, state='discontinued', stop=20,
           reason='transferred', stop_note='Transferred to a pharmacy in Pittsburgh.'),
        Rx('montelukast10', 'yamamoto', 301, last=40, state='discontinued', stop=20,
           reason='transferred', stop_note='Transferred to a pharmacy in Pittsburgh.'),
    ], notes=[
        N(20, 'pharmacist', 'service', 'Moved to Pittsburgh: sertraline and montelukast '
          'transferred to her new pharmacy at her request.'),
    ], late=2, contact='email', time='any', state='transferred'),
    # 22: overdue, late by habit
    Patient('Carol', 'Fitzgerald', 'F', '1950-10-10', 'Mifflinburg', 'Codeine (nausea)', [
        Rx('alendronate70', 'whitfield', 279, last=37),
        Rx('levothyroxine50', 'whitfield', 279, last=39),
        Rx('losartan50', 'whitfield', 279, last=39),
    ], notes=[
        N(110, 'technician', 'service', 'Often a week late for refills; call her the day '
          'before they are due.'),
    ], late=7, contact='phone', time='morning', email=False),
    # 23: dental extraction two weeks ago
    Patient('Steven', 'Obi', 'M', '1974-05-19', 'Sunbury', 'NKDA', [
        Rx('metformin500', 'whitfield', 240, last=20),
        Rx('atorvastatin20', 'whitfield', 240, last=20),
        Rx('amoxicillin500', 'feldman', 13, last=12, days=7, state='discontinued', stop=5,
           reason='therapy_complete', stop_note='7-day course completed.'),
        Rx('hydrocodone_apap', 'feldman', 13, last=12, state='discontinued', stop=9,
           reason='therapy_complete', stop_note='3-day supply after the extraction.'),
    ], notes=[
        N(12, 'pharmacist', 'clinical', 'Counseled on hydrocodone/APAP after his extraction: '
          'no other acetaminophen, no alcohol, no driving.'),
    ], late=2, contact='email', time='evening'),
    # 24 (first: brought her own supply when she moved here; keeps the demo's count of fills,
    # see DEMO_FILLS)
    Patient(
        'Ruth', 'Jablonski', 'F', '1942-09-23', 'Lewisburg',
        'Penicillin (hives); sulfa drugs (rash)', [
            Rx('eliquis5', 'gonzalez', 309, last=7, first=280),
            Rx('metoprolol_er50', 'gonzalez', 309, last=7, first=285),
            Rx('donepezil10', 'patel', 221, last=7, first=215),
        ], notes=[
            N(200, 'technician', 'service', 'Lives alone; her neighbor Mrs. Kline picks up '
              'when she cannot and is on the HIPAA release form.'),
            N(90, 'pharmacist', 'clinical', 'Reviewed bleeding signs on Eliquis with her and her '
              'neighbor; she uses an electric razor.'),
        ], late=0, contact='phone', time='morning', email=False),
]


# --- XML helpers ------------------------------------------------------------------------------

# the pharmacy's date today (its time zone), never the server's: see pharmacy_today()
TODAY = "DateTime.now(pytz.timezone('%s'))" % TZ


def days_ago(n):
    return "(%s - timedelta(days=%d)).strftime('%%Y-%%m-%%d')" % (TODAY, n)


def local_time(n, hour, minute):
    """The UTC datetime, as Odoo stores it, of hour:minute in the pharmacy's time zone n days
    ago (n >= 1: never in the future, whatever the server's time zone)."""
    return ("pytz.timezone('%s').localize((%s - timedelta(days=%d)).replace(tzinfo=None, "
            "hour=%d, minute=%d, second=0, microsecond=0)).astimezone(pytz.utc).strftime("
            "'%%Y-%%m-%%d %%H:%%M:%%S')" % (TZ, TODAY, n, hour, minute))


def field(name, value=None, ref=None, eval_=None):
    if ref:
        return '        <field name="%s" ref="%s"/>' % (name, ref)
    if eval_ is not None:
        return '        <field name="%s" eval="%s"/>' % (name, escape(eval_, {'"': '&quot;'}))
    return '        <field name="%s">%s</field>' % (name, escape(str(value)))


CONTEXT = "{'tracking_disable': True}"


def record(model, xmlid, *fields, context=None):
    context = ' context="%s"' % context if context else ''
    return '\n'.join(['    <record id="%s" model="%s"%s>' % (xmlid, model, context)]
                     + list(fields) + ['    </record>'])


def function(model, name, *values):
    return '\n'.join(['    <function model="%s" name="%s">' % (model, name)]
                     + ['        <value %s/>' % v for v in values] + ['    </function>'])


def value(eval_, model=None):
    model = 'model="%s" ' % model if model else ''
    return '%seval="%s"' % (model, escape(eval_, {'"': '&quot;'}))


def comment(text):
    return '\n    <!-- %s -->' % text


def number(value):
    return repr(int(value)) if float(value).is_integer() else repr(round(value, 2))


# --- identifiers ------------------------------------------------------------------------------

_ndcs = set()


def ndc(labeler, i):
    """A well-formed NDC of the labeler: 4-4-2 for a 4-digit labeler code, else alternately
    5-3-2, 5-4-1 and the 11-digit form. Unique once normalised to 5-4-2."""
    while True:
        product, package = rnd.randint(100, 999), rnd.choice([1, 3, 5, 9])
        if len(labeler) == 4:
            text, norm = '%s-%04d-%02d' % (labeler, product * 10 + package, package * 10), \
                '0%s%04d%02d' % (labeler, product * 10 + package, package * 10)
        else:
            text, norm = [
                ('%s-%03d-%02d' % (labeler, product, package * 10),
                 '%s0%03d%02d' % (labeler, product, package * 10)),
                ('%s-%04d-%d' % (labeler, product * 10 + 1, package),
                 '%s%04d0%d' % (labeler, product * 10 + 1, package)),
                ('%s%04d%02d' % (labeler, product * 10 + 7, package * 10),
                 '%s%04d%02d' % (labeler, product * 10 + 7, package * 10))][i % 3]
        if norm not in _ndcs:
            _ndcs.add(norm)
            return text


def npi():
    body = str(rnd.randint(1, 2)) + ''.join(str(rnd.randint(0, 9)) for _ in range(8))
    return body + luhn.calc_check_digit('80840' + body)


def dea(last_name, credential):
    first = 'M' if credential in ('NP', 'PA-C') else rnd.choice('ABF')
    digits = ''.join(str(rnd.randint(0, 9)) for _ in range(6))
    return '%s%s%s%d' % (first, last_name[0], digits, identifiers.dea_check_digit(digits))


def phone(n):
    """Fictional: 555-0100 to 555-0199 are reserved for fiction in every US area code."""
    assert 0 <= n <= 99
    return '(570) 555-01%02d' % n


# --- fill histories ---------------------------------------------------------------------------

def eligible_gap(days):
    """Days after a fill before a payer pays the next: ceil(days supply x threshold)."""
    return math.ceil(round(days * THRESHOLD, 6))


def fill_history(rx, patient):
    """The fills of ``rx``, oldest first: dicts with day (days ago), days, quantity, state,
    pickup (days ago), early (reason, note) and returned. Generated from the last fill back."""
    if rx.last is None:
        return []
    newest_first, day, k = [], rx.last, 0
    while True:
        days = rx.short[1] if rx.short and rx.short[0] == k else rx.days
        newest_first.append({'day': day, 'days': days, 'k': k})
        if len(newest_first) == rx.refills + 1:
            break
        older_days = rx.short[1] if rx.short and rx.short[0] == k + 1 else rx.days
        returned = k in rx.returned
        if rx.steps and k < len(rx.steps):   # refill sync: the sync dates, then the enrolment
            rnd.randint(-2, 3)                 # (drawn all the same: the same stream after)
            step = rx.steps[k]
        elif rx.early and rx.early[0] == k:
            step = rx.early[1]
            newest_first[-1]['early'] = rx.early[2:]
        elif returned:
            step = older_days + rnd.randint(14, 18)
        elif rx.short and rx.short[0] == k + 1:
            step = older_days              # a short fill aligns exactly
        else:
            # never before the supply on hand ran out (it would carry over and move the due
            # date the profile chose), except the early refill of ``early``
            step = older_days + max(0, min(12, patient.late + rnd.randint(-2, 3)))
            step = max(step, eligible_gap(older_days) + 1)
            if rx.early and rx.early[0] == k + 1:   # the fill after an early one: its days
                step += rx.days - rx.early[1]       # on hand carried over
        if day + step > (rx.first or rx.written):
            break
        if returned:   # filled when due, never picked up, returned; the patient came later
            newest_first.append({'day': day + step - older_days, 'days': rx.days, 'k': None,
                                 'returned': True})
        day += step
        k += 1
    fills = list(reversed(newest_first))
    for fill in fills:
        fill['quantity'] = rx.quantity_for(fill['days'])
        if fill.get('returned'):
            fill['state'] = 'returned'
            continue
        delay = rnd.choice([0, 1] if patient.delivery else [0, 0, 0, 1, 1, 2, 3])
        if fill['k'] == 0 and rx.uncollected:
            fill['state'] = 'ready'
        elif fill['k'] == 0 and rx.last_state:
            fill['state'] = rx.last_state
        elif rx.steps and fill['k'] is not None and fill['k'] < len(rx.steps):
            fill['state'], fill['pickup'] = 'picked_up', fill['day']   # picked up that day
        elif fill['day'] - delay >= 1:
            fill['state'], fill['pickup'] = 'picked_up', fill['day'] - delay
        else:
            fill['state'] = 'ready'
    return fills


def check_history(rx, fills):
    """The server's rules, asserted here so that a bad profile fails before Odoo loads it."""
    counted = [f for f in fills if f['state'] != 'returned']
    assert len(counted) <= rx.refills + 1, (rx.med, len(counted), rx.refills)
    previous = None
    for fill in fills:
        assert 1 <= fill['day'] <= rx.written, (rx.med, fill, rx.written)
        assert fill.get('pickup', fill['day']) <= fill['day']
        if rx.stop is not None:
            assert fill['day'] >= rx.stop, (rx.med, fill['day'], rx.stop)
        if previous and previous['day'] - fill['day'] < eligible_gap(previous['days']):
            assert fill.get('early'), (rx.med, previous, fill)
        if fill['state'] != 'returned':
            previous = fill


# --- the file ---------------------------------------------------------------------------------

def company_records():
    return [
        comment('The pharmacy: an independent pharmacy in Pennsylvania, in US dollars.'),
        record('res.currency', 'base.USD', field('active', eval_='True')),
        record('res.company', 'base.main_company',
               field('name', COMPANY['name']), field('currency_id', ref='base.USD'),
               field('street', COMPANY['street']), field('city', COMPANY['city']),
               field('zip', COMPANY['zip']), field('state_id', ref=PA),
               field('country_id', ref='base.us'), field('phone', COMPANY['phone']),
               field('email', COMPANY['email']), field('website', COMPANY['website'])),
        record('res.partner', 'base.main_partner', field('fax', COMPANY['fax']),
               field('tz', TZ)),
        comment("Odoo's demo user and administrator work here, not at YourCompany in Belgium."),
        record('res.partner', 'base.partner_demo', field('company_name', COMPANY['name']),
               field('street', COMPANY['street']), field('city', COMPANY['city']),
               field('zip', COMPANY['zip']), field('state_id', ref=PA),
               field('country_id', ref='base.us')),
        record('res.partner', 'base.partner_root', field('company_name', COMPANY['name'])),
    ]


def catalog_records():
    out = [comment('Manufacturers and the catalog.')]
    for i, (_key, name, _labeler) in enumerate(MANUFACTURERS):
        out.append(record('res.partner', 'demo_manufacturer_%d' % i, field('name', name),
                          field('is_company', eval_='True'), field('customer', eval_='False'),
                          field('supplier', eval_='True'), field('country_id', ref='base.us')))
    for i, (key, name, generic, strength, form, kind, klass, maint, sched, man) in enumerate(
            MEDICATIONS):
        assert key in REGIMENS, key
        out.append(record(
            'pharmacy.medication', 'demo_medication_%02d' % i, field('name', name),
            field('generic_name', generic), field('strength', strength),
            field('dosage_form', form), field('drug_type', kind),
            field('therapeutic_class_id', ref='therapeutic_class_%s' % klass), field('is_maintenance', eval_=str(bool(maint))),
            field('schedule', sched),
            field('manufacturer_id', ref='demo_manufacturer_%d' % MAN[man]),
            field('ndc', ndc(MANUFACTURERS[MAN[man]][2], i))))
    out.append(comment('Prescribers of the area.'))
    npis = set()
    for i, (_key, first, last, cred, spec, city) in enumerate(PRESCRIBERS):
        number_ = npi()
        assert number_ not in npis and number_ != '1234567893'
        npis.add(number_)
        fields_ = [field('name', '%s %s, %s' % (first, last, cred)),
                   field('is_prescriber', eval_='True'), field('customer', eval_='False'),
                   field('prescriber_specialty', spec), field('npi', number_),
                   field('dea_number', dea(last, cred)),
                   field('phone', phone(40 + i)), field('fax', phone(60 + i)),
                   field('street', '%d %s' % (rnd.randint(10, 990), rnd.choice(STREETS))),
                   field('city', city), field('zip', CITIES[city]), field('state_id', ref=PA),
                   field('country_id', ref='base.us')]
        if cred in ('MD', 'DO', 'DDS'):
            fields_.append(field('title', ref='base.res_partner_title_doctor'))
        out.append(record('res.partner', 'demo_prescriber_%d' % i, *fields_))
    return out


def note_day(days, histories):
    """Days ago of a note: a number, or the event it is about (see ``N``)."""
    if isinstance(days, int):
        return days
    kind, med, arg = days
    fills = histories[med]
    if kind == 'fill':
        return [f for f in fills if f['state'] != 'returned'][-1 - arg]['day']
    day = [f for f in fills if f['state'] == 'returned'][0]['day'] + arg
    assert day >= 1
    return day


RX_IDS = {}     # (patient index, medication key) -> xml id of the prescription
FILL_IDS = {}   # (patient index, medication key, days ago) -> xml id of its counted fill


def patient_records():
    """Patients, prescriptions (numbered in the order written), fills, states, notes, consents."""
    out, stats = [], {'fills': 0, 'prescriptions': 0, 'notes': 0}
    all_rx = [(rx.written, p, j) for p, patient in enumerate(PATIENTS)
              for j, rx in enumerate(patient.rxs)]
    rx_numbers = {(p, j): RX_START + n for n, (_w, p, j) in enumerate(
        sorted(all_rx, key=lambda t: (-t[0], t[1], t[2])))}
    fill_seq = note_seq = 0
    for p, patient in enumerate(PATIENTS):
        pid = 'demo_patient_%02d' % p
        out.append(comment('%02d %s %s' % (p, patient.first, patient.last)))
        street = '%d %s' % (rnd.randint(10, 990), rnd.choice(STREETS))
        fields_ = [
            field('name', '%s %s' % (patient.first, patient.last)),
            field('title', ref='base.res_partner_title_%s' % (
                'mister' if patient.sex == 'M' else 'madam')),
            field('is_patient', eval_='True'), field('customer', eval_='True'),
            field('patient_state', 'active'),   # who leaves does so after their fills
            field('birthdate_date', patient.birthdate),
            field('street', street), field('city', patient.city),
            field('zip', CITIES[patient.city]), field('state_id', ref=PA),
            field('country_id', ref='base.us'), field('phone', phone(10 + p)),
            field('allergies', patient.allergies),
            field('generic_preference', patient.generic),
            field('prefers_90_day_supply', eval_=str(patient.ninety)),
            field('fulfillment_method', 'delivery' if patient.delivery else 'pickup'),
            field('easy_open_caps', eval_=str(patient.birthdate < '1952')),
            field('large_print_labels', eval_=str(patient.birthdate < '1947')),
            field('preferred_contact_channel', patient.contact),
            field('preferred_contact_time', patient.time)]
        if patient.email:
            fields_.append(field('email', '%s.%s@example.com' % (
                patient.first.lower(), patient.last.lower())))
        if patient.mobile:
            fields_.append(field('mobile', phone(75 + p)))
        out.append(record('res.partner', pid, *fields_, context=CONTEXT))

        later = []   # states given after every fill
        histories = {}
        for j, rx in enumerate(patient.rxs):
            number_ = rx_numbers[(p, j)]
            rxid = 'demo_rx_%d' % number_
            stats['prescriptions'] += 1
            out.append(record(
                'pharmacy.patient.medication', rxid, field('patient_id', ref=pid),
                field('medication_id', ref='demo_medication_%02d' % MED[rx.med]),
                field('prescriber_id', ref='demo_prescriber_%d' % DOC[rx.doc]),
                field('rx_number', str(number_)), field('dose', rx.dose), field('sig', rx.sig),
                field('quantity', eval_=number(rx.quantity_for(rx.days))),
                field('days_supply', eval_=str(rx.days)),
                field('refills_authorized', eval_=str(rx.refills)),
                field('date_written', eval_=days_ago(rx.written)), field('state', 'active'),
                context=CONTEXT))
            fills = fill_history(rx, patient)
            check_history(rx, fills)
            histories[rx.med] = fills
            early_fills = []
            for fill in fills:
                fill_seq += 1
                fid = 'demo_fill_%04d' % fill_seq
                fields_ = [field('prescription_id', ref=rxid),
                           field('fill_date', eval_=days_ago(fill['day'])),
                           field('quantity', eval_=number(fill['quantity'])),
                           field('days_supply', eval_=str(fill['days'])),
                           field('state', fill['state'])]
                if 'pickup' in fill:
                    fields_.append(field('pickup_date', eval_=days_ago(fill['pickup'])))
                if fill.get('early'):
                    fields_ += [field('early_refill_reason', fill['early'][0]),
                                field('early_refill_note', fill['early'][1])]
                    early_fills.append(fid)
                out.append(record('pharmacy.fill', fid, *fields_))
                if fill['state'] != 'returned':
                    FILL_IDS[(p, rx.med, fill['day'])] = fid
            RX_IDS[(p, rx.med)] = rxid
            stats['fills'] += len(fills)
            for fid in early_fills:   # the demo pharmacist allowed it
                out.append(function(
                    'pharmacy.fill', '_write', value("[ref('%s')]" % fid),
                    value("{'early_refill_by': ref('%s')}" % STAFF['pharmacist'])))
            if rx.state != 'active':
                fields_ = [field('state', rx.state)]
                if rx.state == 'discontinued':
                    fields_ += [field('discontinue_reason', rx.reason),
                                field('discontinue_date', eval_=days_ago(rx.stop)),
                                field('discontinue_note', rx.stop_note)]
                later.append(record('pharmacy.patient.medication', rxid, *fields_,
                                    context=CONTEXT))
        out += later

        for note in patient.notes:
            note['day'] = note_day(note['days'], histories)
        for note in sorted(patient.notes, key=lambda n: -n['day']):
            note_seq += 1
            stats['notes'] += 1
            nid = 'demo_note_%03d' % note_seq
            fields_ = [field('patient_id', ref=pid), field('category', note['category']),
                       field('body', note['body'])]
            if note['alert']:
                fields_.append(field('is_alert', eval_='True'))
            if note['visibility'] != 'all':
                fields_.append(field('visibility', note['visibility']))
            out.append(record('pharmacy.patient.note', nid, *fields_, context=CONTEXT))
            author = STAFF[note['author']]
            when = local_time(note['day'], rnd.randint(9, 17), rnd.choice([0, 15, 30, 45]))
            out.append(function(
                'pharmacy.patient.note', '_write', value("[ref('%s')]" % nid),
                value("{'author_id': ref('%s'), 'create_uid': ref('%s'), 'date': %s, "
                      "'create_date': %s}" % (author, author, when, when))))

        first_seen = max([rx.written for rx in patient.rxs]) + rnd.randint(2, 20)
        answered = min(first_seen, 400)
        for channel, purpose, state in [
                ('sms', 'treatment', 'granted' if patient.mobile else 'not_asked'),
                ('phone', 'treatment', 'granted'),
                ('email', 'marketing', ('granted' if p % 3 else 'refused') if patient.email
                 else 'not_asked')]:
            fields_ = [field('patient_id', ref=pid), field('channel', channel),
                       field('purpose', purpose), field('state', state)]
            if state != 'not_asked':
                fields_ += [field('date', eval_=days_ago(answered)),
                            field('source', 'in_store' if channel != 'email' else 'form')]
            out.append(record('pharmacy.consent', 'demo_consent_%02d_%s_%s' % (
                p, channel, purpose), *fields_, context=CONTEXT))
        if patient.manpref:
            med, man, by, note = patient.manpref
            out.append(record('pharmacy.manufacturer.preference', 'demo_manpref_%02d' % p,
                              field('patient_id', ref=pid),
                              field('medication_id', ref='demo_medication_%02d' % MED[med]),
                              field('manufacturer_id', ref='demo_manufacturer_%d' % MAN[man]),
                              field('required_by', by), field('note', note)))
        if patient.state != 'active':
            out.append(record('res.partner', pid, field('patient_state', patient.state),
                              context=CONTEXT))
    return out, stats


# --- refill sync (pharmacy_crm_sync's demo) -----------------------------------------------

# enrolled 90 days ago on a 28-day cycle, one appointment missed, one cancelled, dropped out:
# prefers to come in for each prescription
DROPPED = 9


def sync_records():
    """pharmacy_crm_sync's demo: the enrolments of the patients with a ``sync`` profile, their
    past sync appointments picked up (each line with the fill picked up that day, confirmed by
    the technician two days before), the coming one in the state of the profile (to confirm;
    confirmed; filled or ready with yesterday's fills), and a patient who dropped out (a missed
    and a cancelled appointment, no fill). The sync dates are 30 days apart from the next one
    (a cycle anchored on it), so that they are the same days whatever the day of install."""
    ref = "ref('pharmacy_crm.%s')"
    tech = STAFF['technician']
    out = [comment('Refill sync: the synced prescriptions (a function: the prescriptions are '
                   'in a noupdate file of pharmacy_crm)')]
    synced = [RX_IDS[(p, med)] for p, patient in enumerate(PATIENTS) if patient.sync
              for med in patient.sync['meds']]
    out.append(function('pharmacy.patient.medication', 'write',
                        value('[%s]' % ', '.join(ref % rxid for rxid in synced)),
                        value("{'sync_opt_in': True}")))
    for p, patient in enumerate(PATIENTS):
        if not patient.sync:
            continue
        sync = patient.sync
        rxids = [RX_IDS[(p, med)] for med in sync['meds']]
        eid = 'demo_sync_enrollment_%02d' % p
        out.append(comment('%02d %s %s: enrolled %d days ago, next sync in %d days (%s)' % (
            p, patient.first, patient.last, patient.enrolled, sync['ahead'], sync['state'])))
        out.append(record(
            'pharmacy.sync.enrollment', eid,
            field('patient_id', ref='pharmacy_crm.demo_patient_%02d' % p),
            field('sync_rule', 'cycle'), field('anchor_date', eval_=days_ago(-sync['ahead'])),
            field('cycle_days', eval_=str(SYNC_CYCLE)),
            field('anchor_prescription_id', ref='pharmacy_crm.%s' % rxids[0]),
            field('enrolled_on', eval_=days_ago(patient.enrolled)),
            field('consent_source', 'in_store'), context=CONTEXT))
        past = [(day, 'picked_up', 'demo_sync_appointment_%02d_%d' % (p, n))
                for n, day in enumerate(reversed(patient.sync_dates), 1)]
        current = (-sync['ahead'], sync['state'], 'demo_sync_appointment_%02d' % p)
        for day, state, aid in past + [current]:
            out.append(record('pharmacy.sync.appointment', aid, field('enrollment_id', ref=eid),
                              field('date', eval_=days_ago(day)), field('state', state),
                              context=CONTEXT))
            filled_on = day if state == 'picked_up' else 1
            for i, med in enumerate(sync['meds']):
                lid = '%s_line_%d' % (aid, i)
                out.append(record('pharmacy.sync.appointment.line', lid,
                                  field('appointment_id', ref=aid),
                                  field('prescription_id', ref='pharmacy_crm.%s' % rxids[i])))
                if state in ('picked_up', 'filled', 'ready'):   # the fill of that sync date
                    out.append(function('pharmacy.sync.appointment.line', '_write',
                                        value("[ref('%s')]" % lid), value(
                                            "{'fill_id': %s}" % (ref % FILL_IDS[
                                                (p, med, filled_on)]))))
            if state != 'to_confirm':   # the call two days before (today if later)
                out.append(function('pharmacy.sync.appointment', '_write',
                                    value("[ref('%s')]" % aid), value(
                                        "{'confirmed_by': ref('%s'), 'confirmed_on': %s}" % (
                                            tech, days_ago(max(day + 2, 0))))))
    patient = PATIENTS[DROPPED]
    eid = 'demo_sync_enrollment_%02d' % DROPPED
    out.append(comment('%02d %s %s: dropped out' % (DROPPED, patient.first, patient.last)))
    out.append(record(
        'pharmacy.sync.enrollment', eid,
        field('patient_id', ref='pharmacy_crm.demo_patient_%02d' % DROPPED),
        field('sync_rule', 'cycle'), field('anchor_date', eval_=days_ago(90)),
        field('cycle_days', eval_='28'), field('enrolled_on', eval_=days_ago(90)),
        field('consent_source', 'phone'), field('state', 'dropped'),
        field('dropout_reason', 'patient_request'),
        field('dropout_note', 'Prefers to come in for each prescription.'), context=CONTEXT))
    rxids = [RX_IDS[(DROPPED, med)] for med in ('valsartan160', 'pravastatin40')]
    for day, state in ((62, 'missed'), (34, 'cancelled')):
        aid = 'demo_sync_appointment_%02d_%s' % (DROPPED, state)
        out.append(record('pharmacy.sync.appointment', aid, field('enrollment_id', ref=eid),
                          field('date', eval_=days_ago(day)), field('state', state),
                          field('line_ids', eval_='[%s]' % ', '.join(
                              "(0, 0, {'prescription_id': %s})" % (ref % rxid)
                              for rxid in rxids)),
                          context=CONTEXT))
    out.append(comment('what the daily scheduled action does: each enrolled patient\'s next '
                       'appointment (none here: each has one to come)'))
    out.append('    <function model="pharmacy.sync.enrollment" '
               'name="_cron_schedule_appointments"/>')
    return out


def write(path, out):
    with open(path, 'w') as fp:
        fp.write('<?xml version="1.0" encoding="utf-8"?>\n'
                 '<!-- Generated by scripts/generate_demo.py: edit the generator, not this '
                 'file. -->\n<odoo>\n%s\n</odoo>\n' % '\n'.join(out))


def main():
    out = company_records() + catalog_records()
    patients, stats = patient_records()
    out += patients
    assert stats['fills'] == DEMO_FILLS, (stats['fills'], DEMO_FILLS)
    write(OUT, out)
    print('%s: %d patients, %d prescriptions, %d fills, %d notes' % (
        OUT, len(PATIENTS), stats['prescriptions'], stats['fills'], stats['notes']))
    write(OUT_SYNC, sync_records())
    print('%s: %d enrolments' % (OUT_SYNC, sum(1 for p in PATIENTS if p.sync) + 1))


if __name__ == '__main__':
    main()
