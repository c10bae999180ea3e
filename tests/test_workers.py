"""Production mode: Odoo's multi-process server (``--workers``) on Python 3.11.

Without the ``resource.setrlimit`` patch of compat/, every HTTP worker dies at start ("'float'
object cannot be interpreted as an integer") and is respawned for ever: nothing answers.
The longpolling process (gevent) that a proxy serves under /longpolling/ is checked too.
"""
import json
import re
import socket
import time
import urllib.request
import uuid
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import _free_port, serve_odoo

CALLS = 32


@pytest.fixture(scope='module')
def workers_server(request, db_name):
    """The test database served with 2 HTTP workers and the longpolling process."""
    longpolling_port = _free_port()
    with serve_odoo(request, db_name, '--workers=2', '--max-cron-threads=0',
                    '--longpolling-port=%d' % longpolling_port,
                    log='odoo-server-workers.log') as (url, logfile):
        # the HTTP workers answer first; the longpolling process (gevent) starts on its own
        deadline = time.time() + 120
        while True:
            try:
                socket.create_connection(('127.0.0.1', longpolling_port), timeout=5).close()
                break
            except OSError:
                if time.time() > deadline:
                    pytest.fail('the longpolling process never listened on %d; see %s'
                                % (longpolling_port, logfile))
                time.sleep(0.2)
        yield url, 'http://127.0.0.1:%d' % longpolling_port, logfile


def _json_call(url, path, **params):
    request = urllib.request.Request(
        url + path, data=json.dumps({'jsonrpc': '2.0', 'method': 'call',
                                     'params': params}).encode(),
        headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read().decode())


def test_two_workers_answer_concurrent_rpc_calls(workers_server, db_name, admin_rpc):
    url, _longpolling, logfile = workers_server
    uid = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/common').authenticate(
        db_name, 'admin', 'admin', {})
    expected = admin_rpc('res.partner', 'search_count', [])   # through the threaded server

    def call(i):
        models = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/object')
        return models.execute_kw(db_name, uid, 'admin', 'res.partner', 'search_count', [[]])

    with ThreadPoolExecutor(CALLS) as pool:
        answers = list(pool.map(call, range(CALLS)))
    assert answers == [expected] * CALLS

    with open(logfile) as fp:
        log = fp.read()
    assert 'cannot be interpreted as an integer' not in log
    # the same two workers served every call: none died and was replaced
    alive = re.findall(r'Worker WorkerHTTP \((\d+)\) alive', log)
    assert len(alive) == 2, alive


def test_longpolling_process_delivers_bus_notifications(workers_server, admin_rpc):
    url, longpolling, _logfile = workers_server
    channel = 'pharmacy-workers-test-%s' % uuid.uuid4().hex
    admin_rpc('bus.bus', 'create', {'channel': json.dumps(channel),
                                    'message': json.dumps({'ping': 1})})
    # a notification already there is answered at once (the poll waits only when there is none)
    answer = _json_call(longpolling, '/longpolling/poll', channels=[channel], last=0)
    assert [n['message'] for n in answer['result']] == [{'ping': 1}]
    # the HTTP workers refuse it: a proxy must send /longpolling/ to the longpolling port
    refused = _json_call(url, '/longpolling/poll', channels=[channel], last=0)
    assert refused['error']['data']['message'] == 'bus.Bus unavailable'
