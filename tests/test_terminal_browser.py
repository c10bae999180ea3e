"""The shared counter terminal (pharmacy_crm_security): a patient form left idle past the
automatic logoff goes back to the login page by itself, and the back button brings nothing of
the patient back."""
import json
import time

import pytest

from conftest import goto, open_page, screenshot

IDLE_MINUTES = 0.15   # 9 seconds: the list and the form must be drawn within it


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
    page = open_page(browser, odoo_server, 'demo')
    try:
        # the patient list, then the patient's form: two entries in the browser's history (the
        # form is reached by its address: other tests add patients, and the list's first page
        # may not show this one)
        goto(page, '%s/web#action=%d&view_type=list' % (odoo_server, action),
             '.o_list_view tr.o_data_row')
        page.evaluate('hash => { window.location.hash = hash; }',
                      'id=%d&model=res.partner&view_type=form&action=%d' % (patient.id, action))
        page.wait_for_selector('.o_control_panel .breadcrumb li.active:has-text(%s)' % name)
        page.wait_for_selector('.o_form_view')
        assert patient.name in page.content()
        idle_since = time.time()

        # nobody touches the screen: the login page comes by itself
        page.wait_for_selector('form.oe_login_form', timeout=60000)
        assert time.time() - idle_since >= short_logoff - 2
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
