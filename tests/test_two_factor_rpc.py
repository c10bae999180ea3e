"""Two-factor login from outside (pharmacy_crm_security): a pharmacy manager who turned it on
in their preferences logs in to the web client with a code of the authenticator app after the
password; over XML-RPC and JSON-RPC the password alone is refused and their API key accepted,
so the dispensing import still runs from a script; only they see their key's name, nobody its
hash."""
import base64
import time
import uuid
import xmlrpc.client

import pyotp
import pytest

from conftest import ODOO_PAGE_TIMEOUT, WEB_CLIENT_IDLE, screenshot
from odoo.addons.pharmacy_crm_import.tools.dispensing_csv import to_bytes
from rpc_users import ACCESS_ERROR, JsonRpc, create_user, xmlid_to_id


@pytest.fixture(scope='module')
def manager(odoo_server, db_name, admin_rpc):
    """A pharmacy manager with an API key (generated first, with the password), then
    two-factor login set up from the preferences (the wizard's QR code secret, a code of
    it): a dict with login, password, uid, key, secret, recovery codes."""
    company_id = xmlid_to_id(admin_rpc, 'base.main_company')
    login = 'mfa_manager_%s' % uuid.uuid4().hex[:8]
    uid = create_user(admin_rpc, 'manager', login, company_id)
    rpc = JsonRpc(odoo_server, db_name, login, login)
    wizard = rpc.call('pharmacy.api.key.new', 'create', {'name': 'Nightly dispensing import'})
    rpc.call('pharmacy.api.key.new', 'action_generate', [wizard])
    [key] = rpc.call('pharmacy.api.key.new', 'read', [wizard], ['key'])
    wizard = rpc.call('pharmacy.totp.setup', 'create', {})
    [setup] = rpc.call('pharmacy.totp.setup', 'read', [wizard], ['secret'])
    rpc.call('pharmacy.totp.setup', 'write', [wizard],
             {'code': pyotp.TOTP(setup['secret']).now()})
    rpc.call('pharmacy.totp.setup', 'action_confirm', [wizard])
    # the password alone logs in no more (test_rpc_needs_the_api_key): the codes are read
    # with the key
    keyed = JsonRpc(odoo_server, db_name, login, key['key'])
    [codes] = keyed.call('pharmacy.totp.setup', 'read', [wizard], ['recovery_codes'])
    yield {'login': login, 'uid': uid, 'key': key['key'], 'secret': setup['secret'],
           'codes': codes['recovery_codes'].split('\n'), 'rpc': keyed}
    admin_rpc('res.users', 'write', [uid], {'active': False})


def test_rpc_needs_the_api_key(odoo_server, db_name, admin_rpc, manager):
    common = xmlrpc.client.ServerProxy(odoo_server + '/xmlrpc/2/common')
    objects = xmlrpc.client.ServerProxy(odoo_server + '/xmlrpc/2/object')
    login, key, uid = manager['login'], manager['key'], manager['uid']
    assert common.authenticate(db_name, login, login, {}) is False
    assert common.authenticate(db_name, login, key, {}) == uid
    with pytest.raises(xmlrpc.client.Fault, match='Access denied'):
        objects.execute_kw(db_name, uid, login, 'res.users', 'read', [[uid], ['login']])
    assert objects.execute_kw(db_name, uid, key, 'res.users', 'read', [[uid], ['login']]) == \
        [{'id': uid, 'login': login}]
    # JSON-RPC: the same
    with pytest.raises(AssertionError, match='could not log in'):
        JsonRpc(odoo_server, db_name, login, login)
    # the key's name is its user's alone; its hash is in no field
    [own] = manager['rpc'].call('pharmacy.api.key', 'search_read', [], ['name', 'user_id'])
    assert own['name'] == 'Nightly dispensing import' and own['user_id'][0] == uid
    assert not {'key_hash', 'key_index'} & set(
        manager['rpc'].call('pharmacy.api.key', 'fields_get'))
    company_id = xmlid_to_id(admin_rpc, 'base.main_company')
    other = 'mfa_other_%s' % uuid.uuid4().hex[:8]
    other_id = create_user(admin_rpc, 'manager', other, company_id)
    other_rpc = JsonRpc(odoo_server, db_name, other, other)
    assert other_rpc.call('pharmacy.api.key', 'search_read', [], ['name']) == []
    assert other_rpc.outcome('pharmacy.api.key', 'read', [own['id']], ['name'])[:2] == \
        ('error', ACCESS_ERROR)
    assert other_rpc.outcome('pharmacy.api.key', 'action_revoke', [own['id']])[:2] == \
        ('error', ACCESS_ERROR)
    admin_rpc('res.users', 'write', [other_id], {'active': False})


def test_dispensing_import_with_the_key(manager):
    """The import run from a script over JSON-RPC, logged in with the manager's key."""
    stamp = int(time.time())
    row = {'patient_id': 'MFA%d' % stamp, 'last_name': 'Keyed', 'first_name': 'Pat',
           'birthdate': '1962-02-02', 'allergies': 'NKDA', 'prescriber_npi': '1234567802',
           'prescriber_name': 'Carl Doe, MD', 'ndc': '88888-0001-01',
           'drug_name': 'Lovastatin', 'generic_name': 'lovastatin', 'strength': '20 mg',
           'dosage_form': 'tablet', 'drug_type': 'generic', 'schedule': 'none',
           'therapeutic_class': 'statin', 'rx_number': 'MFARX%d' % stamp,
           'date_written': '2026-01-02', 'refills_authorized': '5', 'rx_quantity': '30',
           'rx_days_supply': '30', 'fill_number': '1', 'fill_date': '2026-01-02',
           'quantity': '30', 'days_supply': '30', 'state': 'picked_up',
           'pickup_date': '2026-01-03'}
    rpc = manager['rpc']
    log_id = rpc.call('pharmacy.import.log', 'create', {
        'name': 'mfa.csv', 'file': base64.b64encode(to_bytes([row])).decode()})
    rpc.call('pharmacy.import.log', 'action_run_now', [log_id])
    [log] = rpc.call('pharmacy.import.log', 'read', [log_id],
                     ['state', 'row_count', 'patient_new', 'fill_new'])
    assert (log['row_count'], log['patient_new'], log['fill_new']) == (1, 1, 1), log


def test_web_login_with_and_without_the_code(browser, odoo_server, manager):
    context = browser.new_context(viewport={'width': 1366, 'height': 900})
    context.set_default_timeout(ODOO_PAGE_TIMEOUT)
    page = context.new_page()
    try:
        page.goto(odoo_server + '/web/login')
        page.fill('input[name=login]', manager['login'])
        page.fill('input[name=password]', manager['login'])
        page.click('button[type=submit]')
        # the password is not enough: the second step, and a wrong code is refused
        page.wait_for_selector('form.o_pharmacy_second_factor input[name=code]')
        page.fill('input[name=code]', '000000')
        page.click('button[type=submit]')
        page.wait_for_selector('.alert-danger:has-text("Wrong code")')
        assert '/web/login/verify' in page.url
        screenshot(page, 'two_factor_login_code')
        # the app's code of the next 30 seconds (the current one set the app up: used)
        page.fill('input[name=code]', pyotp.TOTP(manager['secret']).at(time.time() + 30))
        page.click('button[type=submit]')
        page.wait_for_selector('.oe_application_menu_placeholder a[data-menu-xmlid]')
        page.wait_for_function(WEB_CLIENT_IDLE)
        assert manager['login'].replace('_', ' ').title() in page.inner_text('.oe_topbar_name')
    finally:
        context.close()
