"""Dismissal bench rows for `make bench` (scripts/bench.py prints them), on the bench database's
own patients: the incident count of the patient list's first page, approving a dismissal
(letter rendered as HTML: wkhtmltopdf needs the served instance for its assets, the bench has
none), and the effective-date job over a share of the patients.

``rows(env)`` works in the caller's transaction (the caller rolls it back). It gives one active
patient in ``INCIDENT_SHARE`` two incidents (40 and 5 days ago) and one in ``DISMISSAL_SHARE``
(others) a dismissal approved and effective today, set-based (``INSERT ... SELECT``: the
ORM's per-record create would take minutes at 100,000 patients). Each row names the bench's
patient count as its scale; runs: ``RUNS``, fewer above ``LARGE`` patients.

Alone: python scripts/bench_dismissal.py ODOO_CONF DB
"""
import datetime
import sys
import time
from unittest.mock import patch

RUNS = 5
LARGE = 50000   # above this many patients: at most LARGE_RUNS runs (the row's runs column)
LARGE_RUNS = 3
INCIDENT_SHARE = 20     # one active patient in 20 has two incidents
DISMISSAL_SHARE = 200   # one active patient in 200 has a dismissal effective today
PAGE = 80               # the patient list's first page


def _timed(cr, func):
    queries, start = cr.sql_log_count, time.perf_counter()
    result = func()
    return time.perf_counter() - start, cr.sql_log_count - queries, result


