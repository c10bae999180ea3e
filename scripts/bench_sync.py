"""Refill sync (#10) bench rows for `make bench`: the sync board's first page, its calendar
month and the Due Together list, as a technician, on the bench database's own patients, with
their query counts (constant in the number of patients) and the same answer from one SQL
statement.

``rows(env)`` enrolls one active patient in ``SHARE`` (every ``SHARE``-th by id, those with an
active prescription) in refill sync in the caller's transaction (the caller rolls it back):
their active prescriptions opted in, an enrollment on a day of the month (1-28), the
appointment of their next sync date with a line per prescription and its call activity, as
``pharmacy.sync.enrollment._schedule_next_appointment`` writes them but set-based (a few
``INSERT ... SELECT``: the ORM's per-patient create would take minutes at 100,000 patients).
The calendar rows read what the web client's calendar reads (its view's fields, the display
name included) over a week (the view's default: the next 7 days) and over the month.
Due Together lists the other patients' prescriptions of the bench that are due within the
window of each other. Each row names the bench's patient count as its scale; runs: ``RUNS``,
fewer above ``LARGE`` patients.

Alone: python scripts/bench_sync.py ODOO_CONF DB
"""
import datetime
import sys
import time

from lxml import etree

RUNS = 5
LARGE = 50000   # above this many patients: at most LARGE_RUNS runs (the row's runs column)
LARGE_RUNS = 3
SHARE = 10         # one patient in SHARE enrolled in refill sync
PAGE = 40          # kanban: records per column on the first page
LIST_PAGE = 80     # list views: rows of the first page


