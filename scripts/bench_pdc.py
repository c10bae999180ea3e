"""Bench rows of adherence (issue 11), imported by scripts/bench.py: ``rows(env)``.

Recomputes the rolling 12 months (``pharmacy.adherence.recompute_period``: one INSERT ...
SELECT, the rows stored) on the database it is given, against the bare SELECT of the same
statement, and checks the stored PDC against the pure ``tools.adherence.pdc`` on a sample of
1,000 patient x class groups. Everything is rolled back.

Alone: python scripts/bench_pdc.py ODOO_CONF DB [PATIENTS]
With PATIENTS, first inserts that many patients with 60 fills each (5 medications of the
catalog, monthly with jitter, a third of them 90-day fills, 5% returned) with SQL, in the same
rolled-back transaction: 20000 gives the issue's scale (~1.2M fills).
"""
import random
import statistics
import sys
import time

from odoo import fields

RUNS = 5
LARGE = 50000   # above this many patients: at most LARGE_RUNS runs (the row's runs column)
LARGE_RUNS = 3
SAMPLE = 1000


def _timed(cr, func):
    queries, start = cr.sql_log_count, time.perf_counter()
    result = func()
    return time.perf_counter() - start, cr.sql_log_count - queries, result


def rows(env, runs=None):
    """[{operation, scale, seconds, queries, sql_seconds, equal}] for the adherence row."""
    from odoo.addons.pharmacy_crm_adherence.models.pharmacy_adherence import PDC_SELECT
    Adherence = env['pharmacy.adherence']
    cr = env.cr
    start, end = (fields.Date.to_string(d) for d in Adherence._rolling_period())
    params = Adherence._period_params(start, end)
    cr.execute("""SELECT COUNT(*), COUNT(DISTINCT patient_id) FROM pharmacy_fill
                   WHERE fill_date BETWEEN %s AND %s""", [start, end])
    fills, patients = cr.fetchone()
    scale = env['res.partner'].search_count([('is_patient', '=', True)])
    runs = min(runs or RUNS, RUNS if scale <= LARGE else LARGE_RUNS)

    def select():
        cr.execute(PDC_SELECT, params)
        return cr.fetchall()

    select()   # warm the cache as the recompute will find it
    sql_seconds = [_timed(cr, select)[0] for _i in range(runs)]
    seconds, queries = [], None
    for _i in range(runs):
        cr.execute('SAVEPOINT bench_pdc')
        spent, count, stored = _timed(cr, lambda: Adherence.recompute_period(start, end))
        seconds.append(spent)
        queries = count if queries is None else queries
        if _i < runs - 1:
            cr.execute('ROLLBACK TO SAVEPOINT bench_pdc')
    equal = _equal_to_formula(env, start, end)
    return [{'operation': 'adherence: recompute 12 months (store rows) vs bare SELECT (%d '
                          'patients with fills, %d fills in 12 months, %d rows)' % (
                              patients, fills, stored),
             'scale': scale, 'seconds': seconds, 'queries': queries,
             'sql_seconds': statistics.median(sql_seconds), 'equal': equal}]


def _equal_to_formula(env, start, end):
    """The stored PDC of up to SAMPLE random groups of the period equals tools.adherence.pdc
    on their counted fills (to 1e-9), and every group with a PDC has a row; None when there
    is no row."""
    from odoo.addons.pharmacy_crm_adherence.tools import pdc
    cr = env.cr
    cr.execute("""SELECT patient_id, class_id, pdc FROM pharmacy_adherence
                   WHERE date_start = %s AND date_end = %s""", [start, end])
    stored = {(p, c): v for p, c, v in cr.fetchall()}
    if not stored:
        return None
    sample = random.Random(11).sample(sorted(stored), min(SAMPLE, len(stored)))
    cr.execute("""
        SELECT f.patient_id, m.therapeutic_class_id,
               LOWER(COALESCE(NULLIF(m.generic_name, ''), m.name)), f.fill_date, f.days_supply
          FROM pharmacy_fill f JOIN pharmacy_medication m ON m.id = f.medication_id
         WHERE f.state != 'returned' AND (f.patient_id, m.therapeutic_class_id) IN (
               SELECT * FROM unnest(%s::int[], %s::int[]))""",
               [[p for p, _c in sample], [c for _p, c in sample]])
    groups = {}
    for patient, klass, key, day, supply in cr.fetchall():
        groups.setdefault((patient, klass), []).append(
            (key, fields.Date.from_string(day), supply))
    period = fields.Date.from_string(start), fields.Date.from_string(end)
    return all(abs(pdc(groups.get(key, []), *period) - stored[key]) <= 1e-9 for key in sample)


