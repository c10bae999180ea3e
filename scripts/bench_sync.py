"""Refill sync (#10) bench rows for `make bench`: the sync board's first page and the Due
Together list, as a technician, with their query counts (constant in the number of patients).

``rows(env, patients=100)`` creates ``patients`` patients in the caller's transaction (the
caller rolls it back): half enrolled in refill sync with an appointment this month, half not
enrolled with two prescriptions due 3 days apart (listed in Due Together). Each row measures
what the web client asks for, 5 runs, and compares it with the same answer from one SQL
statement.

Alone: python scripts/bench_sync.py ODOO_CONF DB [PATIENTS ...] (default 50 200: two sizes).
"""
import datetime
import sys
import time

RUNS = 5
PAGE = 40          # kanban: records per column on the first page
LIST_PAGE = 80     # list views: rows of the first page


def _populate(env, patients):
    today = datetime.date.fromisoformat(env['res.company'].pharmacy_today())
    # a maintenance tablet of the catalog; a bench database (no demo catalog) may have none
    med = env['pharmacy.medication'].search(
        [('schedule', '=', 'none'), ('is_maintenance', '=', True),
         ('dosage_form', '=', 'tablet')], limit=1) or env['pharmacy.medication'].create({
             'name': 'Bench Sync Statin', 'generic_name': 'bench statin', 'is_maintenance': True})
    written = (today - datetime.timedelta(days=60)).isoformat()
    Partner, Rx, Fill = env['res.partner'], env['pharmacy.patient.medication'], env['pharmacy.fill']
    Enrollment = env['pharmacy.sync.enrollment']
    for i in range(patients):
        patient = Partner.create({'name': 'Bench Sync %d' % i, 'is_patient': True,
                                  'birthdate_date': '1960-01-01', 'nkda': True})
        enrolled = i % 2 == 0
        for j, filled in enumerate((25, 22)):   # due in 5 and 8 days
            rx = Rx.create({'patient_id': patient.id, 'medication_id': med.id,
                            'rx_number': 'BS%d-%d' % (i, j), 'days_supply': 30,
                            'quantity': 30, 'refills_authorized': 5, 'date_written': written,
                            'sync_opt_in': enrolled})
            Fill.create({'prescription_id': rx.id, 'quantity': 30, 'days_supply': 30,
                         'fill_date': (today - datetime.timedelta(days=filled)).isoformat()})
        if enrolled:
            Enrollment.create({'patient_id': patient.id, 'sync_rule': 'day',
                               'sync_day': 1 + i % 28, 'consent_source': 'in_store'})
    Enrollment.search([('state', '=', 'enrolled')])._schedule_next_appointment()
    env['pharmacy.sync.appointment'].invalidate_cache()


def _measure(env, func):
    cr = env.cr
    seconds, queries, result = [], 0, None
    for _run in range(RUNS):
        env.clear()
        count, start = cr.sql_log_count, time.perf_counter()
        result = func()
        seconds.append(time.perf_counter() - start)
        queries = cr.sql_log_count - count   # the last run: caches warm, as in use
    return seconds, queries, result


def _sql(env, query, params=()):
    cr = env.cr
    start = time.perf_counter()
    cr.execute(query, params)
    rows = cr.fetchall()
    return time.perf_counter() - start, rows


def rows(env, patients=100):
    if env.context.get('bench_smoke'):
        patients = 10       # tests/test_bench_smoke.py: the rows work, not their time
    _populate(env, patients)
    technician = env.ref('pharmacy_crm.user_technician', raise_if_not_found=False) or \
        env['res.users'].with_context(no_reset_password=True).create({
            'name': 'Bench Sync Technician', 'login': 'bench_sync_technician',
            'email': 'bench.sync@example.com',
            'groups_id': [(6, 0, env.ref('pharmacy_crm.group_pharmacy_technician').ids)]})
    Appointment = env['pharmacy.sync.appointment'].sudo(technician)
    DueTogether = env['pharmacy.sync.due.together'].sudo(technician)
    scale = env['res.partner'].search_count([('is_patient', '=', True)])
    today = datetime.date.fromisoformat(env['res.company'].pharmacy_today())
    month = [('date', '>=', today.replace(day=1).isoformat()),
             ('date', '<', (today.replace(day=28) + datetime.timedelta(days=4))
              .replace(day=1).isoformat())]
    kanban_fields = ['patient_id', 'date', 'state', 'line_count', 'line_summary',
                     'activity_ids']

    def board():
        """The kanban grouped by state: read_group, then the first page of each column."""
        groups = Appointment.read_group([], ['state'], ['state'], lazy=False)
        return {group['state']: [r['id'] for r in Appointment.search_read(
            [('state', '=', group['state'])], kanban_fields, limit=PAGE)]
            for group in groups if group['__count']}

    seconds, queries, answer = _measure(env, board)
    sql_seconds, sql_rows = _sql(env, """
        SELECT state, (array_agg(id ORDER BY date, id))[1:%s]
          FROM pharmacy_sync_appointment GROUP BY state""", [PAGE])
    result = [{'operation': 'sync board: kanban first page (by state)', 'scale': scale,
               'seconds': seconds, 'queries': queries, 'sql_seconds': sql_seconds,
               'equal': answer == {state: ids for state, ids in sql_rows}}]

    def calendar():
        return [r['id'] for r in Appointment.search_read(
            month, ['patient_id', 'date', 'state', 'line_count'], order='date, id')]

    seconds, queries, answer = _measure(env, calendar)
    sql_seconds, sql_rows = _sql(env, """
        SELECT id FROM pharmacy_sync_appointment WHERE date >= %s AND date < %s
      ORDER BY date, id""", [month[0][2], month[1][2]])
    result.append({'operation': 'sync board: calendar month', 'scale': scale,
                   'seconds': seconds, 'queries': queries, 'sql_seconds': sql_seconds,
                   'equal': answer == [row[0] for row in sql_rows]})

    due_fields = ['patient_id', 'patient_phone', 'prescription_count', 'first_due_date',
                  'last_due_date', 'due_dates']

    def due_together():
        return [r['id'] for r in DueTogether.search_read([], due_fields, limit=LIST_PAGE)]

    seconds, queries, answer = _measure(env, due_together)
    sql_seconds, sql_rows = _sql(env, """
        SELECT id FROM pharmacy_sync_due_together ORDER BY first_due_date, id
         LIMIT %s""", [LIST_PAGE])
    result.append({'operation': 'due together: first page (%d rows)' % len(answer),
                   'scale': scale, 'seconds': seconds, 'queries': queries,
                   'sql_seconds': sql_seconds, 'equal': answer == [row[0] for row in sql_rows]})
    return result


def main(conf, db, *sizes):
    from bench import rolled_back_env   # run alone: scripts/ is on the path
    print('%-50s %8s %10s %8s %10s %6s' % ('operation', 'patients', 'median s', 'queries',
                                           'SQL s', 'equal'))
    for size in [int(s) for s in sizes] or [50, 200]:
        with rolled_back_env(conf, db) as env:
            for row in rows(env, size):
                print('%-50s %8d %10.4f %8d %10.4f %6s' % (
                    row['operation'], row['scale'], sorted(row['seconds'])[RUNS // 2],
                    row['queries'], row['sql_seconds'] or 0, row['equal']))


if __name__ == '__main__':
    main(*sys.argv[1:])
