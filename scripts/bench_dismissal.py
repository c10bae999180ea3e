"""Dismissal bench rows for `make bench` (scripts/bench.py prints them): the incident count
of a patient list, approving a dismissal (letter rendered as HTML: wkhtmltopdf needs the
served instance for its assets, the bench has none), and the effective-date job.

Everything is created in a transaction that is rolled back. Alone:
    python scripts/bench_dismissal.py ODOO_CONF DB [PATIENTS]
"""
import datetime
import sys
import time
from unittest.mock import patch

RUNS = 5


def _timed(cr, func):
    queries, start = cr.sql_log_count, time.perf_counter()
    result = func()
    return time.perf_counter() - start, cr.sql_log_count - queries, result


def rows(env, patients=80):
    if env.context.get('bench_smoke'):
        patients = 10       # tests/test_bench_smoke.py: the rows work, not their time
    cr = env.cr
    today = datetime.date.fromisoformat(env['res.company'].pharmacy_today())
    manager = env.ref('pharmacy_crm.user_pharmacy_manager', raise_if_not_found=False) or \
        env['res.users'].with_context(no_reset_password=True).create({
            'name': 'Bench Dismissal Manager', 'login': 'bench_dismissal_manager',
            'email': 'bench.manager@example.com',
            'groups_id': [(6, 0, env.ref('pharmacy_crm.group_pharmacy_manager').ids)]})
    pharmacy = env['res.partner'].create({'name': 'Bench Pharmacy', 'is_pharmacy': True,
                                          'city': 'Lewisburg'})
    partners = env['res.partner']
    for i in range(patients):
        partners |= partners.create({'name': 'Bench Dismissal %d' % i, 'is_patient': True,
                                     'birthdate_date': '1960-01-01', 'nkda': True,
                                     'email': 'bench.dismissal.%d@example.com' % i})
    Incident = env['pharmacy.incident']
    for i, partner in enumerate(partners):
        for days, kind in ((40, 'scene'), (5, 'verbal_abuse')):
            Incident.create({'patient_id': partner.id, 'incident_type': kind,
                             'description': 'Bench incident %d' % i,
                             'date': '%s 10:00:00' % (today - datetime.timedelta(days=days))})
    result = []

    # 1. the patient list with its incident count, as a technician (one grouped query)
    technician = env.ref('pharmacy_crm.user_technician', raise_if_not_found=False) or \
        env['res.users'].with_context(no_reset_password=True).create({
            'name': 'Bench Dismissal Technician', 'login': 'bench_dismissal_technician',
            'email': 'bench.technician@example.com',
            'groups_id': [(6, 0, env.ref('pharmacy_crm.group_pharmacy_technician').ids)]})

    def count_orm():
        partners.invalidate_cache()
        rows = partners.sudo(technician).read(['incident_count'])
        return sorted((r['id'], r['incident_count']) for r in rows)
    runs = [_timed(cr, count_orm) for _ in range(RUNS)]
    start = time.perf_counter()
    cr.execute("""SELECT p.id, count(i.id) FROM res_partner p
                  LEFT JOIN pharmacy_incident i ON i.patient_id = p.id AND i.active
                  WHERE p.id IN %s GROUP BY p.id ORDER BY p.id""", [tuple(partners.ids)])
    sql = sorted(cr.fetchall())
    sql_seconds = time.perf_counter() - start
    result.append({'operation': 'patient list: incident count', 'scale': patients,
                   'seconds': [r[0] for r in runs], 'queries': runs[-1][1],
                   'sql_seconds': sql_seconds, 'equal': runs[-1][2] == sql})

    # 2. a manager proposes and approves a dismissal (letter, consent, lists, debrief)
    effective = (today + datetime.timedelta(days=30)).isoformat()
    Report = env.registry['ir.actions.report']
    approvals = []
    with patch.object(Report, 'get_wkhtmltopdf_state', lambda self: 'install'):
        for partner in partners[:RUNS]:
            dismissal = env['pharmacy.dismissal'].sudo(manager).create({
                'patient_id': partner.id, 'incident_ids': [(6, 0, partner.incident_ids.ids)],
                'explanation': 'Bench explanation.', 'attestation': True,
                'referral_pharmacy_ids': [(6, 0, pharmacy.ids)], 'effective_date': effective})
            approvals.append(_timed(cr, dismissal.action_approve))
    staff = len(env.ref('pharmacy_crm.group_pharmacy_technician').users)
    result.append({'operation': 'approve a dismissal (%d staff debriefed)' % staff,
                   'scale': patients, 'seconds': [r[0] for r in approvals],
                   'queries': approvals[-1][1], 'sql_seconds': None, 'equal': None})

    # 3. the effective-date job over the approved dismissals, moved to today
    approved = env['pharmacy.dismissal'].search([('state', '=', 'approved')])
    jobs = []
    for _run in range(RUNS):
        cr.execute("UPDATE pharmacy_dismissal SET state = 'approved', effective_date = %s "
                   "WHERE id IN %s", [today.isoformat(), tuple(approved.ids)])
        env.clear()
        jobs.append(_timed(cr, env['pharmacy.dismissal']._cron_apply_effective))
    result.append({'operation': 'effective-date job (%d dismissals)' % len(approved),
                   'scale': patients, 'seconds': [r[0] for r in jobs],
                   'queries': jobs[-1][1], 'sql_seconds': None, 'equal': None})
    return result


def main(conf, db, patients=80):
    from bench import rolled_back_env   # run alone: scripts/ is on the path
    with rolled_back_env(conf, db) as env:
        for row in rows(env, int(patients)):
            print('%-46s %5d  %8.3f s (min of %d) %6d queries  sql %s  equal %s' % (
                row['operation'], row['scale'], min(row['seconds']), len(row['seconds']),
                row['queries'], row['sql_seconds'] and '%.4f s' % row['sql_seconds'],
                row['equal']))


if __name__ == '__main__':
    main(*sys.argv[1:])
