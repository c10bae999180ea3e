"""Write pharmacy_crm/demo/pharmacy_demo.xml: a year of a small pharmacy, deterministic.

Run with the project's virtualenv: `.venv/bin/python scripts/generate_demo.py`. Dates in the
XML are relative to the day the demo is installed, so the profile always looks current.
Identifiers are valid by construction (NPI Luhn, DEA check digit, NDC formats) and checked
again by the models' constraints at install.
"""
import importlib.util
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
rnd = random.Random(20261123)

MANUFACTURERS = ['Teva Pharmaceuticals', 'Viatris', 'Sandoz', 'Aurobindo Pharma', 'Lupin',
                 'Pfizer', 'Merck', 'AstraZeneca']
# name, generic, strength, form, type, class, maintenance, schedule, manufacturer index
MEDICATIONS = [
    ('Atorvastatin', 'atorvastatin', '10 mg', 'tablet', 'generic', 'statin', 1, 'none', 0),
    ('Atorvastatin', 'atorvastatin', '20 mg', 'tablet', 'generic', 'statin', 1, 'none', 0),
    ('Atorvastatin', 'atorvastatin', '40 mg', 'tablet', 'generic', 'statin', 1, 'none', 3),
    ('Lipitor', 'atorvastatin', '20 mg', 'tablet', 'brand', 'statin', 1, 'none', 5),
    ('Simvastatin', 'simvastatin', '20 mg', 'tablet', 'generic', 'statin', 1, 'none', 4),
    ('Rosuvastatin', 'rosuvastatin', '10 mg', 'tablet', 'generic', 'statin', 1, 'none', 2),
    ('Crestor', 'rosuvastatin', '10 mg', 'tablet', 'brand', 'statin', 1, 'none', 7),
    ('Pravastatin', 'pravastatin', '40 mg', 'tablet', 'generic', 'statin', 1, 'none', 0),
    ('Lisinopril', 'lisinopril', '10 mg', 'tablet', 'generic', 'ras_antagonist', 1, 'none', 4),
    ('Lisinopril', 'lisinopril', '20 mg', 'tablet', 'generic', 'ras_antagonist', 1, 'none', 3),
    ('Losartan', 'losartan', '50 mg', 'tablet', 'generic', 'ras_antagonist', 1, 'none', 1),
    ('Losartan', 'losartan', '100 mg', 'tablet', 'generic', 'ras_antagonist', 1, 'none', 2),
    ('Valsartan', 'valsartan', '160 mg', 'tablet', 'generic', 'ras_antagonist', 1, 'none', 2),
    ('Ramipril', 'ramipril', '5 mg', 'capsule', 'generic', 'ras_antagonist', 1, 'none', 0),
    ('Metformin', 'metformin', '500 mg', 'tablet', 'generic', 'diabetes_non_insulin', 1, 'none', 3),
    ('Metformin ER', 'metformin', '1000 mg', 'tablet', 'generic', 'diabetes_non_insulin', 1, 'none', 4),
    ('Glipizide', 'glipizide', '5 mg', 'tablet', 'generic', 'diabetes_non_insulin', 1, 'none', 1),
    ('Januvia', 'sitagliptin', '100 mg', 'tablet', 'brand', 'diabetes_non_insulin', 1, 'none', 6),
    ('Pioglitazone', 'pioglitazone', '30 mg', 'tablet', 'generic', 'diabetes_non_insulin', 1, 'none', 0),
    ('Glimepiride', 'glimepiride', '2 mg', 'tablet', 'generic', 'diabetes_non_insulin', 1, 'none', 2),
    ('Levothyroxine', 'levothyroxine', '50 mcg', 'tablet', 'generic', 'other', 1, 'none', 2),
    ('Amlodipine', 'amlodipine', '5 mg', 'tablet', 'generic', 'other', 1, 'none', 1),
    ('Amlodipine', 'amlodipine', '10 mg', 'tablet', 'generic', 'other', 1, 'none', 3),
    ('Metoprolol Succinate ER', 'metoprolol', '50 mg', 'tablet', 'generic', 'other', 1, 'none', 4),
    ('Omeprazole', 'omeprazole', '20 mg', 'capsule', 'generic', 'other', 1, 'none', 0),
    ('Sertraline', 'sertraline', '50 mg', 'tablet', 'generic', 'other', 1, 'none', 3),
    ('Hydrochlorothiazide', 'hydrochlorothiazide', '25 mg', 'tablet', 'generic', 'other', 1, 'none', 1),
    ('Montelukast', 'montelukast', '10 mg', 'tablet', 'generic', 'other', 1, 'none', 2),
    ('Albuterol HFA', 'albuterol', '90 mcg/actuation', 'inhaler', 'generic', 'other', 0, 'none', 0),
    ('Gabapentin', 'gabapentin', '300 mg', 'capsule', 'generic', 'other', 1, 'none', 4),
    ('Amoxicillin', 'amoxicillin', '500 mg', 'capsule', 'generic', 'other', 0, 'none', 2),
    ('Hydrocodone/APAP', 'hydrocodone and acetaminophen', '5/325 mg', 'tablet', 'generic', 'other', 0, '2', 1),
    ('Oxycodone', 'oxycodone', '5 mg', 'tablet', 'generic', 'other', 0, '2', 3),
    ('Amphetamine Salts', 'dextroamphetamine and amphetamine', '20 mg', 'tablet', 'generic', 'other', 1, '2', 0),
    ('Testosterone Cypionate', 'testosterone', '200 mg/mL', 'injection', 'generic', 'other', 1, '3', 1),
    ('Alprazolam', 'alprazolam', '0.5 mg', 'tablet', 'generic', 'other', 1, '4', 2),
    ('Zolpidem', 'zolpidem', '10 mg', 'tablet', 'generic', 'other', 1, '4', 0),
    ('Tramadol', 'tramadol', '50 mg', 'tablet', 'generic', 'other', 0, '4', 4),
    ('Lorazepam', 'lorazepam', '1 mg', 'tablet', 'generic', 'other', 1, '4', 3),
    ('Pregabalin', 'pregabalin', '75 mg', 'capsule', 'generic', 'other', 1, '5', 5),
]
PRESCRIBERS = [  # first, last, credential, specialty
    ('Eleanor', 'Whitfield', 'MD', 'Family Medicine'), ('Rajesh', 'Patel', 'MD', 'Internal Medicine'),
    ('Maria', 'Gonzalez', 'MD', 'Cardiology'), ('Thomas', 'Okafor', 'DO', 'Endocrinology'),
    ('Susan', 'Lindqvist', 'NP', 'Family Medicine'), ('David', 'Cho', 'MD', 'Psychiatry'),
    ('Hannah', 'Brennan', 'PA-C', 'Orthopedics'), ('Michael', 'Adeyemi', 'MD', 'Pain Medicine'),
    ('Karen', 'Yamamoto', 'MD', 'Pulmonology'), ('Luis', 'Ferreira', 'DO', 'Internal Medicine'),
]
PATIENTS = [  # first, last, birth year
    ('Margaret', 'Holloway', 1948), ('James', 'Whitaker', 1955), ('Linda', 'Nakamura', 1962),
    ('Robert', 'Castillo', 1951), ('Patricia', 'Osei', 1970), ('William', 'Brandt', 1944),
    ('Barbara', 'Kowalski', 1958), ('Richard', 'Dubois', 1966), ('Susan', 'Ahmed', 1975),
    ('Joseph', 'MacLeod', 1949), ('Dorothy', 'Reyes', 1940), ('Charles', 'Lindgren', 1960),
    ('Nancy', 'Okonkwo', 1968), ('Daniel', 'Fischer', 1983), ('Karen', 'Sullivan', 1957),
    ('Paul', 'Novak', 1972), ('Betty', 'Harrington', 1946), ('Mark', 'Esposito', 1964),
    ('Sandra', 'Tran', 1979), ('George', 'Abernathy', 1953), ('Helen', 'Morales', 1961),
    ('Kenneth', 'Park', 1987), ('Carol', 'Fitzgerald', 1950), ('Steven', 'Obi', 1974),
    ('Ruth', 'Jablonski', 1942),
]
ALERTS = [
    ('behaviour', 'Hard of hearing: face her and speak slowly. Prefers the consultation window.', 'all'),
    ('service', 'Always call before delivery; the building door code is 4417.', 'all'),
    ('clinical', 'History of opioid misuse disclosed to pharmacist; check PDMP before any CII fill.', 'pharmacist'),
    ('billing', 'Pays cash for Januvia; ask about the manufacturer savings card at each fill.', 'all'),
    ('clinical', 'Severe latex allergy: no latex gloves when handling her vials.', 'all'),
    ('behaviour', 'Became upset about wait times twice; offer a text when ready instead.', 'all'),
]
NOTES = [
    ('service', 'Daughter picks up on Fridays; she is on the HIPAA release form.'),
    ('service', 'Prefers blister packs for morning meds.'),
    ('billing', 'Secondary insurance through her late husband\'s union plan.'),
    ('clinical', 'Asked about splitting tablets; advised against for the ER formulation.'),
    ('service', 'Works nights; call after 2 pm only.'),
    ('clinical', 'Reported dizziness after the lisinopril dose increase; told prescriber.'),
    ('service', 'Likes to chat about her garden; ask about the tomatoes.'),
    ('billing', 'Medicare Part D plan changed in January; new BIN/PCN on file.'),
]
ALLERGIES = ['NKDA', 'Penicillin (hives)', 'Sulfa drugs (rash)', 'Codeine (nausea)', 'NKDA',
             'Latex; iodine contrast', 'NKDA', 'Aspirin (asthma)']
