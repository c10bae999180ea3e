"""The shared counter terminal (pharmacy_crm_security): a patient form left idle past the
automatic logoff goes back to the login page by itself, and the back button brings nothing of
the patient back."""
import json
import time

import pytest

from conftest import open_page, screenshot

IDLE_MINUTES = 0.2    # 12 seconds: the list must be drawn within it (a loaded CI machine)


@pytest.fixture
def short_logoff(admin_rpc):
    admin_rpc('pharmacy.setting', 'set', 'idle_logoff_minutes', IDLE_MINUTES)
    yield IDLE_MINUTES * 60
    admin_rpc('pharmacy.setting', 'set', 'idle_logoff_minutes', 15)


def test_idle_patient_form_goes_to_login_and_back_shows_nothing(browser, odoo_server, env,
                                                                short_logoff):
    patient = env.ref('pharmacy_crm.demo_patient_00')
    name = json.dumps(patient.name)
    action = env.ref('pharmacy_crm.res_partner_patient_action').id
    # the patient list, then the patient's form: two entries in the browser's history (the
    # form is reached by its address: other tests add patients, and the list's first page may
    # not show this one)
    page = open_page(browser, odoo_server, 'demo',
                     start='%s/web#action=%d&view_type=list' % (odoo_server, action),
                     ready='.o_list_view tr.o_data_row')
    try:
        page.mouse.move(5, 5)       # someone is at the counter while the form loads
        page.evaluate('hash => { window.location.hash = hash; }',
                      'id=%d&model=res.partner&view_type=form&action=%d' % (patient.id, action))
        page.wait_for_selector('.o_control_panel .breadcrumb li.active:has-text(%s)' % name)
        page.wait_for_selector('.o_form_view')
        assert patient.name in page.content()
        # the last touch: the idle time counts from here (the page ignores a move within a
        # second of the previous activity, hence the one second below)
        idle_since = time.time()
        page.mouse.move(40, 40)

        # nobody touches the screen: the login page comes by itself
        page.wait_for_selector('form.oe_login_form', timeout=60000)
        assert time.time() - idle_since >= short_logoff - 1
        assert '/web/login' in page.url
        screenshot(page, 'terminal_idle_logoff')
        assert patient.name not in page.content()

        # back: the patient list is loaded again from the server, which answers with the login
        # page (no page of a logged-in user is kept by the browser)
        page.go_back()
        page.wait_for_selector('form.oe_login_form')
        assert '/web/login' in page.url
        assert patient.name not in page.content()
        screenshot(page, 'terminal_idle_logoff_back')
        assert page.js_errors == []
    finally:
        page.context.close()
