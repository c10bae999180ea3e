"""A technician opens a demo patient: the alert banner, the medications with a call button to
their prescriber, and the preferences one tab away."""
import json

from conftest import goto, open_page, record_url, screenshot


def test_patient_profile_shows_alert_medications_and_preferences(page, odoo_server, env):
    patient = env.ref('pharmacy_crm.demo_patient_00')
    rx = patient.prescription_ids.filtered(lambda r: r.state == 'active')[:1]
    assert rx.prescriber_id.phone  # the demo data gives every prescriber a phone

    # the patient's page of Pharmacy > Patients (the Contacts app keeps Odoo's contact form)
    action = env.ref('pharmacy_crm.res_partner_patient_action').id
    goto(page, '%s&action=%d' % (record_url(odoo_server, 'res.partner', patient.id), action),
         '.o_control_panel .breadcrumb li.active:has-text(%s)' % json.dumps(patient.name))
    banner = page.wait_for_selector('.o_pharmacy_alert_banner')
    assert 'Hard of hearing' in banner.inner_text()

    # the current medications are on the page, no tab to open
    line = page.wait_for_selector(
        '.o_field_one2many[name=current_prescription_ids] tr.o_data_row:has-text(%s)'
        % json.dumps(rx.medication_id.display_name))
    screenshot(page, 'patient_profile')
    assert rx.prescriber_id.name in line.inner_text()
    assert line.query_selector('button[title="Call the prescriber"] i.fa-phone').is_visible()

    link = page.wait_for_selector('.o_notebook a[role=tab]:has-text("Preferences")')
    link.click()
    tab = page.wait_for_selector('%s.active' % link.get_attribute('href'))  # its own pane
    text = tab.inner_text()
    assert 'Brand or Generic' in text and 'Pickup or Delivery' in text
    assert dict(patient._fields['generic_preference'].selection)[patient.generic_preference] in text
    assert page.js_errors == []


def test_office_user_sees_the_contact_but_no_pharmacy_data(browser, odoo_server, admin_rpc, env):
    """An internal user without a pharmacy group (sales, marketing) opens the same patient."""
    if not admin_rpc('res.users', 'search_count', [('login', '=', 'office')]):
        admin_rpc('res.users', 'create', {
            'name': 'Office', 'login': 'office', 'password': 'office',
            'groups_id': [(6, 0, [env.ref('base.group_user').id])]})
    patient = env.ref('pharmacy_crm.demo_patient_00')
    page = open_page(browser, odoo_server, 'office',
                     start=record_url(odoo_server, 'res.partner', patient.id),
                     ready='.o_form_view h1:has-text(%s)' % json.dumps(patient.name))
    try:
        screenshot(page, 'patient_seen_by_office_user')
        html = page.content()   # not shown, and not even sent to the browser
        assert 'Hard of hearing' not in html
        assert patient.prescription_ids[0].medication_id.name not in html
        banner = page.query_selector('.o_pharmacy_alert_banner')
        assert banner is None or not banner.is_visible()
        assert not page.is_visible('.o_notebook a[role=tab]:has-text("Pharmacy")')
        assert page.js_errors == []
    finally:
        page.context.close()
