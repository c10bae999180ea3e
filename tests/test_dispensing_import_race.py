"""The dispensing import and the counter at the same time, on the served database.

- Two imports of one pharmacy started together: the first applies; the second, asked over
  JSON-RPC while the first runs, is refused with a message saying another import is running,
  and the scheduled action leaves it queued (it runs once the first has ended).
- Counter fills on prescriptions (and so patients) the import writes, while it runs: one
  committed after the import's transaction began and before it locked its rows (the import is
  retried, and completes); one over XML-RPC and one over JSON-RPC once it holds its locks (they
  wait for it, Odoo retries them after the serialisation failure, and the retry runs clean:
  the fills are kept), and one over JSON-RPC on another prescription of a patient of the
  file. Every wait is on an event or on PostgreSQL's lock table.

The import runs in this process (pytest-odoo's registry), in a thread with its own cursor,
paused by its progress callback; the counter calls go to the served instance.
"""
import base64
import threading
import time
import xmlrpc.client
from datetime import timedelta

import odoo
from odoo import SUPERUSER_ID, api

from conftest import pharmacy_today
from odoo.addons.pharmacy_crm_import.tools.dispensing_csv import to_bytes
from rpc_users import JsonRpc, create_user, xmlid_to_id

WAIT = 60   # seconds: the longest any event or lock is waited for


def _rows(stamp, numbers, fill_number, fill_date, written):
    """One fill of each prescription ``RACE<stamp>-<n>`` (patient n) of the file."""
    ndc = '77777-%04d-01' % (stamp % 10000)
    return [{
        'patient_id': 'RACE%d-%d' % (stamp, n), 'last_name': 'Race%d' % stamp,
        'first_name': 'Pat%d' % n, 'birthdate': '1955-05-0%d' % n, 'allergies': 'NKDA',
        'prescriber_npi': '1234567893', 'prescriber_name': 'Alice Brown, MD',
        'prescriber_dea': 'AB1234563', 'ndc': ndc, 'drug_name': 'Racestatin %d' % stamp,
        'generic_name': 'racestatin', 'strength': '10 mg', 'dosage_form': 'tablet',
        'drug_type': 'generic', 'schedule': 'none', 'therapeutic_class': 'statin',
        'rx_number': 'RACE%d-%d' % (stamp, n), 'date_written': written.isoformat(),
        'refills_authorized': '5', 'rx_quantity': '30', 'rx_days_supply': '30',
        'fill_number': str(fill_number), 'fill_date': fill_date.isoformat(), 'quantity': '30',
        'days_supply': '30', 'state': 'picked_up', 'pickup_date': fill_date.isoformat(),
    } for n in numbers]


def _xmlrpc(url, db, login):
    uid = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/common').authenticate(db, login, login, {})
    assert uid, login

    def call(model, method, *args):
        proxy = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/object')
        return proxy.execute_kw(db, uid, login, model, method, list(args))
    return call


class PausedImport(threading.Thread):
    """``pharmacy.import.log._run_retrying`` of ``log_id`` in its own cursor; its progress
    callback calls ``on_stage(stage)`` at each stage (in the import's thread)."""

    def __init__(self, db_name, log_id, on_stage):
        super().__init__()
        self.db_name, self.log_id, self.on_stage = db_name, log_id, on_stage
        self.stages, self.result, self.error, self.pid = [], None, None, None

    def run(self):
        try:
            with api.Environment.manage(), odoo.registry(self.db_name).cursor() as cr:
                cr.execute('SELECT pg_backend_pid()')
                self.pid = cr.fetchone()[0]
                env = api.Environment(cr, SUPERUSER_ID, {})

                def progress(_done, _total, stage):
                    self.stages.append(stage)
                    self.on_stage(stage)
                self.result = env['pharmacy.import.log'].browse(self.log_id)._run_retrying(
                    progress)
        except Exception as err:    # reported by the test
            self.error = err