CITIES = ['Springfield', 'Riverton', 'Maple Grove', 'Fairview', 'Oakdale']


def ndc(i):
    """A well-formed NDC in one of the three 10-digit formats or the 11-digit form."""
    labeler, product, package = rnd.randint(1000, 9999), rnd.randint(100, 999), rnd.randint(1, 9)
    return ['%04d-%04d-%02d' % (labeler, product * 10 + package, package * 11),
            '%05d-%03d-%02d' % (labeler * 10 + 3, product, package * 10),
            '%05d-%04d-%d' % (labeler * 10 + 1, product * 10, package),
            '%05d%04d%02d' % (labeler * 10 + 7, product, package)][i % 4]


def npi():
    body = str(rnd.randint(1, 2)) + ''.join(str(rnd.randint(0, 9)) for _ in range(8))
    return body + luhn.calc_check_digit('80840' + body)


def dea(last_name, credential):
    first = 'M' if credential in ('NP', 'PA-C') else rnd.choice('ABF')
    digits = ''.join(str(rnd.randint(0, 9)) for _ in range(6))
    return '%s%s%s%d' % (first, last_name[0], digits, identifiers.dea_check_digit(digits))


def days_ago(n):
    return "(DateTime.today() - timedelta(days=%d)).strftime('%%Y-%%m-%%d')" % n


