"""The dismissal of a demo patient in the web client: the technician sees no Dismiss button,
the pharmacist proposes through the wizard, the manager approves, the patient's form shows the
banner, and the letter is shown (screenshot var/artifacts/dismissal_letter.png)."""
import json

from conftest import WEB_CLIENT_IDLE, goto, open_page, record_url, screenshot

REFERRAL = 'Susquehanna Valley Pharmacy'
# Odoo 11 draws header buttons without their name
DISMISS = '.o_statusbar_buttons button:has-text("Dismiss")'
APPROVE = '.o_statusbar_buttons button:has-text("Approve")'


def _reinstate_open(admin_rpc, patient_id, reason):
    open_states = ['proposed', 'approved', 'effective']
    for row in admin_rpc('pharmacy.dismissal', 'search_read', [
            ('patient_id', '=', patient_id), ('state', 'in', open_states)], ['state']):
        if row['state'] == 'proposed':
            admin_rpc('pharmacy.dismissal', 'action_withdraw', [row['id']])
        else:
            admin_rpc('pharmacy.dismissal', 'action_reinstate', [row['id']], reason)


def test_dismissal_flow(browser, odoo_server, admin_rpc, env):
    patient = env.ref('pharmacy_crm.demo_patient_07')
    action = env.ref('pharmacy_crm.res_partner_patient_action').id
    patient_url = '%s&action=%d' % (record_url(odoo_server, 'res.partner', patient.id), action)
    title = '.o_control_panel .breadcrumb li.active:has-text(%s)' % json.dumps(patient.name)
    _reinstate_open(admin_rpc, patient.id, 'Before the browser test.')
    dismissal_id = None
    try:
        # the technician: no Dismiss button
        page = open_page(browser, odoo_server, 'technician', start=patient_url, ready=title)
        page.wait_for_selector('.oe_stat_button:has-text("Incidents")')
        assert not page.is_visible(DISMISS)
        assert page.js_errors == []
        page.context.close()

        # the pharmacist proposes
        page = open_page(browser, odoo_server, 'pharmacist', start=patient_url, ready=title)
        page.click(DISMISS)
        modal = '.modal:has(.o_field_widget[name=explanation])'
        page.wait_for_selector(modal)
        page.wait_for_selector('%s .o_field_widget[name=all_incident_ids] tr.o_data_row' % modal)
        page.fill('%s textarea[name=explanation]' % modal,
                  'Over the last two months you made scenes at the counter, insulted a '
                  'technician and damaged merchandise.')
        page.fill('%s .o_field_widget[name=referral_pharmacy_ids] input' % modal, 'Susquehanna')
        page.click('ul.ui-autocomplete li a:has-text(%s)' % json.dumps(REFERRAL))
        page.wait_for_selector('%s .o_field_widget[name=referral_pharmacy_ids] '
                               '.badge:has-text(%s)' % (modal, json.dumps(REFERRAL)))
        page.check('%s div[name=attestation] input' % modal, force=True)
        page.click('%s .modal-footer button:has-text("Confirm")' % modal)
        page.wait_for_selector('.o_statusbar_status button.btn-primary:has-text("Proposed")')
        page.wait_for_function(WEB_CLIENT_IDLE)
        assert not page.is_visible(APPROVE)
        [dismissal_id] = admin_rpc('pharmacy.dismissal', 'search', [
            ('patient_id', '=', patient.id), ('state', '=', 'proposed')])
        assert page.js_errors == []
        page.context.close()

        # the manager approves
        page = open_page(browser, odoo_server, 'manager')
        goto(page, record_url(odoo_server, 'pharmacy.dismissal', dismissal_id),
             '.o_statusbar_status button.btn-primary:has-text("Proposed")')
        page.click(APPROVE)
        page.wait_for_selector('.o_statusbar_status button.btn-primary:has-text("Approved")')
        page.wait_for_function(WEB_CLIENT_IDLE)
        goto(page, patient_url, title)
        banner = page.wait_for_selector('.o_pharmacy_dismissal_banner')
        assert 'Dismissed from' in banner.inner_text()
        page.wait_for_selector('.o_thread_message:has-text("Dismissal approved")')
        screenshot(page, 'dismissal_patient_form')
        # marked in the kanban and the list of patients
        card = goto(page, '%s/web#action=%d&view_type=kanban' % (odoo_server, action),
                    '.o_kanban_record:has-text(%s)' % json.dumps(patient.name))
        assert 'Dismissed from' in card.query_selector('.o_pharmacy_dismissal_badge').inner_text()
        row = goto(page, '%s/web#action=%d&view_type=list' % (odoo_server, action),
                   'tr.o_data_row:has-text(%s)' % json.dumps(patient.name))
        assert 'text-warning' in row.get_attribute('class')
        assert page.js_errors == []

        # the letter
        page.goto('%s/report/html/pharmacy_crm_dismissal.pharmacy_dismissal_letter/%d'
                  % (odoo_server, dismissal_id))
        letter = page.wait_for_selector('.o_pharmacy_dismissal_letter')
        text = letter.inner_text()
        assert 'insulted a technician and damaged merchandise' in text
        assert REFERRAL in text and '220 North Fourth Street, Lewisburg' in text
        assert '(570) 555-0104' in text   # the pharmacy's own number
        # (a bare report page has no favicon: Chromium's 404 for /favicon.ico is no error)
        screenshot(page, 'dismissal_letter')
        page.context.close()
    finally:
        _reinstate_open(admin_rpc, patient.id, 'End of the browser test.')