def _wait_blocked_by(db_name, pid, count):
    """Wait until ``count`` sessions wait for a lock that session ``pid`` holds."""
    deadline = time.monotonic() + WAIT
    with odoo.sql_db.db_connect(db_name).cursor() as cr:
        while True:
            cr.execute('SELECT count(*) FROM pg_stat_activity WHERE %s = ANY('
                       'pg_blocking_pids(pid))', [pid])
            if cr.fetchone()[0] >= count:
                return
            assert time.monotonic() < deadline, 'the counter calls never waited for the import'
            cr.execute('SELECT pg_sleep(0.05)')     # the lock table, polled


def _call(outcomes, key, function):
    def run():
        try:
            outcomes[key] = ('ok', function())
        except Exception as err:
            outcomes[key] = ('error', getattr(err, 'faultString', None) or str(err))
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _setup(odoo_server, db_name, admin_rpc, numbers):
    """A manager (JSON-RPC), a technician (XML-RPC and JSON-RPC), and one committed import
    of a first fill 60 days ago for each prescription of ``numbers``."""
    stamp = int(time.time() * 1000) % 10 ** 9
    company_id = xmlid_to_id(admin_rpc, 'base.main_company')
    logins = {role: 'race_%s_%d' % (role, stamp) for role in ('manager', 'technician')}
    for role, login in logins.items():
        create_user(admin_rpc, role, login, company_id)
    manager = JsonRpc(odoo_server, db_name, logins['manager'], logins['manager'])
    today = pharmacy_today()
    written = today - timedelta(days=70)
    first = to_bytes(_rows(stamp, numbers, 1, today - timedelta(days=60), written))
    log_id = manager.call('pharmacy.import.log', 'create', {
        'name': 'race-setup.csv', 'file': base64.b64encode(first).decode()})
    manager.call('pharmacy.import.log', 'action_run_now', [log_id])
    rx_ids = {}
    for n in numbers:
        [rx_ids[n]] = admin_rpc('pharmacy.patient.medication', 'search',
                                [('rx_number', '=', 'RACE%d-%d' % (stamp, n))])
    return stamp, written, manager, logins['technician'], rx_ids


def _queue(manager, name, data):
    return manager.call('pharmacy.import.log', 'create', {
        'name': name, 'file': base64.b64encode(data).decode()})


def test_two_imports_together(odoo_server, db_name, admin_rpc):
    stamp, written, manager, _tech, _rx = _setup(odoo_server, db_name, admin_rpc, [1])
    data = to_bytes(_rows(stamp, [1, 2], 2, pharmacy_today() - timedelta(days=30), written))
    first, second = _queue(manager, 'first.csv', data), _queue(manager, 'second.csv', data)
    running, refused = threading.Event(), threading.Event()

    def on_stage(stage):
        if stage == 'copy' and not running.is_set():
            running.set()
            assert refused.wait(WAIT), 'the second import was not tried'
    importer = PausedImport(db_name, first, on_stage)
    importer.start()
    try:
        assert running.wait(WAIT), 'the first import did not start'
        outcome = manager.outcome('pharmacy.import.log', 'action_run_now', [second])
        # the scheduled action, meanwhile, leaves it queued (and does not wait)
        with api.Environment.manage(), odoo.registry(db_name).cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})['pharmacy.import.log']._cron_run_queued()
    finally:
        refused.set()
        importer.join(WAIT)
    assert importer.error is None, importer.error
    assert outcome[0] == 'error' and 'Another dispensing import of' in outcome[2] \
        and 'is running' in outcome[2], outcome
    logs = {log['id']: log for log in manager.call(
        'pharmacy.import.log', 'read', [first, second],
        ['state', 'patient_new', 'fill_new', 'failure'])}
    assert (logs[first]['state'], logs[first]['patient_new'], logs[first]['fill_new']) == \
        ('done', 1, 2), logs[first]
    assert logs[second]['state'] == 'queued', logs[second]
    # the second runs once the first has ended: the same rows, nothing left to change
    manager.call('pharmacy.import.log', 'action_run_now', [second])
    [log] = manager.call('pharmacy.import.log', 'read', [second],
                         ['state', 'fill_new', 'fill_unchanged'])
    assert (log['state'], log['fill_new'], log['fill_unchanged']) == ('done', 0, 2), log