def field(name, value=None, ref=None, eval_=None):
    if ref:
        return '        <field name="%s" ref="%s"/>' % (name, ref)
    if eval_ is not None:
        return '        <field name="%s" eval="%s"/>' % (name, escape(eval_, {'"': '&quot;'}))
    return '        <field name="%s">%s</field>' % (name, escape(str(value)))


def record(model, xmlid, *fields):
    return '\n'.join(['    <record id="%s" model="%s">' % (xmlid, model)] + list(fields)
                     + ['    </record>'])


def main():
    out = []
    for i, name in enumerate(MANUFACTURERS):
        out.append(record('res.partner', 'demo_manufacturer_%d' % i, field('name', name),
                          field('is_company', eval_='True'), field('customer', eval_='False'),
                          field('supplier', eval_='True')))
    for i, (name, generic, strength, form, kind, klass, maint, sched, man) in enumerate(MEDICATIONS):
        out.append(record(
            'pharmacy.medication', 'demo_medication_%02d' % i, field('name', name),
            field('generic_name', generic), field('strength', strength),
            field('dosage_form', form), field('drug_type', kind),
            field('therapeutic_class', klass), field('is_maintenance', eval_=str(bool(maint))),
            field('schedule', sched), field('manufacturer_id', ref='demo_manufacturer_%d' % man),
            field('ndc', ndc(i))))
    for i, (first, last, cred, spec) in enumerate(PRESCRIBERS):
        out.append(record(
            'res.partner', 'demo_prescriber_%d' % i, field('name', '%s %s, %s' % (first, last, cred)),
            field('is_prescriber', eval_='True'), field('customer', eval_='False'),
            field('prescriber_specialty', spec), field('npi', npi()),
            field('dea_number', dea(last, cred)),
            field('phone', '+1 555-01%02d-%04d' % (i, rnd.randint(1000, 9999))),
            field('fax', '+1 555-02%02d-%04d' % (i, rnd.randint(1000, 9999))),
            field('city', rnd.choice(CITIES))))

    maintenance = [i for i, m in enumerate(MEDICATIONS) if m[6] and m[7] == 'none']
    controlled_34 = [i for i, m in enumerate(MEDICATIONS) if m[7] in ('3', '4', '5')]
    schedule2 = [i for i, m in enumerate(MEDICATIONS) if m[7] == '2']
    rx_seq, fill_seq, note_seq = 100200, 0, 0
    for p, (first, last, year) in enumerate(PATIENTS):
        pid = 'demo_patient_%02d' % p
        state = 'active' if p not in (21, 24) else ('transferred' if p == 21 else 'deceased')
        out.append(record(
            'res.partner', pid, field('name', '%s %s' % (first, last)),
            field('is_patient', eval_='True'), field('customer', eval_='True'),
            field('patient_state', 'active'),   # who left does so after their fills
            field('birthdate_date', '%d-%02d-%02d' % (year, rnd.randint(1, 12), rnd.randint(1, 28))),
            field('phone', '+1 555-03%02d-%04d' % (p, rnd.randint(1000, 9999))),
            field('email', '%s.%s@example.com' % (first.lower(), last.lower())),
            field('city', rnd.choice(CITIES)),
            field('allergies', ALLERGIES[p % len(ALLERGIES)]),
            field('generic_preference', ['no_preference', 'generic', 'brand_only'][p % 3 if p % 5 else 0]),
            field('prefers_90_day_supply', eval_=str(p % 4 == 1)),
            field('fulfillment_method', 'delivery' if p % 6 == 2 else 'pickup'),
            field('easy_open_caps', eval_=str(year < 1955)),
            field('large_print_labels', eval_=str(year < 1950)),
            field('preferred_contact_channel', ['sms', 'phone', 'email'][p % 3]),
            field('preferred_contact_time', ['morning', 'afternoon', 'evening', 'any'][p % 4])))
        late = rnd.choice([0, 0, 2, 5, 12])  # habitual lateness in days
        meds = rnd.sample(maintenance, 1 + p % 3 + (p % 7 == 0))
        extra = []
        if p % 5 == 3:
            extra.append(rnd.choice(controlled_34))
        if p % 8 == 2:
            extra.append(rnd.choice(schedule2))
        for m in meds + extra:
            rx_seq += 1
            sched = MEDICATIONS[m][7]
            supply = 90 if (p % 4 == 1 and sched == 'none') else 30
            if sched == '2':
                written, refills = rnd.randint(3, 20), 0
            elif sched != 'none':
                written, refills = 170, 5
            else:
                written, refills = 355, (3 if supply == 90 else 11)
            rx_state = 'active'
            if p % 9 == 4 and m == meds[-1] and len(meds) > 1:
                rx_state = 'on_hold'
            rxid = 'demo_rx_%d' % rx_seq
            out.append(record(
                'pharmacy.patient.medication', rxid, field('patient_id', ref=pid),
                field('medication_id', ref='demo_medication_%02d' % m),
                field('prescriber_id', ref='demo_prescriber_%d' % rnd.randrange(len(PRESCRIBERS))),
                field('rx_number', str(rx_seq)), field('dose', '1 %s' % MEDICATIONS[m][3]),
                field('sig', 'Take 1 %s by mouth %s' % (MEDICATIONS[m][3], rnd.choice(
                    ['once daily', 'once daily at bedtime', 'twice daily', 'every morning']))),
                field('quantity', eval_=str(supply)), field('days_supply', eval_=str(supply)),
                field('refills_authorized', eval_=str(refills)),
                field('date_written', eval_=days_ago(written)), field('state', 'active')))
            day, fills = written - rnd.randint(0, 3), 0
            while day >= 0 and fills <= refills:
                fill_seq += 1
                returned = rnd.random() < 0.04 and day > 20
                recent = day < 4
                fstate = 'returned' if returned else ('ready' if recent else 'picked_up')
                fields_ = [field('prescription_id', ref=rxid), field('fill_date', eval_=days_ago(day)),
                           field('quantity', eval_=str(supply)), field('days_supply', eval_=str(supply)),
                           field('state', fstate)]
                if fstate == 'picked_up':
                    fields_.append(field('pickup_date', eval_=days_ago(max(day - rnd.randint(0, 3), 0))))
                out.append(record('pharmacy.fill', 'demo_fill_%04d' % fill_seq, *fields_))
                if returned:  # picked up again a few days later
                    day -= rnd.randint(3, 8)
                    continue
                fills += 1
                day -= supply + max(0, late + rnd.randint(-3, 4))
            if rx_state != 'active':   # held after its fills: a held prescription is not filled
                out.append(record('pharmacy.patient.medication', rxid, field('state', rx_state)))
        n_notes = 1 + p % 3
        for k in range(n_notes):
            note_seq += 1
            cat, body = NOTES[(p + k) % len(NOTES)]
            out.append(record('pharmacy.patient.note', 'demo_note_%03d' % note_seq,
                              field('patient_id', ref=pid), field('category', cat),
                              field('body', body)))
        if p % 4 == 0:
            note_seq += 1
            cat, body, vis = ALERTS[(p // 4) % len(ALERTS)]
            out.append(record('pharmacy.patient.note', 'demo_note_%03d' % note_seq,
                              field('patient_id', ref=pid), field('category', cat),
                              field('body', body), field('is_alert', eval_='True'),
                              field('visibility', vis)))
        for channel, purpose, cstate in [
                ('sms', 'treatment', 'granted' if p % 3 != 2 else 'not_asked'),
                ('phone', 'treatment', 'refused' if p % 11 == 5 else 'granted'),
                ('email', 'marketing', ['granted', 'refused', 'not_asked'][p % 3])]:
            fields_ = [field('patient_id', ref=pid), field('channel', channel),
                       field('purpose', purpose), field('state', cstate)]
            if cstate != 'not_asked':
                fields_ += [field('date', eval_=days_ago(200 + p)),
                            field('source', ['in_store', 'form', 'phone'][p % 3])]
            out.append(record('pharmacy.consent', 'demo_consent_%02d_%s_%s' % (p, channel, purpose),
                              *fields_))
        if state != 'active':
            out.append(record('res.partner', pid, field('patient_state', state)))
        if p % 6 == 0:
            out.append(record('pharmacy.manufacturer.preference', 'demo_manpref_%02d' % p,
                              field('patient_id', ref=pid),
                              field('medication_id', ref='demo_medication_%02d' % meds[0]),
                              field('manufacturer_id', ref='demo_manufacturer_%d' % MEDICATIONS[meds[0]][8]),
                              field('required_by', 'insurer' if p % 12 == 0 else 'patient')))
    with open(OUT, 'w') as fp:
        fp.write('<?xml version="1.0" encoding="utf-8"?>\n'
                 '<!-- Generated by scripts/generate_demo.py: edit the generator, not this file. -->\n'
                 '<odoo>\n%s\n</odoo>\n' % '\n'.join(out))
    print('%s: %d records, %d prescriptions, %d fills' % (
        OUT, len(out), rx_seq - 100200, fill_seq))


if __name__ == '__main__':
    main()
