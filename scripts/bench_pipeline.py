"""Pharmacy pipeline (#21) bench row for `make bench`: the scheduled action that proposes and
closes the pharmacy's leads (``crm.lead._cron_pharmacy_pipeline``) on the bench database, as
the cron runs it (superuser), with its query count: one statement per rule whatever the number
of patients. Each run is rolled back (the leads proposed by the first would change the next).

Alone: python scripts/bench_pipeline.py ODOO_CONF DB
"""
import sys

RUNS = 3
LARGE = 50000   # above this many patients: at most LARGE_RUNS runs (the row's runs column)
LARGE_RUNS = 1


def rows(env, runs=None):
    from bench import timed   # scripts/ is on the path (bench.py imports this module)
    if 'pharmacy_work_type' not in env['crm.lead']._fields:
        return []
    Lead = env['crm.lead']
    scale = env['res.partner'].search_count([('is_patient', '=', True)])
    runs = min(runs or RUNS, RUNS if scale <= LARGE else LARGE_RUNS)
    env.cr.execute('SELECT count(*) FROM pharmacy_fill')
    fills = env.cr.fetchone()[0]

    def run():
        proposed = Lead._pharmacy_propose_leads()
        won = Lead._pharmacy_close_by_data()
        return len(proposed), len(won)

    seconds, queries, (proposed, won) = timed(env.cr, run, runs)
    return [{'operation': 'pipeline: propose and close by the data (%d proposed, %d won, '
                          '%d fills)' % (proposed, won, fills),
             'scale': scale, 'seconds': seconds, 'queries': queries, 'sql_seconds': None,
             'equal': None}]


def main(conf, db):
    import statistics
    from bench import rolled_back_env
    with rolled_back_env(conf, db) as env:
        for row in rows(env):
            print('%s: %d patients, median %.2f s, %d queries' % (
                row['operation'], row['scale'], statistics.median(row['seconds']),
                row['queries']))


if __name__ == '__main__':
    main(*sys.argv[1:])