def _populate(env, user, companies):
    """Enroll one patient in SHARE of ``companies`` (set-based), ``user`` responsible:
    {'enrolled': n, 'appointments': n, 'lines': n}."""
    from odoo.addons.pharmacy_crm_sync.tools import sync_date_after
    cr = env.cr
    cr.execute("""
        CREATE TEMP TABLE bench_sync_patient ON COMMIT DROP AS
        SELECT id, company_id, pharmacy_today(company_id) AS today,
               1 + id %% 28 AS sync_day
          FROM (SELECT p.id, p.company_id, row_number() OVER (ORDER BY p.id) AS n
                  FROM res_partner p
                 WHERE p.is_patient AND p.active AND p.patient_state = 'active'
                   AND p.company_id = ANY(%(companies)s)
                   AND EXISTS (SELECT 1 FROM pharmacy_patient_medication rx
                                WHERE rx.patient_id = p.id AND rx.state = 'active'
                                  AND rx.active)
                   AND NOT EXISTS (SELECT 1 FROM pharmacy_sync_enrollment e
                                    WHERE e.patient_id = p.id
                                      AND e.state IN ('enrolled', 'paused'))) candidate
         WHERE n %% %(share)s = 1""", {'share': SHARE, 'companies': companies})
    # the next sync date of each (pharmacy's today, day of the month): the product's formula
    cr.execute('SELECT DISTINCT today, sync_day FROM bench_sync_patient')
    days = [(today, day, sync_date_after(datetime.date.fromisoformat(today), 'day', day))
            for today, day in cr.fetchall()]   # Odoo's cursor reads dates as text
    activity_days = env['pharmacy.setting'].get('sync_activity_days')
    model_id = env['ir.model']._get('pharmacy.sync.appointment').id
    call = env.ref('mail.mail_activity_data_call').id
    cr.execute("""
        UPDATE pharmacy_patient_medication rx SET sync_opt_in = TRUE
          FROM bench_sync_patient p
         WHERE rx.patient_id = p.id AND rx.state = 'active' AND rx.active""")
    cr.execute("""
        WITH enrolled AS (
            INSERT INTO pharmacy_sync_enrollment (
                patient_id, company_id, sync_rule, sync_day, cycle_days, enrolled_on,
                enrolled_by, consent_source, responsible_user_id, state, create_uid,
                create_date, write_uid, write_date)
            SELECT id, company_id, 'day', sync_day, 28, today, %(uid)s, 'in_store', %(user)s,
                   'enrolled', %(uid)s, now() at time zone 'UTC', %(uid)s,
                   now() at time zone 'UTC'
              FROM bench_sync_patient
         RETURNING id, patient_id, company_id, sync_day)
        INSERT INTO pharmacy_sync_appointment (
            enrollment_id, patient_id, company_id, date, state, activity_date_deadline,
            create_uid, create_date, write_uid, write_date)
        SELECT e.id, e.patient_id, e.company_id, d.date, 'to_confirm',
               greatest(p.today, d.date - %(activity_days)s), %(uid)s,
               now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
          FROM enrolled e
          JOIN bench_sync_patient p ON p.id = e.patient_id
          JOIN unnest(%(todays)s::date[], %(days)s::int[], %(dates)s::date[]) d(today, day, date)
            ON d.today = p.today AND d.day = e.sync_day""", {
        'uid': env.uid, 'user': user.id, 'activity_days': activity_days,
        'todays': [d[0] for d in days], 'days': [d[1] for d in days],
        'dates': [d[2] for d in days]})
    appointments = cr.rowcount
    # the statistics of what was just written before joining it: with none, the planner
    # counts one prescription opted in and compares each of the 50,970 with every enrolled
    # patient (509 million comparisons, 40-120 s at 100,000 patients)
    cr.execute('ANALYZE bench_sync_patient')
    cr.execute('ANALYZE pharmacy_patient_medication (sync_opt_in)')
    cr.execute('ANALYZE pharmacy_sync_appointment')
    cr.execute("""
        INSERT INTO pharmacy_sync_appointment_line (
            appointment_id, prescription_id, patient_id, company_id, therapy_change,
            create_uid, create_date, write_uid, write_date)
        SELECT a.id, rx.id, a.patient_id, a.company_id, 'none', %(uid)s,
               now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
          FROM pharmacy_sync_appointment a
          JOIN bench_sync_patient p ON p.id = a.patient_id
          JOIN pharmacy_patient_medication rx ON rx.patient_id = a.patient_id
               AND rx.sync_opt_in AND rx.state = 'active' AND rx.active""", {'uid': env.uid})
    lines = cr.rowcount
    cr.execute("""
        INSERT INTO mail_activity (res_id, res_model_id, res_model, res_name,
                                   activity_type_id, user_id, date_deadline, summary,
                                   create_uid, create_date, write_uid, write_date)
        SELECT a.id, %(model)s, 'pharmacy.sync.appointment', patient.name, %(call)s,
               %(user)s, a.activity_date_deadline, 'Refill sync: confirm the pickup',
               %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
          FROM pharmacy_sync_appointment a
          JOIN bench_sync_patient p ON p.id = a.patient_id
          JOIN res_partner patient ON patient.id = a.patient_id""", {
        'model': model_id, 'call': call, 'user': user.id, 'uid': env.uid})
    cr.execute('SELECT count(*) FROM bench_sync_patient')
    enrolled = cr.fetchone()[0]
    for table in ('pharmacy_sync_enrollment', 'pharmacy_sync_appointment',
                  'pharmacy_sync_appointment_line', 'mail_activity'):
        cr.execute('ANALYZE %s' % table)
    env.clear()
    return {'enrolled': enrolled, 'appointments': appointments, 'lines': lines}


def _calendar_fields(model):
    """The fields the web client's calendar view reads (Odoo 11's calendar_view.js): the
    display name, the date attributes, the arch's fields and the color field."""
    arch = etree.fromstring(model.fields_view_get(view_type='calendar')['arch'])
    names = ['display_name'] + [arch.get(attr) for attr in (
        'date_start', 'date_delay', 'date_stop', 'all_day') if arch.get(attr)]
    names += [node.get('name') for node in arch if node.tag == 'field']
    names += [arch.get('color')] if arch.get('color') else []
    return list(dict.fromkeys(names))


def _measure(env, func, runs):
    cr = env.cr
    seconds, queries, result = [], 0, None
    for _run in range(runs):
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


