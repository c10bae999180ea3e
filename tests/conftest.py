"""Fixtures for the cross-addon tests: a real Odoo server, and an environment on its database.

Run through ``make test``, which installs every addon in a throw-away database and passes it as
``--odoo-database``; pytest-odoo then loads the registry before these tests import Odoo.
"""
import datetime
import glob
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
import xmlrpc.client
from contextlib import closing, contextmanager
from email.utils import formataddr

import pytest
from playwright.sync_api import sync_playwright

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# every addon of the product, as scripts/env.sh finds them (the core first)
ADDONS = sorted(os.path.basename(os.path.dirname(path)) for path in glob.glob(
    os.path.join(ROOT, 'pharmacy_crm*', '__manifest__.py')))
# screenshots and served instances' logs (scripts/test.sh gives its second pytest process, on a
# copy of the database, its own)
ARTIFACTS = os.environ.get('PHARMACY_ARTIFACTS') or os.path.join(ROOT, 'var', 'artifacts')
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


_PHARMACY = {}


@pytest.fixture(scope='session', autouse=True)
def _pharmacy_time_zone(request):
    """The demo pharmacy's time zone, read once from the test database (when there is one)."""
    name = request.config.getoption('--odoo-database')
    if name:
        import odoo
        with odoo.registry(name).cursor() as cr:
            cr.execute("""SELECT p.tz FROM res_company c JOIN res_partner p ON p.id = c.partner_id
                           WHERE c.id = (SELECT res_id FROM ir_model_data
                                          WHERE module = 'base' AND name = 'main_company')""")
            _PHARMACY['tz'] = cr.fetchone()[0]


def pharmacy_today():
    """The pharmacy's date today (``datetime.date``), as the server computes it: the tests'
    dates are relative to it, never to the machine's date, so that they pass at every hour."""
    from odoo.addons.pharmacy_crm.tools.dates import local_today
    return local_today(_PHARMACY.get('tz'))


@pytest.fixture
def env(db_name):
    """An Odoo environment as the superuser whose changes are rolled back, with its record
    cache and pending recomputations (shared by the thread's environments) cleared, also after a
    failure: nothing of one test reaches the next."""
    import odoo
    registry = odoo.registry(db_name)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            yield env
        finally:
            env.clear()
            cr.rollback()


@contextmanager
def serve_odoo(request, db_name, *args, log='odoo-server.log'):
    """Serve ``db_name`` in a separate Odoo process on a free port with extra command-line
    ``args``; yield ``(url, logfile)`` once it answers, stop it (and its workers) afterwards."""
    with serve_odoos(request, db_name, [(args, log)]) as [served]:
        yield served


CHECK_DBS_DEADLINE = 900   # s: the background build of scripts/build_check_dbs.sh


@pytest.fixture(scope='session')
def check_dbs():
    """The prefix of the structure check databases, once scripts/build_check_dbs.sh (started in
    the background by `make test`, beside Odoo's runner and pytest) has finished; the tests
    using them run last (conftest.py at the root orders them), so the build overlaps the suite.
    Skips without PHARMACY_CHECK_DB_PREFIX (pytest run by hand)."""
    prefix = os.environ.get('PHARMACY_CHECK_DB_PREFIX')
    if not prefix:
        pytest.skip('needs the databases of scripts/build_check_dbs.sh: run through `make test`, '
                    'which builds them and sets PHARMACY_CHECK_DB_PREFIX')
    logs = os.path.join(ROOT, 'var', 'log')
    done, failed = (os.path.join(logs, '%s_check_dbs.%s' % (prefix, end))
                    for end in ('done', 'failed'))
    deadline = time.time() + CHECK_DBS_DEADLINE
    while not os.path.exists(done):
        if os.path.exists(failed):
            with open(os.path.join(logs, 'check-dbs.log'), errors='replace') as log:
                tail = ''.join(log.readlines()[-30:])
            pytest.fail('scripts/build_check_dbs.sh failed (var/log/check-dbs.log):\n' + tail)
        if time.time() > deadline:
            pytest.fail('scripts/build_check_dbs.sh did not finish in %d s' % CHECK_DBS_DEADLINE)
        time.sleep(1)     # poll interval: the build is another process
    return prefix