def test_counter_fills_during_an_import(odoo_server, db_name, admin_rpc):
    stamp, written, manager, technician, rx = _setup(odoo_server, db_name, admin_rpc,
                                                     [1, 2, 3])
    today = pharmacy_today()
    tech_xml = _xmlrpc(odoo_server, db_name, technician)
    tech_json = JsonRpc(odoo_server, db_name, technician, technician)
    data = to_bytes(_rows(stamp, [1, 2, 3], 3, today - timedelta(days=30), written))
    log_id = _queue(manager, 'race.csv', data)
    # a prescription not in the file of a patient who is (rx 4): its fill writes that patient
    [first] = admin_rpc('pharmacy.patient.medication', 'read', [rx[1]],
                        ['patient_id', 'medication_id', 'prescriber_id'])
    rx[4] = admin_rpc('pharmacy.patient.medication', 'create', {
        'patient_id': first['patient_id'][0], 'medication_id': first['medication_id'][0],
        'prescriber_id': first['prescriber_id'][0], 'rx_number': 'RACE%d-4' % stamp,
        'date_written': written.isoformat(), 'refills_authorized': 5, 'quantity': 30,
        'days_supply': 30})

    def fill(n):
        return {'prescription_id': rx[n], 'quantity': 30, 'days_supply': 30,
                'fill_date': today.isoformat()}
    outcomes, locked, release = {}, threading.Event(), threading.Event()

    def on_stage(stage):
        if stage == 'copy' and 3 not in outcomes:
            # after the import's transaction began, before its row locks: committed at once
            outcomes[3] = ('ok', tech_xml('pharmacy.fill', 'create', fill(3)))
        elif stage == 'locked':
            locked.set()
            assert release.wait(WAIT), 'not released'
    importer = PausedImport(db_name, log_id, on_stage)
    importer.start()
    counters = []
    try:
        assert locked.wait(WAIT), 'the import never locked its rows: %s' % importer.error
        counters = [_call(outcomes, 1, lambda: tech_xml('pharmacy.fill', 'create', fill(1))),
                    _call(outcomes, 2, lambda: tech_json.call('pharmacy.fill', 'create',
                                                              fill(2))),
                    _call(outcomes, 4, lambda: tech_json.call('pharmacy.fill', 'create',
                                                              fill(4)))]
        _wait_blocked_by(db_name, importer.pid, 2)
    finally:
        release.set()
        importer.join(WAIT)
        for thread in counters:
            thread.join(WAIT)
    assert importer.error is None, importer.error
    # the first attempt met the fill of prescription 3 at its row locks and was retried
    assert importer.stages == ['copy', 'copy', 'copy', 'copy', 'locked', 'checked'], \
        importer.stages
    [log] = manager.call('pharmacy.import.log', 'read', [log_id],
                         ['state', 'fill_new', 'bad_count', 'failure'])
    assert (log['state'], log['fill_new'], log['bad_count']) == ('done', 3, 0), log
    # the counter's fills are kept (Odoo retried the two that waited: the retry ran clean)
    assert sorted(outcomes) == [1, 2, 3, 4] and all(
        outcome[0] == 'ok' for outcome in outcomes.values()), outcomes
    fills = admin_rpc('pharmacy.fill', 'read', [outcomes[n][1] for n in (1, 2, 3, 4)],
                      ['prescription_id', 'fill_date', 'state'])
    assert [(f['prescription_id'][0], f['fill_date']) for f in fills] == \
        [(rx[n], today.isoformat()) for n in (1, 2, 3, 4)], fills
    # each prescription: the setup's fill, the import's and the counter's, counted
    for record in admin_rpc('pharmacy.patient.medication', 'read', [rx[1], rx[2], rx[3]],
                            ['fill_count', 'last_fill_date']):
        assert (record['fill_count'], record['last_fill_date']) == (3, today.isoformat()), \
            record
