"""Reminder bench row for `make bench` (scripts/bench.py prints it): the daily scheduled action
of pharmacy_crm_reminder over the whole bench pharmacy (one SQL statement choosing and writing
the reminders, then the emails rendered and queued by batches of 1,000: a few statements per
batch; nothing is sent). The bench patients get an email address first (the generator gives
none), in the transaction. The row names the machine's load average (1 minute) when it
started: the machine may be shared.

Each run happens in a savepoint rolled back, so every run has the same candidates. Alone:
    python scripts/bench_reminder.py ODOO_CONF DB
"""
import os
import sys
import time

RUNS = 3
LARGE = 50000   # above this many patients: at most LARGE_RUNS runs (the row's runs column)
LARGE_RUNS = 1


def rows(env, runs=None):
    if 'pharmacy.reminder' not in env:
        return []
    cr = env.cr
    Reminder = env['pharmacy.reminder']
    # the generated patients have a phone and no email (all would be SMS, not sent): give
    # each an address, in the transaction rolled back, so that the row measures the emails
    cr.execute("UPDATE res_partner SET email = 'bench.patient.' || id || '@example.com' "
               "WHERE is_patient AND (email IS NULL OR email = '')")
    env.clear()
    scale = env['res.partner'].search_count([('is_patient', '=', True)])
    runs = min(runs or RUNS, RUNS if scale <= LARGE else LARGE_RUNS)
    load = os.getloadavg()[0]
    measured = []
    for _run in range(runs):
        cr.execute('SAVEPOINT bench_reminder')
        queries, start = cr.sql_log_count, time.perf_counter()
        reminders = Reminder._cron_send_reminders()
        seconds = time.perf_counter() - start
        queries = cr.sql_log_count - queries
        cr.execute("SELECT count(*) FROM pharmacy_reminder WHERE id = ANY(%s) "
                   "AND channel = 'email'", [reminders.ids])
        measured.append((seconds, queries, len(reminders), cr.fetchone()[0]))
        cr.execute('ROLLBACK TO SAVEPOINT bench_reminder')
        env.clear()
    return [{'operation': 'reminder cron (%d reminders, %d emails queued; load %.1f)' % (
        measured[-1][2:] + (load,)),
             'scale': scale, 'seconds': [r[0] for r in measured], 'queries': measured[-1][1],
             'sql_seconds': None, 'equal': None}]


def main(conf, db):
    from bench import rolled_back_env   # run alone: scripts/ is on the path
    with rolled_back_env(conf, db) as env:
        for row in rows(env):
            print('%-50s %6d  %8.3f s (min of %d) %6d queries' % (
                row['operation'], row['scale'], min(row['seconds']), len(row['seconds']),
                row['queries']))


if __name__ == '__main__':
    main(*sys.argv[1:])
