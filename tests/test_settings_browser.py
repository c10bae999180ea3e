"""The demo pharmacy manager, who is not an Odoo administrator, saves the refill threshold in
Pharmacy > Configuration > Settings in the web client; a technician has no such menu."""
import xmlrpc.client

from conftest import ODOO_PAGE_TIMEOUT, click_menu, open_page, screenshot

KEY = 'pharmacy_crm.refill_threshold'
MENU = '.oe_application_menu_placeholder a[data-menu-xmlid="pharmacy_crm.pharmacy_menu_root"]'
CONFIGURATION = ('.oe_secondary_menu_section'
                 '[data-menu-xmlid="pharmacy_crm.pharmacy_menu_configuration"]')
SETTINGS = 'a[data-menu-xmlid="pharmacy_crm.res_config_settings_menu"]'
FIELD = 'input.o_field_widget[name=pharmacy_refill_threshold]'


def _threshold(admin_rpc):
    [param] = admin_rpc('ir.config_parameter', 'search_read', [('key', '=', KEY)], ['value'])
    return param['value']


def _save_as_manager(odoo_server, db_name, threshold):
    """Save the threshold over XML-RPC as the demo manager (password = login)."""
    uid = xmlrpc.client.ServerProxy(odoo_server + '/xmlrpc/2/common').authenticate(
        db_name, 'manager', 'manager', {})
    models = xmlrpc.client.ServerProxy(odoo_server + '/xmlrpc/2/object')
    settings = models.execute_kw(db_name, uid, 'manager', 'res.config.settings', 'create',
                                 [{'pharmacy_refill_threshold': threshold}])
    models.execute_kw(db_name, uid, 'manager', 'res.config.settings', 'execute', [[settings]])


def test_manager_saves_the_refill_threshold(browser, odoo_server, db_name, admin_rpc):
    assert _threshold(admin_rpc) == '0.8'
    page = open_page(browser, odoo_server, 'manager')
    try:
        click_menu(page, MENU, 'Patients')   # drawn before the next menu is clicked
        page.wait_for_selector(SETTINGS, timeout=ODOO_PAGE_TIMEOUT)
        assert page.is_visible(CONFIGURATION)
        page.click(SETTINGS, timeout=ODOO_PAGE_TIMEOUT)
        page.wait_for_selector(FIELD, timeout=ODOO_PAGE_TIMEOUT)
        assert page.input_value(FIELD) == '0.80'
        assert page.is_visible('.settings_tab .tab:has-text("Pharmacy")')
        page.fill(FIELD, '0.75')
        screenshot(page, 'pharmacy_settings')
        # Save, then Odoo reloads the page: the screen shows what the server gives
        with page.expect_navigation(timeout=ODOO_PAGE_TIMEOUT):
            page.click('.o_control_panel button:has-text("Save")')
        assert _threshold(admin_rpc) == '0.75'
        page.wait_for_selector(FIELD, timeout=ODOO_PAGE_TIMEOUT)
        assert page.input_value(FIELD) == '0.75'
        assert page.js_errors == []
    finally:
        page.context.close()
        _save_as_manager(odoo_server, db_name, 0.8)
    assert _threshold(admin_rpc) == '0.8'


def test_technician_has_no_pharmacy_settings(browser, odoo_server):
    page = open_page(browser, odoo_server, 'technician')
    try:
        # the page holds every menu the user may open, the Pharmacy ones included
        assert page.query_selector(
            'a[data-menu-xmlid="pharmacy_crm.res_partner_patient_menu"]') is not None
        assert page.query_selector(CONFIGURATION) is None
        assert page.query_selector(SETTINGS) is None
        assert page.js_errors == []
    finally:
        page.context.close()
