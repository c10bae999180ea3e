"""Refill and pickup reminders in the web client (issue #22): the manager opens a demo patient
who was reminded, clicks the *Reminders* smart button and sees the patient's reminder log (its
email's subject and status); then presses *Send Due Reminders Now* for that patient, reminded
today, and reads why nothing was sent; screenshots var/artifacts/reminders.png and
reminders_none_sent.png."""
import json

from conftest import WEB_CLIENT_IDLE, open_page, record_url, screenshot

ROWS = '.o_list_view tr.o_data_row'


def test_manager_opens_a_patients_reminders(browser, odoo_server, env):
    reminder = env['pharmacy.reminder'].search([('channel', '=', 'email'),
                                                ('patient_id.active', '=', True)], limit=1)
    assert reminder, 'the demo has no email reminder (pharmacy_crm_reminder demo)'
    patient = reminder.patient_id
    action = env.ref('pharmacy_crm.res_partner_patient_action').id
    page = open_page(browser, odoo_server, 'manager',
                     start='%s&action=%d' % (record_url(odoo_server, 'res.partner', patient.id),
                                             action),
                     ready='.o_control_panel .breadcrumb li.active:has-text(%s)'
                     % json.dumps(patient.name))
    try:
        # the patient form may have more smart buttons than its box shows: then under More
        button = '.oe_button_box button.oe_stat_button:has-text("Reminders")'
        page.wait_for_selector(button, state='attached')
        if page.query_selector('.o_dropdown_more %s' % button[len('.oe_button_box '):]):
            page.click('.oe_button_box .o_button_more')
        button = page.wait_for_selector(button)
        assert button.inner_text().split()[0] == str(patient.reminder_count)
        button.click()
        page.wait_for_selector('.o_control_panel .breadcrumb li.active:has-text("Reminders")')
        row = page.wait_for_selector('%s:has-text(%s)' % (ROWS, json.dumps(reminder.subject)))
        page.wait_for_function(WEB_CLIENT_IDLE)
        assert len(page.query_selector_all(ROWS)) == patient.reminder_count
        text = row.inner_text()
        assert patient.name in text and 'Email queued' in text   # the outcome, not the delivery
        screenshot(page, 'reminders')
        if reminder.date == patient.company_id.pharmacy_today():
            # reminded today (the demo's run): "Send Due Reminders Now" sends nothing and says
            # why, in the empty list it opens
            page.click('.o_control_panel .breadcrumb li a:has-text(%s)'
                       % json.dumps(patient.name))
            page.click('.o_notebook a[role="tab"]:has-text("Preferences")')
            page.click('button[name="action_send_reminders"]')
            page.wait_for_selector(
                '.o_control_panel .breadcrumb li.active:has-text("No Reminder Sent")')
            page.wait_for_selector('text=%s was already reminded today' % patient.name)
            page.wait_for_function(WEB_CLIENT_IDLE)
            assert not page.query_selector_all(ROWS)
            screenshot(page, 'reminders_none_sent')
        assert page.js_errors == []
    finally:
        page.context.close()
