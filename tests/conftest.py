"""Fixtures for the cross-addon tests: a real Odoo server, and an environment on its database.

Run through ``make test``, which installs both addons in a throw-away database and passes it as
``--odoo-database``; pytest-odoo then loads the registry before these tests import Odoo.
"""
import os
import socket
import subprocess
import sys
import time
import urllib.request
import xmlrpc.client
from contextlib import closing

import pytest
from playwright.sync_api import sync_playwright

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARTIFACTS = os.path.join(ROOT, 'var', 'artifacts')
ODOO_PAGE_TIMEOUT = 60000  # ms: the first page of a fresh database compiles its assets


def _free_port():
    with closing(socket.socket()) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='session')
def db_name(request):
    name = request.config.getoption('--odoo-database')
    if not name:
        pytest.fail('run through `make test`, which passes --odoo-database')
    return name


@pytest.fixture
def env(db_name):
    """An Odoo environment as the superuser whose changes are rolled back."""
    import odoo
    registry = odoo.registry(db_name)
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.rollback()


@pytest.fixture(scope='session')
def odoo_server(request, db_name):
    """Serve the test database on a free port in a separate process; yield its base URL."""
    port = _free_port()
    config = request.config.getoption('--odoo-config')
    os.makedirs(ARTIFACTS, exist_ok=True)
    logfile = os.path.join(ARTIFACTS, 'odoo-server.log')
    cmd = [os.path.join(os.path.dirname(sys.executable), 'odoo'), '-c', config, '-d', db_name,
           '--db-filter=^%s$' % db_name, '--http-port=%d' % port, '--max-cron-threads=0',
           '--log-handler=odoo.modules.graph:CRITICAL', '--logfile=%s' % logfile]
    proc = subprocess.Popen(cmd)
    url = 'http://127.0.0.1:%d' % port
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(url + '/web/login', timeout=5)
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                pytest.fail('Odoo did not start on %s; see %s' % (url, logfile))
            time.sleep(0.5)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope='session')
def admin_rpc(odoo_server, db_name):
    """call(model, method, *args, **kwargs) over XML-RPC as admin: what it writes is committed."""
    uid = xmlrpc.client.ServerProxy(odoo_server + '/xmlrpc/2/common').authenticate(
        db_name, 'admin', 'admin', {})
    assert uid, 'admin could not log in'
    models = xmlrpc.client.ServerProxy(odoo_server + '/xmlrpc/2/object')

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db_name, uid, 'admin', model, method, list(args), kwargs)
    return call


# --- browser ---------------------------------------------------------------------------------
# Playwright drives Debian's /usr/bin/chromium (no browser download is possible here). Every
# JavaScript error on the page or in the console is recorded; screenshots go to var/artifacts/.
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                 '--disable-background-networking', '--disable-component-update',
                 '--disable-sync', '--no-first-run']


@pytest.fixture(scope='session')
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, url, login):
    """A new page logged in as ``login`` (password = login) that records JavaScript errors."""
    context = browser.new_context(viewport={'width': 1366, 'height': 900})
    page = context.new_page()
    page.js_errors = []
    page.on('pageerror', lambda exc: page.js_errors.append('pageerror: %s' % exc))
    page.on('console', lambda msg: msg.type == 'error' and page.js_errors.append(
        'console: %s' % msg.text))
    page.goto(url + '/web/login')
    page.fill('input[name=login]', login)
    page.fill('input[name=password]', login)
    with page.expect_navigation():
        page.click('button[type=submit]')
    # the web client has started once the top menu is rendered by its JavaScript
    page.wait_for_selector('.oe_application_menu_placeholder a[data-menu-xmlid]',
                           timeout=ODOO_PAGE_TIMEOUT)
    return page


@pytest.fixture
def page(browser, odoo_server):
    """The demo user (a pharmacy technician), logged in."""
    page = open_page(browser, odoo_server, 'demo')
    yield page
    page.context.close()


def screenshot(page, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, name + '.png'), full_page=True)
