"""A technician records a fill in the web client; the prescription's due dates move with it.

Every wait is on what the user sees: the prescription's form (a new document per navigation,
see ``conftest.goto``), then the dates the server computed, shown in the user's date format.
"""
import json
import time
from datetime import date, timedelta

from conftest import goto, open_page, record_url, screenshot, user_date
from conftest import pharmacy_today

RX = 'pharmacy.patient.medication'


def _open_prescription(page, odoo_server, rx_id, rx_number):
    goto(page, record_url(odoo_server, RX, rx_id),
         '.o_form_view .o_field_widget[name=rx_number]:has-text(%s)' % json.dumps(rx_number))


def test_technician_records_a_fill_and_the_due_date_follows(page, odoo_server, admin_rpc, env):
    # the server runs in another process: the prescription is created and committed over RPC
    rx_number = 'UI-%d' % time.time()
    rx_id = admin_rpc(RX, 'create', {
        'patient_id': env.ref('pharmacy_crm.demo_patient_01').id,
        'medication_id': env.ref('pharmacy_crm.demo_medication_08').id,
        'prescriber_id': env.ref('pharmacy_crm.demo_prescriber_0').id,
        'rx_number': rx_number, 'days_supply': 28, 'quantity': 28,
        'refills_authorized': 3,
        'date_written': (pharmacy_today() - timedelta(days=3)).isoformat()})

    _open_prescription(page, odoo_server, rx_id, rx_number)
    page.click('.o_form_button_edit')
    page.click('.o_field_one2many[name=fill_ids] .o_field_x2many_list_row_add a')
    page.wait_for_selector('.o_field_one2many[name=fill_ids] tr.o_data_row')
    page.click('.o_form_button_save')
    page.wait_for_selector('.o_form_readonly')

    [fill] = admin_rpc('pharmacy.fill', 'search_read', [('prescription_id', '=', rx_id)],
                       ['fill_date', 'quantity', 'days_supply', 'state'])
    assert (fill['quantity'], fill['days_supply'], fill['state']) == (28, 28, 'filled')
    [rx] = admin_rpc(RX, 'read', [rx_id], ['next_due_date', 'refill_eligible_date'])
    filled = date(*map(int, fill['fill_date'].split('-')))
    assert rx['next_due_date'] == (filled + timedelta(days=28)).isoformat()          # run-out
    assert rx['refill_eligible_date'] == (filled + timedelta(days=23)).isoformat()   # 28 x 0.8
    due = user_date(admin_rpc, 'demo', rx['next_due_date'])
    page.wait_for_selector('.o_field_widget[name=next_due_date]:has-text("%s")' % due)
    assert page.inner_text('.o_field_widget[name=refill_eligible_date]') == \
        user_date(admin_rpc, 'demo', rx['refill_eligible_date'])
    assert page.inner_text('.o_field_widget[name=refills_remaining]') == '3'
    screenshot(page, 'prescription_after_fill')
    assert page.js_errors == []


def test_pharmacist_discontinues_then_reactivates(browser, odoo_server, admin_rpc, env):
    """The manager (a pharmacist too) discontinues with a reason; the due date goes and returns."""
    written = (pharmacy_today() - timedelta(days=5)).isoformat()
    rx_number = 'UI-D-%d' % time.time()
    rx_id = admin_rpc(RX, 'create', {
        'patient_id': env.ref('pharmacy_crm.demo_patient_02').id,
        'medication_id': env.ref('pharmacy_crm.demo_medication_10').id,
        'rx_number': rx_number, 'days_supply': 30, 'quantity': 30,
        'refills_authorized': 2, 'date_written': written,
        'fill_ids': [(0, 0, {'fill_date': written, 'quantity': 30, 'days_supply': 30})]})
    [rx] = admin_rpc(RX, 'read', [rx_id], ['next_due_date'])
    assert rx['next_due_date'] == (pharmacy_today() + timedelta(days=25)).isoformat()
    due = user_date(admin_rpc, 'admin', rx['next_due_date'])
    page = open_page(browser, odoo_server, 'admin')
    try:
        _open_prescription(page, odoo_server, rx_id, rx_number)
        page.wait_for_selector('.o_field_widget[name=next_due_date]:has-text("%s")' % due)
        page.click('.o_form_statusbar button:has-text("Discontinue")')
        dialog = page.wait_for_selector('.modal-dialog:has-text("Discontinue")')
        dialog.query_selector('select[name=reason]').select_option(
            label='Changed by the prescriber')
        dialog.query_selector('.modal-footer button.btn-primary').click()
        page.wait_for_selector('.o_statusbar_status .btn-primary:has-text("Discontinued")')
        assert page.inner_text('.o_field_widget[name=next_due_date]').strip() == ''
        [rx] = admin_rpc(RX, 'read', [rx_id], ['state', 'discontinue_reason', 'next_due_date'])
        assert (rx['state'], rx['discontinue_reason'], rx['next_due_date']) == \
            ('discontinued', 'prescriber_change', False)
        page.click('.o_form_statusbar button:has-text("Reactivate")')
        page.wait_for_selector('.o_statusbar_status .btn-primary:has-text("Active")')
        page.wait_for_selector('.o_field_widget[name=next_due_date]:has-text("%s")' % due)
        screenshot(page, 'prescription_reactivated')
        assert page.js_errors == []
    finally:
        page.context.close()