@contextmanager
def serve_odoos(request, db_name, servers, cron_poll=None):
    """Serve ``db_name`` in one Odoo process per ``(args, log)`` of ``servers``, all started at
    once, each on its own free port, with the configuration's data directory (filestore and
    sessions) shared; yield their ``[(url, logfile)]`` once all answer, then stop them.

    ``cron_poll``: seconds between the polls of Odoo's cron threads instead of its 60
    (``odoo.service.server.SLEEP_INTERVAL``, a module constant Odoo offers no option for), so
    that a test waits seconds for the scheduled actions it made due, not a minute."""
    config = request.config.getoption('--odoo-config')
    os.makedirs(ARTIFACTS, exist_ok=True)
    started, ports = [], set()
    try:
        for args, log in servers:
            port = _free_port()
            while port in ports:
                port = _free_port()
            ports.add(port)
            logfile = os.path.join(ARTIFACTS, log)
            if os.path.exists(logfile):
                os.remove(logfile)     # Odoo appends: keep this run's lines only
            odoo = [os.path.join(os.path.dirname(sys.executable), 'odoo')]
            if cron_poll:
                odoo = [sys.executable, '-c', 'import odoo.service.server as server; '
                        'server.SLEEP_INTERVAL = %d; import odoo; odoo.cli.main()' % cron_poll]
            cmd = odoo + ['-c', config, '-d', db_name, '--db-filter=^%s$' % db_name,
                          '--http-port=%d' % port, '--logfile=%s' % logfile]
            # its own process group: with --workers, the workers and the longpolling process
            # go too
            proc = subprocess.Popen(cmd + list(args), start_new_session=True)
            started.append((proc, 'http://127.0.0.1:%d' % port, logfile))
        deadline = time.time() + 120
        for proc, url, logfile in started:
            while True:
                try:
                    urllib.request.urlopen(url + '/web/login', timeout=5)
                    break
                except OSError:
                    if proc.poll() is not None or time.time() > deadline:
                        pytest.fail('Odoo did not start on %s; see %s' % (url, logfile))
                    time.sleep(0.5)
        yield [(url, logfile) for _proc, url, logfile in started]
    finally:
        for proc, _url, _logfile in started:
            proc.terminate()
        for proc, _url, _logfile in started:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(proc.pid, signal.SIGKILL)   # whatever of the group is left
            except ProcessLookupError:
                pass
            proc.wait()


@pytest.fixture(scope='session')
def odoo_server(request, db_name):
    """Serve the test database on a free port in a separate process; yield its base URL."""
    with serve_odoo(request, db_name, '--max-cron-threads=0') as (url, _logfile):
        yield url


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


@pytest.fixture(scope='session')
def technician_without_email(admin_rpc):
    """A pharmacy technician without an email address, as many have no mailbox of their own:
    a dict with ``id``, ``name``, ``login`` (= password). Archived at the end of the session."""
    login = 'tech-no-email-%s' % uuid.uuid4().hex[:8]
    group_id = admin_rpc('ir.model.data', 'xmlid_to_res_id',
                         'pharmacy_crm.group_pharmacy_technician')
    user_id = admin_rpc('res.users', 'create', {
        'name': 'Robin No-Mail', 'login': login, 'password': login,
        'groups_id': [(6, 0, [group_id])]})
    [user] = admin_rpc('res.users', 'read', [user_id], ['name', 'email', 'partner_id'])
    assert not user['email']
    yield dict(user, id=user_id, login=login)
    admin_rpc('res.users', 'write', [user_id], {'active': False})


def expected_sender(admin_rpc, user):
    """What a message of ``user`` (who has no email) is sent as: the user's name at the
    company's address (see pharmacy_crm/models/mail_message.py)."""
    [company] = admin_rpc('res.users', 'read', [user['id']], ['company_id'])
    [company] = admin_rpc('res.company', 'read', [company['company_id'][0]], ['email'])
    assert company['email'], 'the company of %s has no email address' % user['login']
    return formataddr((user['name'], company['email']))


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


