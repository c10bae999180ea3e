"""A patient logs in to the portal, sees their medications, requests a refill; the technician
finds the request in the staff worklist (issue 24). Screenshots in var/artifacts."""
import uuid
from datetime import timedelta

from conftest import ODOO_PAGE_TIMEOUT, open_page, pharmacy_today, screenshot
from rpc_users import xmlid_to_id


def test_patient_requests_a_refill_and_the_technician_finds_it(browser, odoo_server, admin_rpc):
    run = uuid.uuid4().hex[:8]
    written = (pharmacy_today() - timedelta(days=25)).isoformat()
    patient = admin_rpc('res.partner', 'create', {
        'name': 'Browser Patient %s' % run, 'is_patient': True, 'birthdate_date': '1965-05-05',
        'nkda': True, 'email': 'browser.%s@example.com' % run})
    medication = admin_rpc('pharmacy.medication', 'create', {
        'name': 'Browsermed-%s' % run, 'strength': '5 mg'})
    rx = admin_rpc('pharmacy.patient.medication', 'create', {
        'patient_id': patient, 'medication_id': medication, 'rx_number': 'RXB-%s' % run,
        'sig': 'Take one daily', 'days_supply': 30, 'quantity': 30, 'refills_authorized': 2,
        'date_written': written})
    admin_rpc('pharmacy.fill', 'create', {'prescription_id': rx, 'fill_date': written,
                                          'quantity': 30, 'days_supply': 30})
    login = 'browser_patient_%s' % run
    company = xmlid_to_id(admin_rpc, 'base.main_company')
    admin_rpc('res.users', 'create', {
        'login': login, 'password': login, 'partner_id': patient, 'company_id': company,
        'company_ids': [(6, 0, [company])],
        'groups_id': [(6, 0, [xmlid_to_id(
            admin_rpc, 'pharmacy_crm_portal.group_pharmacy_portal')])]},
        context={'no_reset_password': True})

    context = browser.new_context(viewport={'width': 1280, 'height': 900})
    context.set_default_timeout(ODOO_PAGE_TIMEOUT)
    page = context.new_page()
    page.goto(odoo_server + '/web/login')
    page.fill('input[name=login]', login)
    page.fill('input[name=password]', login)
    with page.expect_navigation():
        page.click('button[type=submit]')
    page.goto(odoo_server + '/my/home')
    page.click('.o_pharmacy_portal_home a')
    row = page.wait_for_selector(
        '.o_pharmacy_portal_medications tr:has-text("Browsermed-%s")' % run)
    screenshot(page, 'portal_my_pharmacy')
    row.query_selector('.o_pharmacy_request_refill').click()
    message = page.wait_for_selector('.o_pharmacy_portal_message.alert-success')
    assert 'Browsermed-%s' % run in message.inner_text()
    screenshot(page, 'portal_refill_requested')
    context.close()

    action = xmlid_to_id(admin_rpc, 'pharmacy_crm_portal.pharmacy_refill_request_action')
    staff = open_page(browser, odoo_server, 'technician',
                      start='%s/web#action=%d&model=pharmacy.refill.request&view_type=list'
                      % (odoo_server, action), ready='.o_list_view')
    staff.wait_for_selector('.o_list_view tr.o_data_row:has-text("Browser Patient %s")' % run)
    screenshot(staff, 'portal_refill_request_worklist')
    assert not staff.js_errors, staff.js_errors
    staff.context.close()