def _populate(env, companies):
    """The incidents and the dismissals due today (set-based) of the patients of
    ``companies``: (patients with incidents, incidents)."""
    cr = env.cr
    Incident = env['pharmacy.incident']
    now = "now() at time zone 'UTC'"
    cr.execute("""
        CREATE TEMP TABLE bench_dismissal_patient ON COMMIT DROP AS
        SELECT id, company_id, pharmacy_today(company_id) AS today,
               row_number() OVER (ORDER BY id) AS n
          FROM res_partner
         WHERE is_patient AND active AND patient_state = 'active'
           AND dismissal_effective_date IS NULL AND company_id = ANY(%s)""", [companies])
    cr.execute("""
        INSERT INTO pharmacy_incident (patient_id, company_id, date, incident_type, severity,
                                       description, reported_by_id, active, create_uid,
                                       create_date, write_uid, write_date)
        SELECT p.id, p.company_id, (p.today - i.days) + time '10:00', i.kind, i.severity,
               'Bench incident', %(uid)s, TRUE, %(uid)s, {now}, %(uid)s, {now}
          FROM bench_dismissal_patient p
         CROSS JOIN unnest(%(days)s::int[], %(kinds)s::text[], %(severities)s::text[])
               i(days, kind, severity)
         WHERE p.n %% %(share)s = 1""".format(now=now), {
        'uid': env.uid, 'share': INCIDENT_SHARE, 'days': [40, 5],
        'kinds': ['scene', 'verbal_abuse'],
        'severities': [Incident._default_severity('scene'),
                       Incident._default_severity('verbal_abuse')]})
    incidents = cr.rowcount
    cr.execute("""
        WITH due AS (
            INSERT INTO pharmacy_dismissal (
                patient_id, company_id, state, explanation, attestation,
                transfer_prescriptions, effective_date, proposed_by_id, proposed_date,
                approved_by_id, approved_date, create_uid, create_date, write_uid, write_date)
            SELECT id, company_id, 'approved', 'Bench explanation.', TRUE, FALSE, today,
                   %(uid)s, today - 30, %(uid)s, today - 30, %(uid)s, {now}, %(uid)s, {now}
              FROM bench_dismissal_patient
             WHERE n %% %(share)s = %(offset)s
         RETURNING patient_id, effective_date)
        UPDATE res_partner p SET dismissal_effective_date = due.effective_date
          FROM due WHERE p.id = due.patient_id""".format(now=now), {
        'uid': env.uid, 'share': DISMISSAL_SHARE, 'offset': DISMISSAL_SHARE // 2})
    for table in ('pharmacy_incident', 'pharmacy_dismissal'):
        cr.execute('ANALYZE %s' % table)
    env.clear()
    return incidents // 2, incidents


def rows(env, runs=None):
    from bench import bench_company, timed   # scripts/ is on the path
    if 'pharmacy.dismissal' not in env.registry:
        return []
    cr = env.cr
    scale = env['res.partner'].search_count([('is_patient', '=', True)])
    runs = min(runs or RUNS, RUNS if scale <= LARGE else LARGE_RUNS)
    company = bench_company(env) or env.ref('base.main_company')
    companies = env['res.company'].search([('id', 'child_of', company.id)]).ids
    started = time.perf_counter()
    with_incidents, incidents = _populate(env, companies)
    written = '%d incidents of %d patients (1 in %d), written set-based in %.1f s' % (
        incidents, with_incidents, INCIDENT_SHARE, time.perf_counter() - started)

    def user(name, group):
        return env['res.users'].with_context(no_reset_password=True).create({
            'name': 'Bench Dismissal %s' % name,
            'login': 'bench_dismissal_%s_%f' % (name.lower(), time.time()),
            'email': 'bench.%s@example.com' % name.lower(), 'company_id': company.id,
            'company_ids': [(6, 0, company.ids)], 'groups_id': [(6, 0, env.ref(group).ids)]})
    manager = user('Manager', 'pharmacy_crm.group_pharmacy_manager')
    technician = user('Technician', 'pharmacy_crm.group_pharmacy_technician')
    result = []

    # 1. the patient list's first page with its incident count, as a technician
    Partner = env['res.partner'].sudo(technician)

    def count_orm():
        Partner.invalidate_cache()
        found = Partner.search_read([('is_patient', '=', True)], ['name', 'incident_count'],
                                    limit=PAGE, order='name, id')
        return [(r['id'], r['incident_count']) for r in found]

    def count_sql():
        cr.execute("""
            SELECT p.id, (SELECT count(*) FROM pharmacy_incident i
                           WHERE i.patient_id = p.id AND i.active)
              FROM res_partner p
             WHERE p.is_patient AND p.active AND p.company_id = ANY(%s)
          ORDER BY p.name, p.id LIMIT %s""", [companies, PAGE])
        return [tuple(row) for row in cr.fetchall()]
    count_orm()
    seconds, queries, answer = timed(cr, count_orm, runs)
    sql_seconds, expected = timed(cr, count_sql, runs)[0], count_sql()
    result.append({'operation': 'patient list: first page of %d with the incident count (%d '
                                'with incidents; %s)' % (
                                    PAGE, len([1 for _id, count in answer if count]), written),
                   'scale': scale, 'seconds': seconds, 'queries': queries,
                   'sql_seconds': sorted(sql_seconds)[len(sql_seconds) // 2],
                   'equal': answer == expected})

    # 2. a manager proposes and approves a dismissal (letter, consent, lists, debrief), for
    # patients of the bench with incidents
    cr.execute("""SELECT patient_id FROM pharmacy_incident WHERE description = 'Bench incident'
                   GROUP BY patient_id ORDER BY patient_id LIMIT %s""", [runs])
    patients = env['res.partner'].browse([row[0] for row in cr.fetchall()])
    pharmacy = env['res.partner'].create({'name': 'Bench Pharmacy', 'is_pharmacy': True,
                                          'city': 'Lewisburg'})
    effective = (datetime.date.fromisoformat(company.pharmacy_today())
                 + datetime.timedelta(days=30)).isoformat()
    Report = env.registry['ir.actions.report']
    approvals = []
    with patch.object(Report, 'get_wkhtmltopdf_state', lambda self: 'install'):
        for partner in patients:
            dismissal = env['pharmacy.dismissal'].sudo(manager).create({
                'patient_id': partner.id, 'incident_ids': [(6, 0, partner.incident_ids.ids)],
                'explanation': 'Bench explanation.', 'attestation': True,
                'referral_pharmacy_ids': [(6, 0, pharmacy.ids)],
                'effective_date': effective})
            approvals.append(_timed(cr, dismissal.action_approve))
    staff = len(env.ref('pharmacy_crm.group_pharmacy_technician').users)
    result.append({'operation': 'approve a dismissal (%d staff debriefed; patients of the '
                                'bench with incidents)' % staff,
                   'scale': scale, 'seconds': [r[0] for r in approvals],
                   'queries': approvals[-1][1] if approvals else None, 'sql_seconds': None,
                   'equal': None})

    # 3. the effective-date job: the dismissals due today (one patient in DISMISSAL_SHARE)
    def job():
        env.clear()   # the previous run's states, rolled back
        return env['pharmacy.dismissal']._cron_apply_effective()
    seconds, queries, applied = timed(cr, job, runs)
    # the same answer in SQL: the approved dismissals whose effective date has come
    cr.execute("""SELECT count(*) FROM pharmacy_dismissal
                   WHERE state = 'approved' AND effective_date <= pharmacy_today(company_id)""")
    due = cr.fetchone()[0]
    result.append({'operation': 'effective-date job (%d dismissals due today: 1 patient in '
                                '%d)' % (applied, DISMISSAL_SHARE),
                   'scale': scale, 'seconds': seconds, 'queries': queries,
                   'sql_seconds': None, 'equal': applied == due})
    return result


def main(conf, db):
    from bench import format_table, rolled_back_env   # run alone: scripts/ is on the path
    with rolled_back_env(conf, db) as env:
        print(format_table(rows(env)))


if __name__ == '__main__':
    main(*sys.argv[1:3])
