"""A technician records a fill in the web client; the prescription's due dates move with it."""
import time
from datetime import date, timedelta

from conftest import ODOO_PAGE_TIMEOUT, open_page, screenshot


def test_technician_records_a_fill_and_the_due_date_follows(page, odoo_server, admin_rpc, env):
    # the server runs in another process: the prescription is created and committed over RPC
    rx_id = admin_rpc('pharmacy.patient.medication', 'create', {
        'patient_id': env.ref('pharmacy_crm.demo_patient_01').id,
        'medication_id': env.ref('pharmacy_crm.demo_medication_08').id,
        'prescriber_id': env.ref('pharmacy_crm.demo_prescriber_0').id,
        'rx_number': 'UI-%d' % time.time(), 'days_supply': 28, 'quantity': 28,
        'refills_authorized': 3, 'date_written': (date.today() - timedelta(days=3)).isoformat()})

    page.goto('%s/web#id=%d&model=pharmacy.patient.medication&view_type=form'
              % (odoo_server, rx_id))
    page.click('.o_form_button_edit', timeout=ODOO_PAGE_TIMEOUT)
    page.click('.o_field_one2many[name=fill_ids] .o_field_x2many_list_row_add a')
    page.wait_for_selector('.o_field_one2many[name=fill_ids] tr.o_data_row')
    page.click('.o_form_button_save')
    page.wait_for_selector('.o_form_readonly', timeout=ODOO_PAGE_TIMEOUT)

    [fill] = admin_rpc('pharmacy.fill', 'search_read', [('prescription_id', '=', rx_id)],
                       ['fill_date', 'quantity', 'days_supply', 'state'])
    assert (fill['quantity'], fill['days_supply'], fill['state']) == (28, 28, 'filled')
    filled = date(*map(int, fill['fill_date'].split('-')))
    due = (filled + timedelta(days=28)).strftime('%m/%d/%Y')          # run-out
    too_soon = (filled + timedelta(days=23)).strftime('%m/%d/%Y')     # ceil(28 x 0.8) = 23
    page.wait_for_selector('.o_field_widget[name=next_due_date]:has-text("%s")' % due)
    assert page.inner_text('.o_field_widget[name=refill_eligible_date]') == too_soon
    assert page.inner_text('.o_field_widget[name=refills_remaining]') == '3'
    screenshot(page, 'prescription_after_fill')
    assert page.js_errors == []


def test_pharmacist_discontinues_then_reactivates(browser, odoo_server, admin_rpc, env):
    """The manager (a pharmacist too) discontinues with a reason; the due date goes and returns."""
    written = (date.today() - timedelta(days=5)).isoformat()
    rx_id = admin_rpc('pharmacy.patient.medication', 'create', {
        'patient_id': env.ref('pharmacy_crm.demo_patient_02').id,
        'medication_id': env.ref('pharmacy_crm.demo_medication_10').id,
        'rx_number': 'UI-D-%d' % time.time(), 'days_supply': 30, 'quantity': 30,
        'refills_authorized': 2, 'date_written': written,
        'fill_ids': [(0, 0, {'fill_date': written, 'quantity': 30, 'days_supply': 30})]})
    due = (date.today() + timedelta(days=25)).strftime('%m/%d/%Y')
    page = open_page(browser, odoo_server, 'admin')
    try:
        page.goto('%s/web#id=%d&model=pharmacy.patient.medication&view_type=form'
                  % (odoo_server, rx_id))
        page.wait_for_selector('.o_field_widget[name=next_due_date]:has-text("%s")' % due,
                               timeout=ODOO_PAGE_TIMEOUT)
        page.click('.o_form_statusbar button:has-text("Discontinue")')
        dialog = page.wait_for_selector('.modal-dialog:has-text("Discontinue")')
        dialog.query_selector('select[name=reason]').select_option(
            label='Changed by the prescriber')
        dialog.query_selector('.modal-footer button.btn-primary').click()
        page.wait_for_selector('.o_statusbar_status .btn-primary:has-text("Discontinued")')
        assert page.inner_text('.o_field_widget[name=next_due_date]').strip() == ''
        [rx] = admin_rpc('pharmacy.patient.medication', 'read', [rx_id],
                         ['state', 'discontinue_reason', 'next_due_date'])
        assert (rx['state'], rx['discontinue_reason'], rx['next_due_date']) == \
            ('discontinued', 'prescriber_change', False)
        page.click('.o_form_statusbar button:has-text("Reactivate")')
        page.wait_for_selector('.o_field_widget[name=next_due_date]:has-text("%s")' % due)
        screenshot(page, 'prescription_reactivated')
        assert page.js_errors == []
    finally:
        page.context.close()
