"""Marketing (#22) bench rows for `make bench`: the value score of every patient, and the refresh
(sync) of the largest segment, every patient of the pharmacy.

``rows(env)`` works in the caller's transaction (the caller rolls it back): it gives half of the
patients an address and a granted email marketing consent (a bench database has none), so that
the segment has members to add and others to exclude. The value score is computed from scratch
each run (the stored scores cleared first, not timed): one UPDATE over all patients; its SQL
twin is the same SELECT without the UPDATE. The segment refresh classifies every candidate and
rewrites the members (the first run adds them all, the next ones change nothing: the median is
a refresh); its twin is the classification query alone.

Alone: python scripts/bench_marketing.py ODOO_CONF DB
"""
import sys
import time

RUNS = 5
LARGE = 50000   # above this many patients: at most LARGE_RUNS runs (the row's runs column)
LARGE_RUNS = 3


def _measure(env, func, runs, before=None):
    cr = env.cr
    seconds, queries, result = [], 0, None
    for _run in range(runs):
        if before:
            before()
        env.clear()
        count, start = cr.sql_log_count, time.perf_counter()
        result = func()
        seconds.append(time.perf_counter() - start)
        queries = cr.sql_log_count - count
    return seconds, queries, result


def _consenting_half(env):
    cr = env.cr
    cr.execute("""UPDATE res_partner SET email = 'bench.' || id || '@example.com'
                   WHERE is_patient AND (email IS NULL OR email = '') AND id % 2 = 0""")
    cr.execute("""
        INSERT INTO pharmacy_consent (patient_id, channel, purpose, state, date, source,
                                      company_id)
        SELECT p.id, 'email', 'marketing', 'granted', pharmacy_today(p.company_id), 'form',
               p.company_id
          FROM res_partner p
         WHERE p.is_patient AND p.id % 2 = 0 AND NOT EXISTS (
               SELECT 1 FROM pharmacy_consent c WHERE c.patient_id = p.id
                  AND c.channel = 'email' AND c.purpose = 'marketing')""")
    env.clear()


def rows(env, runs=None):
    if 'pharmacy.segment' not in env:
        return []
    cr = env.cr
    _consenting_half(env)
    scale = env['res.partner'].search_count([('is_patient', '=', True)])
    runs = min(runs or RUNS, RUNS if scale <= LARGE else LARGE_RUNS)
    Partner = env['res.partner']

    def clear_scores():
        cr.execute('UPDATE res_partner SET pharmacy_value_score = NULL WHERE is_patient')

    seconds, queries, _result = _measure(env, Partner._pharmacy_compute_value_scores, runs,
                                         clear_scores)
    # every patient, archived ones too (they have a company: a patient needs one)
    cr.execute('SELECT count(*), count(pharmacy_value_score) FROM res_partner WHERE is_patient')
    patients, scored = cr.fetchone()
    result = [{'operation': 'value score: every patient from scratch (%d scored)' % scored,
               'scale': scale, 'seconds': seconds, 'queries': queries, 'sql_seconds': None,
               'equal': scored == patients}]

    company = env['res.company'].browse(env['res.company']._company_default_get(
        'pharmacy.segment').id)
    segment = env['pharmacy.segment'].create({
        'name': 'Bench: every patient', 'company_id': company.id,
        'partner_domain': "[('is_patient', '=', True)]"})
    seconds, queries, _result = _measure(env, segment._pharmacy_sync, runs)
    classes = segment._pharmacy_classify()
    start = time.perf_counter()
    segment._pharmacy_classify()
    sql_seconds = time.perf_counter() - start
    members = len([reason for reason in classes.values() if not reason])
    result.append({
        'operation': 'largest segment: refresh (%d members, %d excluded)' % (
            segment.member_count, len(classes) - members),
        'scale': scale, 'seconds': seconds, 'queries': queries, 'sql_seconds': sql_seconds,
        'equal': members == segment.member_count})
    return result


def main(conf, db):
    from bench import rolled_back_env   # run alone: scripts/ is on the path
    print('%-60s %8s %10s %8s %10s %6s' % ('operation', 'patients', 'median s', 'queries',
                                           'SQL s', 'equal'))
    with rolled_back_env(conf, db) as env:
        for row in rows(env):
            print('%-60s %8d %10.4f %8d %10.4f %6s' % (
                row['operation'], row['scale'], sorted(row['seconds'])[len(row['seconds']) // 2],
                row['queries'], row['sql_seconds'] or 0, row['equal']))


if __name__ == '__main__':
    main(*sys.argv[1:3])
