# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Generated fills for the adherence checks (test_adherence.py, scripts/bench_pdc.py): patients
and fills inserted with SQL (in the caller's transaction, which rolls them back), with
overlaps, 90-day fills, fills before the period, returns and brand/generic pairs."""
import random
from datetime import date, timedelta

# per class code: medications as (name, active ingredient); brand and generic of one
# ingredient are spelled with different case, and share the drug
MEDICATIONS = {
    'statin': [('Lipitor', 'Atorvastatin'), ('Atorvastatin', 'atorvastatin'),
               ('Simvastatin', 'simvastatin'), ('Crestor', 'ROSUVASTATIN')],
    'ras_antagonist': [('Lisinopril', 'lisinopril'), ('Losartan', 'losartan'),
                       ('Cozaar', 'Losartan')],
    'diabetes_non_insulin': [('Metformin', 'metformin'), ('Januvia', 'sitagliptin'),
                             ('Glucophage', None)],   # no active ingredient: the name is used
}


def insert_medications(env):
    """One catalog entry per medication of MEDICATIONS: {class code: [(medication id, drug
    key)]}; the drug key is what tools.adherence.pdc receives."""
    out = {}
    for code, meds in MEDICATIONS.items():
        klass = env['pharmacy.therapeutic.class'].search([('code', '=', code)])
        for name, generic in meds:
            env.cr.execute("""
                INSERT INTO pharmacy_medication (name, generic_name, dosage_form, drug_type,
                       therapeutic_class_id, schedule, active)
                VALUES (%s, %s, 'tablet', 'generic', %s, 'none', TRUE) RETURNING id""",
                           ['PDC %s' % name, generic, klass.id])
            out.setdefault(klass.id, []).append(
                (env.cr.fetchone()[0], (generic or 'PDC %s' % name).lower()))
    return out


def generate(env, prescription_id, company_id, patients, period_start, period_end, seed=11,
             fills_per_group=None):
    """Insert ``patients`` patients with fills of 1 to 3 measured classes around the period.

    Returns ({(patient id, class id): [(drug key, fill date, days supply, returned)]}, number
    of fills). Fills point to ``prescription_id`` (the SQL reads the fill's patient and
    medication)."""
    rnd = random.Random(seed)
    medications = insert_medications(env)
    env.cr.execute("""
        INSERT INTO res_partner (name, display_name, is_patient, company_id, active, type,
                                 customer, supplier, employee, is_company)
        SELECT 'PDC patient ' || n, 'PDC patient ' || n, TRUE, %s, TRUE, 'contact', TRUE,
               FALSE, FALSE, FALSE
          FROM generate_series(1, %s) n RETURNING id""", [company_id, patients])
    patient_ids = [r[0] for r in env.cr.fetchall()]
    span = (period_end - period_start).days
    groups, rows = {}, []
    for patient_id in patient_ids:
        for class_id in rnd.sample(sorted(medications), rnd.randint(1, 3)):
            drugs = rnd.sample(medications[class_id], rnd.randint(1, 2))
            fills = groups.setdefault((patient_id, class_id), [])
            for med_id, key in drugs:
                day = period_start + timedelta(days=rnd.randint(-60, span))
                count = fills_per_group or rnd.randint(1, 8)
                for _i in range(count):
                    supply = rnd.choice((30, 30, 30, 90, 60, 7))
                    returned = rnd.random() < 0.06
                    fills.append((key, day, supply, returned))
                    rows.append((patient_id, med_id, day, supply, returned))
                    # on time, early (overlap) or late (gap)
                    day += timedelta(days=max(1, int(supply * rnd.uniform(0.5, 1.6))))
                    if rnd.random() < 0.1:
                        # a brand/generic switch or a second fill the same day
                        alt = [m for m in medications[class_id] if m[1] == key]
                        med_id = rnd.choice(alt)[0]
                    if day > period_end + timedelta(days=20):
                        break
    env.cr.execute("""
        INSERT INTO pharmacy_fill (prescription_id, patient_id, medication_id, fill_date,
                                   quantity, days_supply, state, counts, company_id)
        SELECT %s, p, m, d, s, s, CASE WHEN r THEN 'returned' ELSE 'picked_up' END, NOT r, %s
          FROM unnest(%s::int[], %s::int[], %s::date[], %s::int[], %s::bool[])
               AS t(p, m, d, s, r)""",
                   [prescription_id, company_id] + [list(c) for c in zip(*rows)])
    return groups, len(rows)


def expected(groups, period_start, period_end):
    """{(patient id, class id): pdc} by tools.adherence.pdc, groups with a PDC only."""
    from ..tools import pdc
    out = {}
    for key, fills in groups.items():
        value = pdc(fills, period_start, period_end)   # returned fills marked as such
        if value is not None:
            out[key] = value
    return out


PERIOD = (date(2025, 1, 1), date(2025, 12, 31))
