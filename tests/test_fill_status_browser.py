"""A prescription that cannot be filled says so before the click (#19): the technician sees
the fill status badges on the patient's form, the too-soon prescription's dialog warns "Refill
too soon until <date>" in the user's date format before saving, and a fillable one, once
recorded, is confirmed by a notification with its next due date.

Two prescriptions of a demo patient per run (created over RPC), so that the test runs again on
the same database. Every wait is on what the user sees.
"""
import json
import time
from datetime import timedelta

from conftest import goto, record_url, screenshot, user_date
from conftest import pharmacy_today

RX = 'pharmacy.patient.medication'


def test_the_counter_says_why_before_the_click(page, odoo_server, admin_rpc, env):
    today = pharmacy_today()
    patient = env.ref('pharmacy_crm.demo_patient_01').id
    rxs = {}
    for kind, filled in (('soon', 10), ('due', 31)):
        rx_number = 'FS-%s-%d' % (kind, time.time())
        fill_date = (today - timedelta(days=filled)).isoformat()
        rxs[kind] = (rx_number, admin_rpc(RX, 'create', {
            'patient_id': patient, 'medication_id': env.ref('pharmacy_crm.demo_medication_08').id,
            'rx_number': rx_number, 'days_supply': 30, 'quantity': 30,
            'refills_authorized': 5, 'date_written': fill_date,
            'fill_ids': [(0, 0, {'fill_date': fill_date, 'quantity': 30, 'days_supply': 30})]}))
    soon_until = user_date(admin_rpc, 'demo', (today + timedelta(days=14)).isoformat())
    next_due = user_date(admin_rpc, 'demo', (today + timedelta(days=30)).isoformat())

    # the patient's form: a badge on each line, Record a fill only on the fillable one
    action = env.ref('pharmacy_crm.res_partner_patient_action').id
    rows = '.o_field_one2many[name=current_prescription_ids] tr.o_data_row'
    goto(page, '%s&action=%d' % (record_url(odoo_server, 'res.partner', patient), action),
         rows)
    soon_row = page.wait_for_selector('%s:has-text("Too soon")' % rows)
    assert soon_row.query_selector('button[title="Record a fill"]') is None
    page.wait_for_selector('%s:has-text("Fillable") button[title="Record a fill"]' % rows)
    screenshot(page, 'fill_status_patient_form')

    # the too-soon prescription: its form says until when; the dialog warns before saving
    rx_number, rx_id = rxs['soon']
    goto(page, record_url(odoo_server, RX, rx_id),
         '.o_form_view .o_field_widget[name=rx_number]:has-text(%s)' % json.dumps(rx_number))
    page.wait_for_selector('.o_field_widget[name=fill_status_text]:has-text(%s)'
                           % json.dumps('Too soon until %s' % soon_until))
    page.click('.o_form_statusbar button.o_pharmacy_record_fill')
    page.wait_for_selector('.modal-dialog .alert-warning:has-text(%s)'
                           % json.dumps('Refill too soon until %s' % soon_until))
    screenshot(page, 'fill_status_too_soon_dialog')
    page.click('.modal-footer button:has-text("Cancel")')
    page.wait_for_selector('.modal-dialog', state='detached')

    # the fillable one: recorded from the dialog, a notification gives the next due date
    rx_number, rx_id = rxs['due']
    goto(page, record_url(odoo_server, RX, rx_id),
         '.o_form_view .o_field_widget[name=rx_number]:has-text(%s)' % json.dumps(rx_number))
    page.wait_for_selector('.o_field_widget[name=fill_status]:has-text("Fillable")')
    page.click('.o_form_statusbar button.o_pharmacy_record_fill')
    dialog = page.wait_for_selector('.modal-dialog:has-text("Record Fill")')
    assert not dialog.query_selector('.alert-warning').is_visible()
    page.click('.modal-footer button.o_pharmacy_fill_recorded')
    page.wait_for_selector('.o_notification:has-text(%s)'
                           % json.dumps('Fill recorded, next due %s' % next_due))
    screenshot(page, 'fill_status_recorded_notification')
    page.wait_for_selector('.modal-dialog', state='detached')
    # the dialog closed and the prescription's form shows the new state
    page.wait_for_selector('.o_field_widget[name=fill_status]:has-text("Too soon")')
    page.wait_for_selector('.o_field_widget[name=next_due_date]:has-text(%s)'
                           % json.dumps(next_due))
    [rx] = admin_rpc(RX, 'read', [rx_id], ['next_due_date', 'fill_status', 'fill_count'])
    assert (rx['next_due_date'], rx['fill_status'], rx['fill_count']) == (
        (today + timedelta(days=30)).isoformat(), 'too_soon', 2)
    assert page.js_errors == []
