"""A technician opens Pharmacy > Adherence > Outreach, logs an outreach for a demo patient who
skips refills (Linda Nakamura, demo/pharmacy_adherence_demo.xml), and sees it in the patient's
chatter, next to her PDC badge. Every wait is on what the user sees."""
import json
import uuid

from conftest import goto, open_page, record_url, screenshot
from rpc_users import xmlid_to_id

PATIENT = 'Linda Nakamura'
ROW = '.o_list_view tr.o_data_row:has-text("%s"):has-text("Statins")' % PATIENT


def test_technician_logs_an_outreach_from_the_worklist(browser, odoo_server, admin_rpc):
    token = 'Outreach %s' % uuid.uuid4().hex[:8]
    worklist = xmlid_to_id(admin_rpc, 'pharmacy_crm_adherence.pharmacy_adherence_action_worklist')
    patients = xmlid_to_id(admin_rpc, 'pharmacy_crm.res_partner_patient_action')
    patient = xmlid_to_id(admin_rpc, 'pharmacy_crm.demo_patient_02')
    page = open_page(browser, odoo_server, 'demo',
                     start='%s/web#action=%d&model=pharmacy.adherence&view_type=list'
                     % (odoo_server, worklist), ready='.o_list_view')
    try:
        # "Not Contacted in 30 Days" is on by default: an earlier run contacted her already
        facet = page.query_selector('.o_searchview_facet:has-text("Not Contacted") .o_facet_remove')
        if not page.is_visible(ROW):
            facet.click()
        row = page.wait_for_selector(ROW)
        screenshot(page, 'adherence_worklist')
        row.query_selector('button[title="Log Outreach"]').click()
        dialog = page.wait_for_selector('.modal-dialog:has-text("Log Outreach")')
        dialog.query_selector('label:has-text("Reached")').click()
        dialog.query_selector('select[name=barrier]').select_option(label='Cost')
        dialog.query_selector('textarea[name=note]').fill(token)
        dialog.query_selector('.modal-footer button[name=action_log]').click()
        page.wait_for_selector('.modal-dialog', state='detached')

        goto(page, '%s/web#id=%d&action=%d&model=res.partner&view_type=form'
             % (odoo_server, patient, patients),
             '.o_form_view .oe_title:has-text(%s)' % json.dumps(PATIENT))
        page.wait_for_selector('.o_thread_message:has-text(%s)' % json.dumps(token))
        message = page.inner_text('.o_thread_message:has-text(%s)' % json.dumps(token))
        assert 'Outcome: Reached. Barrier: Cost.' in message
        assert page.is_visible('.o_pharmacy_pdc_badge.label-danger:has-text("Statins")')
        screenshot(page, 'adherence_outreach_on_patient')

        # the figure explained: its fills and the gaps between their supplies
        [row_id] = admin_rpc('pharmacy.adherence', 'search', [
            ('patient_id', '=', patient), ('is_latest', '=', True),
            ('class_id.code', '=', 'statin')])
        goto(page, record_url(odoo_server, 'pharmacy.adherence', row_id),
             '.o_pharmacy_pdc_fills td:has-text("simvastatin")')
        assert page.query_selector_all('.o_pharmacy_pdc_gaps li:has-text("days without supply")')
        screenshot(page, 'adherence_explained')
        assert page.js_errors == []
    finally:
        page.context.close()