def generate(env, patients):
    """Insert ``patients`` patients with 60 fills each (SQL, the caller's transaction)."""
    cr = env.cr
    start, end = env['pharmacy.adherence']._rolling_period()
    company = env.ref('base.main_company').id
    rx = env['pharmacy.patient.medication'].search([], limit=1).id
    cr.execute('SELECT array_agg(id ORDER BY id) FROM pharmacy_medication')
    medications = cr.fetchone()[0]
    cr.execute("""
        CREATE TEMP TABLE bench_patient ON COMMIT DROP AS
        WITH ins AS (
            INSERT INTO res_partner (name, display_name, is_patient, company_id, active, type,
                                     customer, supplier, employee, is_company)
            SELECT 'Bench PDC ' || n, 'Bench PDC ' || n, TRUE, %s, TRUE, 'contact', TRUE,
                   FALSE, FALSE, FALSE
              FROM generate_series(1, %s) n RETURNING id)
        SELECT id FROM ins""", [company, patients])
    cr.execute("""
        INSERT INTO pharmacy_fill (prescription_id, patient_id, medication_id, fill_date,
                                   quantity, days_supply, state, counts, company_id)
        SELECT %(rx)s, p.id, m.med, f.day, f.supply, f.supply,
               CASE WHEN f.returned THEN 'returned' ELSE 'picked_up' END, NOT f.returned,
               %(company)s
          FROM bench_patient p
         CROSS JOIN generate_series(1, 5) s
         CROSS JOIN LATERAL (SELECT (%(meds)s::int[])[1 + floor(random() * %(n)s)::int]
                             AS med, random() < 0.33 AS ninety
                              WHERE p.id > s) m      -- correlated: drawn per medication
         CROSS JOIN LATERAL (
               SELECT %(start)s::date - 20 + k * 30 + floor(random() * 25)::int - 8 AS day,
                      CASE WHEN m.ninety THEN 90 ELSE 30 END AS supply,
                      random() < 0.05 AS returned
                 FROM generate_series(0, 11) k) f""",
               {'rx': rx, 'company': company, 'meds': medications, 'n': len(medications),
                'start': start})
    inserted = cr.rowcount
    cr.execute('ANALYZE pharmacy_fill')
    cr.execute('ANALYZE res_partner')
    return inserted


def main(conf, db, patients=0):
    from bench import rolled_back_env   # run alone: scripts/ is on the path
    with rolled_back_env(conf, db) as env:
        if int(patients):
            began = time.perf_counter()
            count = generate(env, int(patients))
            print('generated %s patients, %d fills in %.1f s'
                  % (patients, count, time.perf_counter() - began))
        for row in rows(env):
            median = statistics.median(row['seconds'])
            print('%s\n  %s patients\n  %.3f s median of %s, %d queries; bare SELECT %.3f s; '
                  'ratio %.2f; equal to pdc(): %s' % (
                      row['operation'], row['scale'], median,
                      ', '.join('%.3f' % s for s in row['seconds']), row['queries'],
                      row['sql_seconds'], median / row['sql_seconds'], row['equal']))


if __name__ == '__main__':
    main(*sys.argv[1:])
