"""A manager opens the access log and finds who viewed a patient; a technician has no such menu."""
import uuid
import xmlrpc.client

from conftest import ODOO_PAGE_TIMEOUT, click_menu, open_page, screenshot

ROOT_MENU = ('.oe_application_menu_placeholder '
             'a[data-menu-xmlid="pharmacy_crm.pharmacy_menu_root"]')
LOG_MENU = 'a[data-menu-xmlid="pharmacy_crm.pharmacy_access_log_menu"]'


def _user(admin_rpc, env, login, group):
    admin_rpc('res.users', 'create', {
        'name': login.title(), 'login': login, 'password': login,
        'email': '%s@example.com' % login,
        'groups_id': [(6, 0, [env.ref(group).id])]})


def test_manager_finds_a_technicians_view_in_the_access_log(
        browser, odoo_server, db_name, admin_rpc, env):
    run = uuid.uuid4().hex[:6]
    manager, technician = 'logmgr%s' % run, 'logtech%s' % run
    _user(admin_rpc, env, manager, 'pharmacy_crm.group_pharmacy_manager')
    _user(admin_rpc, env, technician, 'pharmacy_crm.group_pharmacy_technician')
    patient = env.ref('pharmacy_crm.demo_patient_00')
    # the technician opens the patient (one record with its allergies), over XML-RPC
    common = xmlrpc.client.ServerProxy(odoo_server + '/xmlrpc/2/common')
    uid = common.authenticate(db_name, technician, technician, {})
    xmlrpc.client.ServerProxy(odoo_server + '/xmlrpc/2/object').execute_kw(
        db_name, uid, technician, 'res.partner', 'read', [[patient.id]],
        {'fields': ['name', 'allergies']})

    page = open_page(browser, odoo_server, manager)
    try:
        click_menu(page, ROOT_MENU, 'Patients')   # drawn before the next menu is clicked
        click_menu(page, LOG_MENU, 'Access Log')
        row = page.wait_for_selector(
            '.o_list_view tr.o_data_row:has-text("%s")' % technician.title(),
            timeout=ODOO_PAGE_TIMEOUT)
        text = row.inner_text()
        assert patient.name in text and 'View' in text
        assert not page.is_visible('.o_list_buttons .o_list_button_add')  # nobody adds entries
        screenshot(page, 'access_log')
        assert page.js_errors == []
    finally:
        page.context.close()

    page = open_page(browser, odoo_server, technician)
    try:
        page.click(ROOT_MENU, timeout=ODOO_PAGE_TIMEOUT)
        page.wait_for_selector('.o_control_panel .breadcrumb li:has-text("Patients")',
                               timeout=ODOO_PAGE_TIMEOUT)
        assert page.query_selector(LOG_MENU) is None
    finally:
        page.context.close()