def rows(env, runs=None):
    from bench import bench_company   # scripts/ is on the path (bench.py imports this)
    if 'pharmacy.sync.enrollment' not in env.registry:
        return []
    scale = env['res.partner'].search_count([('is_patient', '=', True)])
    runs = min(runs or RUNS, RUNS if scale <= LARGE else LARGE_RUNS)
    company = bench_company(env) or env.ref('base.main_company')
    technician = env['res.users'].with_context(no_reset_password=True).create({
        'name': 'Bench Sync Technician', 'login': 'bench_sync_technician_%f' % time.time(),
        'email': 'bench.sync@example.com', 'company_id': company.id,
        'company_ids': [(6, 0, company.ids)],
        'groups_id': [(6, 0, env.ref('pharmacy_crm.group_pharmacy_technician').ids)]})
    companies = env['res.company'].search([('id', 'child_of', company.id)]).ids
    started = time.perf_counter()
    made = _populate(env, technician, companies)
    made['seconds'] = time.perf_counter() - started
    Appointment = env['pharmacy.sync.appointment'].sudo(technician)
    DueTogether = env['pharmacy.sync.due.together'].sudo(technician)
    today = datetime.date.fromisoformat(company.pharmacy_today())
    month = [('date', '>=', today.replace(day=1).isoformat()),
             ('date', '<', (today.replace(day=28) + datetime.timedelta(days=4))
              .replace(day=1).isoformat())]
    kanban_fields = ['patient_id', 'date', 'state', 'line_count', 'line_summary',
                     'activity_ids']
    enrolled = '%(enrolled)d enrolled (1 in %(share)d), %(appointments)d appointments, ' \
        '%(lines)d lines' % dict(made, share=SHARE)

    def board():
        """The kanban grouped by state: read_group, then the first page of each column."""
        groups = Appointment.read_group([], ['state'], ['state'], lazy=False)
        return {group['state']: [r['id'] for r in Appointment.search_read(
            [('state', '=', group['state'])], kanban_fields, limit=PAGE)]
            for group in groups if group['__count']}

    seconds, queries, answer = _measure(env, board, runs)
    sql_seconds, sql_rows = _sql(env, """
        SELECT state, (array_agg(id ORDER BY date, id))[1:%s]
          FROM pharmacy_sync_appointment WHERE company_id = ANY(%s) GROUP BY state""",
                                 [PAGE, companies])
    result = [{'operation': 'sync board: kanban first page by state (%s; written set-based '
                            'in %.1f s)' % (enrolled, made['seconds']),
               'scale': scale, 'seconds': seconds, 'queries': queries,
               'sql_seconds': sql_seconds,
               'equal': answer == {state: ids for state, ids in sql_rows}}]

    calendar_fields = _calendar_fields(Appointment)
    # the view opens on a week; the bench's appointments are all after today: its 7 days
    week = [('date', '>=', today.isoformat()),
            ('date', '<', (today + datetime.timedelta(days=7)).isoformat())]
    for label, domain in (('calendar week (the default view), the next 7 days', week),
                          ('calendar month', month)):

        def calendar(domain=domain):
            return [r['id'] for r in Appointment.search_read(
                domain, calendar_fields, order='date, id')]

        seconds, queries, answer = _measure(env, calendar, runs)
        where = ' AND '.join('date %s %%s' % operator for _name, operator, _value in domain)
        sql_seconds, sql_rows = _sql(env, """
            SELECT id FROM pharmacy_sync_appointment WHERE %s
               AND company_id = ANY(%%s) ORDER BY date, id""" % where,
                                     [value for _name, _op, value in domain] + [companies])
        result.append({'operation': 'sync board: %s (%d appointments)' % (label, len(answer)),
                       'scale': scale, 'seconds': seconds, 'queries': queries,
                       'sql_seconds': sql_seconds,
                       'equal': answer == [row[0] for row in sql_rows]})

    due_fields = ['patient_id', 'patient_phone', 'prescription_count', 'first_due_date',
                  'last_due_date', 'due_dates']

    def due_together():
        return [r['id'] for r in DueTogether.search_read([], due_fields, limit=LIST_PAGE)]

    seconds, queries, answer = _measure(env, due_together, runs)
    sql_seconds, sql_rows = _sql(env, """
        SELECT id FROM pharmacy_sync_due_together WHERE company_id = ANY(%s)
      ORDER BY first_due_date, id LIMIT %s""", [companies, LIST_PAGE])
    env.cr.execute('SELECT count(*) FROM pharmacy_sync_due_together')
    listed = env.cr.fetchone()[0]
    result.append({'operation': 'due together: first page (%d rows of %d patients listed)'
                                % (len(answer), listed),
                   'scale': scale, 'seconds': seconds, 'queries': queries,
                   'sql_seconds': sql_seconds, 'equal': answer == [row[0] for row in sql_rows]})
    return result


def main(conf, db):
    from bench import format_table, rolled_back_env   # run alone: scripts/ is on the path
    with rolled_back_env(conf, db) as env:
        print(format_table(rows(env)))


if __name__ == '__main__':
    main(*sys.argv[1:3])