# The web client is idle once it has drawn an action (a breadcrumb) and has no RPC pending
# (its Loading widget puts ``oe_wait`` on the client while one is).
WEB_CLIENT_IDLE = """() => /(action|model)=/.test(window.location.hash)
    && document.querySelector('.o_control_panel .breadcrumb li') !== null
    && document.querySelector('.oe_wait') === null"""


def open_page(browser, url, login, start=None, ready=None):
    """A new page logged in as ``login`` (password = login) that records JavaScript errors,
    once the web client has drawn its first action (Discuss, for most users).

    ``start`` (``/web#...``, with ``ready``: the selector of what the user must see there):
    the page the login leads to, as the login page's ``redirect`` does, instead of the first
    action and then ``goto`` (one start of the web client instead of two)."""
    context = browser.new_context(viewport={'width': 1366, 'height': 900})
    context.set_default_timeout(ODOO_PAGE_TIMEOUT)
    page = context.new_page()
    page.js_errors = []
    page.on('pageerror', lambda exc: page.js_errors.append('pageerror: %s' % exc))
    page.on('console', lambda msg: msg.type == 'error' and page.js_errors.append(
        'console: %s' % msg.text))
    redirect = ''
    if start:
        redirect = '?' + urllib.parse.urlencode({'redirect': start[len(url):]
                                                 if start.startswith(url) else start})
    page.goto(url + '/web/login' + redirect)
    page.fill('input[name=login]', login)
    page.fill('input[name=password]', login)
    with page.expect_navigation():
        page.click('button[type=submit]')
    # the web client has started once the top menu is rendered by its JavaScript, and is done
    # once its first action is drawn: a click or hash change before that raced with it
    page.wait_for_selector('.oe_application_menu_placeholder a[data-menu-xmlid]')
    if ready:
        page.wait_for_selector(ready)
    page.wait_for_function(WEB_CLIENT_IDLE)
    return page


def click_menu(page, selector, breadcrumb):
    """Click a menu and wait until its action is drawn (``breadcrumb`` in the control panel)
    and the client is idle: a second menu clicked while the first action loads may lose to it
    (Odoo 11 serialises menu actions for 2 s at most)."""
    page.click(selector)
    page.wait_for_selector('.o_control_panel .breadcrumb li:has-text(%s)' % json.dumps(breadcrumb))
    page.wait_for_function(WEB_CLIENT_IDLE)


def goto(page, url, ready):
    """Load ``url`` (``/web#...``) as a new document and return the element ``ready`` (a
    selector of what the user must see, e.g. the record's name in the form).

    A ``goto`` that changes only the hash of the running web client is a hash change: if the
    client is still drawing another action (its first one, Discuss, right after login), that
    action can land last ("ended on Discuss"). A new document starts with the hash's action
    only.
    """
    page.goto('about:blank')
    page.goto(url)
    element = page.wait_for_selector(ready)
    page.wait_for_function(WEB_CLIENT_IDLE)
    return element


def record_url(base, model, record_id):
    return '%s/web#id=%d&model=%s&view_type=form' % (base, record_id, model)


def user_date(admin_rpc, login, iso_date):
    """``iso_date`` (YYYY-MM-DD, as the server returns it) as the web client shows it to
    ``login``: in the date format of the user's language, not a hard-coded one."""
    [user] = admin_rpc('res.users', 'search_read', [('login', '=', login)], ['lang'])
    [lang] = admin_rpc('res.lang', 'search_read', [('code', '=', user['lang'])],
                       ['date_format'])
    return datetime.date(*map(int, iso_date.split('-'))).strftime(lang['date_format'])


@pytest.fixture
def page(browser, odoo_server):
    """The demo user (a pharmacy technician), logged in."""
    page = open_page(browser, odoo_server, 'demo')
    yield page
    page.context.close()


def screenshot(page, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, name + '.png'), full_page=True)
