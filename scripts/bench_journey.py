"""Customer journeys (#23) bench rows for `make bench`: the journeys' daily scheduled action on
a running journey whose entry is a segment of thousands of patients (every patient of the
bench pharmacy; the half given an address and a granted email marketing consent enter, as in
scripts/bench_marketing.py): its first run (every member enters, is sent the mail step's mail
(queued, never handed to a mail server: the queue sends after the commit) and waits), and a
rerun the same day (nothing is due: exits checked, nobody enters twice, nothing sent).

The journey: a mail (the welcome series' template, links tracked), a wait of 7 days, a branch
on a counted fill since entry and an activity. Each run happens in a savepoint rolled back (so
each first run is a first run). Its SQL twin is the entry's candidate classification alone.
Nothing when pharmacy_crm_journey is not installed in the bench database.

Alone: python scripts/bench_journey.py ODOO_CONF DB
"""
import statistics
import sys

RUNS = 3
LARGE = 50000   # above this many patients: at most LARGE_RUNS runs (the row's runs column)
LARGE_RUNS = 1


def rows(env, runs=None):
    from bench import bench_company, timed   # scripts/ is on the path
    from bench_marketing import _consenting_half
    if 'pharmacy.journey' not in env.registry:
        return []
    cr = env.cr
    _consenting_half(env)
    company = bench_company(env) or env.ref('base.main_company')
    scale = env['res.partner'].search_count([('is_patient', '=', True)])
    runs = min(runs or RUNS, RUNS if scale <= LARGE else LARGE_RUNS)
    segment = env['pharmacy.segment'].create({
        'name': 'Bench: every patient', 'company_id': company.id,
        'partner_domain': "[('is_patient', '=', True)]"})
    template = env.ref('pharmacy_crm_journey.mail_template_journey_welcome')
    journey = env['pharmacy.journey'].create({
        'name': 'Bench journey', 'entry_type': 'segment', 'segment_id': segment.id,
        'company_id': company.id, 'goal': 'fill',
        'step_ids': [
            (0, 0, {'sequence': 1, 'name': 'Mail', 'step_type': 'mail',
                    'template_id': template.id}),
            (0, 0, {'sequence': 2, 'name': 'Wait', 'step_type': 'wait', 'wait_days': 7}),
            (0, 0, {'sequence': 3, 'name': 'No fill?', 'step_type': 'branch',
                    'condition': 'fill_since_entry', 'negate': True}),
            (0, 0, {'sequence': 4, 'name': 'Call', 'step_type': 'activity',
                    'activity_summary': 'Call the patient'})]})
    journey.action_start()

    def run():
        env.clear()
        journey._pharmacy_run()
        cr.execute("SELECT count(*), count(*) FILTER (WHERE outcome = 'sent') "
                   "FROM pharmacy_journey_history WHERE journey_id = %s", [journey.id])
        return cr.fetchone()

    def twin():
        criteria = journey._pharmacy_entry_criteria()
        from odoo.addons.pharmacy_crm_marketing.tools.segments import (candidates_query,
                                                                       classify_query)
        cr.execute('SELECT count(*) FROM (%s) c(id, reason) WHERE c.reason IS NULL'
                   % classify_query(candidates_query([c for c, _p in criteria])),
                   [company.id] + [p for _c, params in criteria for p in params])
        return cr.fetchone()[0]
    # the first run: runs - 1 times rolled back, then once kept for the rerun (rolled back by
    # the caller), not one more unmeasured run: at 100,000 patients a first run takes minutes
    seconds, queries, answer = timed(cr, run, runs - 1) if runs > 1 else ([], None, None)
    sql_seconds = timed(cr, twin, runs)[0]
    entered = twin()
    kept = timed(cr, run, 1, rollback=False)
    seconds += kept[0]
    queries, (steps, sent) = (queries, answer) if answer else (kept[1], kept[2])
    result = [{'operation': 'journey cron, first run: %d enter, %d mails queued, %d steps '
                            'recorded' % (entered, sent, steps),
               'scale': scale, 'seconds': seconds, 'queries': queries,
               'sql_seconds': statistics.median(sql_seconds), 'equal': sent == entered}]
    seconds, queries, (steps_after, _sent) = timed(cr, run, runs)
    result.append({'operation': 'journey cron, rerun the same day (%d steps recorded, '
                                'nothing due)' % steps_after,
                   'scale': scale, 'seconds': seconds, 'queries': queries,
                   'sql_seconds': None, 'equal': steps_after == steps})
    return result


def main(conf, db):
    from bench import rolled_back_env, format_table   # run alone: scripts/ is on the path
    with rolled_back_env(conf, db) as env:
        print(format_table(rows(env)))


if __name__ == '__main__':
    main(*sys.argv[1:3])
