"""Marketing reports (#23) bench row for `make bench`: the retention report (every month of
every pharmacy) as the web client's list reads it (``search_read`` of the SQL view, as a
marketing user: the view is computed twice, for the search and for the read) and as its first
view, the graph, reads it (one ``read_group``), each against the same answer in one SELECT.
Nothing when pharmacy_crm_marketing_report is not installed in the bench database.

Alone: python scripts/bench_reports.py ODOO_CONF DB
"""
import sys
import time

RUNS = 5
LARGE = 50000   # above this many patients: at most LARGE_RUNS runs (the row's runs column)
LARGE_RUNS = 3
FIELDS = ['month', 'company_id', 'active_count', 'new_count', 'returned_count',
          'lapsed_count', 'churn_rate']


def rows(env, runs=None):
    from bench import sql_timed, timed   # scripts/ is on the path (bench.py imports this)
    if 'pharmacy.retention.report' not in env.registry:
        return []
    Report = env['pharmacy.retention.report']
    scale = env['res.partner'].search_count([('is_patient', '=', True)])
    runs = min(runs or RUNS, RUNS if scale <= LARGE else LARGE_RUNS)
    env.cr.execute('SELECT count(*) FROM pharmacy_fill')
    fills = env.cr.fetchone()[0]
    marketer = env['res.users'].with_context(no_reset_password=True).create({
        'name': 'Bench Marketing', 'login': 'bench_marketing_%f' % time.time(),
        'groups_id': [(6, 0, env.ref('mass_mailing.group_mass_mailing_user').ids)]})
    # the pharmacies whose rows the marketing user reads (theirs and its children)
    companies = env['res.company'].search([('id', 'child_of', marketer.company_id.id)]).ids

    def orm():
        Report.invalidate_cache()
        return [(r['month'], r['company_id'][0], r['active_count'], r['new_count'],
                 r['returned_count'], r['lapsed_count'], r['churn_rate'] or 0.0)
                for r in Report.sudo(marketer).search_read(
                    [], FIELDS, order='month desc, company_id')]

    def sql():
        env.cr.execute('SELECT month::text, company_id, active_count, new_count, '
                       'returned_count, lapsed_count, COALESCE(churn_rate, 0)::float '
                       'FROM (%s) v WHERE company_id = ANY(%%s) ORDER BY month DESC, company_id'
                       % Report._view_query(), list(Report._view_params() or []) + [companies])
        return [tuple(row) for row in env.cr.fetchall()]

    def graph():
        # what the report's first view (the graph: active patients by month) asks
        Report.invalidate_cache()
        return [(group['month:month'], group['active_count']) for group in Report.sudo(
            marketer).read_group([], ['month', 'active_count'], ['month:month'], lazy=False)]

    def graph_sql():
        env.cr.execute("SELECT to_char(date_trunc('month', month), 'FMMonth YYYY'), "
                       'sum(active_count) FROM (%s) v WHERE company_id = ANY(%%s) '
                       "GROUP BY 1, date_trunc('month', month) "
                       "ORDER BY date_trunc('month', month)" % Report._view_query(),
                       list(Report._view_params() or []) + [companies])
        return [tuple(row) for row in env.cr.fetchall()]
    seconds, queries, found = timed(env.cr, orm, runs)
    sql_seconds, expected = sql_timed(env.cr, sql, runs)
    graph_seconds, graph_queries, graph_found = timed(env.cr, graph, runs)
    graph_sql_seconds, graph_expected = sql_timed(env.cr, graph_sql, runs)
    return [{'operation': 'retention report, every month (%d rows, %d fills)' % (
        len(found), fills), 'scale': scale, 'seconds': seconds, 'queries': queries,
        'sql_seconds': sql_seconds, 'equal': found == expected},
        {'operation': 'retention report as its graph opens (active patients by month, %d '
         'bars)' % len(graph_found), 'scale': scale, 'seconds': graph_seconds,
         'queries': graph_queries, 'sql_seconds': graph_sql_seconds,
         'equal': graph_found == graph_expected}]


def main(conf, db):
    import statistics
    from bench import rolled_back_env
    with rolled_back_env(conf, db) as env:
        for row in rows(env):
            print('%s: %d patients, median %.3f s, %d queries, SQL %.3f s, equal: %s' % (
                row['operation'], row['scale'], statistics.median(row['seconds']),
                row['queries'], row['sql_seconds'], row['equal']))


if __name__ == '__main__':
    main(*sys.argv[1:])
