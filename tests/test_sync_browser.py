"""Refill sync (#10) in the web client: the demo technician enrols a patient, ticks the
prescriptions, sees the alignment plan with its short quantities, applies it, and finds the
appointment on the sync board.

A new patient per run (two demo medications, filled so that they run out 5 and 10 days from
today), so that the test runs again on the same database. Every wait is on what the user sees.
"""
import json
import time
from datetime import timedelta

from conftest import goto, record_url, screenshot, user_date

from odoo.addons.pharmacy_crm_sync.tools import next_sync_date, short_fill_quantity
from conftest import pharmacy_today

RX = 'pharmacy.patient.medication'


def test_technician_enrols_a_patient_and_finds_the_appointment(page, odoo_server, admin_rpc,
                                                               env):
    today = pharmacy_today()
    name = 'Sync Browser %d' % time.time()
    patient = admin_rpc('res.partner', 'create', {
        'name': name, 'is_patient': True, 'birthdate_date': '1955-03-01', 'nkda': True})
    rxs = []
    plan = (('demo_medication_08', 30, 25), ('demo_medication_10', 60, 20))
    for i, (medication, quantity, filled) in enumerate(plan):
        rx_number = 'SB%d-%d' % (i, time.time())
        fill_date = (today - timedelta(days=filled)).isoformat()
        admin_rpc(RX, 'create', {
            'patient_id': patient, 'medication_id': env.ref('pharmacy_crm.%s' % medication).id,
            'rx_number': rx_number, 'days_supply': 30, 'quantity': quantity,
            'refills_authorized': 5, 'date_written': fill_date,
            'fill_ids': [(0, 0, {'fill_date': fill_date, 'quantity': quantity,
                                 'days_supply': 30})]})
        rxs.append((rx_number, quantity, today + timedelta(days=30 - filled)))
    # the sync day the technician types: 15 days from today's day of the month
    sync_day = (today + timedelta(days=15)).day
    expected = {}
    for rx_number, quantity, run_out in rxs:
        days = (next_sync_date(run_out, sync_day=sync_day) - run_out).days
        expected[rx_number] = '%.2f' % short_fill_quantity(quantity, 30, days)

    action = env.ref('pharmacy_crm.res_partner_patient_action').id
    goto(page, '%s&action=%d' % (record_url(odoo_server, 'res.partner', patient), action),
         '.o_form_view button.o_pharmacy_sync_enroll')
    assert not page.is_visible('.o_form_view .o_pharmacy_sync_status')
    page.click('button.o_pharmacy_sync_enroll')
    dialog = page.wait_for_selector('.modal-dialog:has-text("Enroll %s in refill sync")' % name)
    # both maintenance tablets are proposed, ticked
    rows = '.modal-dialog .o_pharmacy_sync_plan_lines tr.o_data_row'
    page.wait_for_function('sel => document.querySelectorAll(sel).length === 2', arg=rows)
    assert len(page.query_selector_all(rows + ' .custom-control-input:checked, '
                                       + rows + ' input[type=checkbox]:checked')) >= 2
    dialog.query_selector('select[name=consent_source]').select_option(label='In store')
    sync_input = dialog.query_selector('input[name=sync_day]')
    sync_input.fill(str(sync_day))
    page.click('.modal-footer button.o_pharmacy_sync_refresh')
    for rx_number, quantity in expected.items():
        page.wait_for_selector('%s:has-text(%s):has-text(%s)' % (
            rows, json.dumps(rx_number), json.dumps(quantity)))
    screenshot(page, 'sync_alignment_plan')
    page.click('.modal-footer button.o_pharmacy_sync_apply')
    # the first appointment opens, to confirm, with both prescriptions
    page.wait_for_selector('.o_form_view .o_statusbar_status .btn-primary:has-text("To confirm")')
    for rx_number in expected:
        page.wait_for_selector('.o_form_view .o_field_one2many[name=line_ids] '
                               'tr.o_data_row:has-text(%s)' % json.dumps(rx_number))
    # the profile's header shows the next sync date
    goto(page, '%s&action=%d' % (record_url(odoo_server, 'res.partner', patient), action),
         '.o_form_view .o_pharmacy_sync_status:has-text("Next Sync")')
    first = next_sync_date(today, sync_day=sync_day).isoformat()
    assert page.inner_text('.o_pharmacy_sync_status .o_stat_value').strip() == \
        user_date(admin_rpc, 'demo', first)
    [appointment] = admin_rpc('pharmacy.sync.appointment', 'search_read',
                              [('patient_id', '=', patient)], ['date', 'state'])
    assert appointment['state'] == 'to_confirm'
    # the sync board: the kanban card of the appointment, in the To confirm column
    board = env.ref('pharmacy_crm_sync.pharmacy_sync_appointment_action').id
    goto(page, '%s/web#model=pharmacy.sync.appointment&view_type=kanban&action=%d' % (
        odoo_server, board), '.o_kanban_view')
    page.wait_for_selector('.o_kanban_group:has(.o_column_title:has-text("To confirm")) '
                           '.o_pharmacy_sync_card:has-text(%s)' % json.dumps(name))
    screenshot(page, 'sync_board')
    # a card dragged to a column no action leads to is refused with the message, and stays;
    # dragged to the next state, it performs that state's action (#18)
    card = '.o_kanban_record:has-text(%s)' % json.dumps(name)
    page.click('.o_searchview_input')   # the board of this patient: one card
    page.keyboard.type(name)
    page.wait_for_selector('.o_searchview_autocomplete li:has-text(%s)' % json.dumps(name))
    page.keyboard.press('Enter')
    page.wait_for_function("document.querySelectorAll('.o_pharmacy_sync_card').length === 1")
    _drag(page, _column('To confirm') + ' ' + card, _column('Filled'))
    page.wait_for_selector('.modal-dialog:has-text("changes only through its actions")')
    page.click('.modal-dialog .modal-footer button')
    page.wait_for_selector(_column('To confirm') + ' ' + card)
    # the web client logs the refusal it showed: expected, the only one
    refused = [e for e in page.js_errors if 'changes only through its actions' in e]
    assert len(refused) == 1, page.js_errors
    page.js_errors.remove(refused[0])
    assert admin_rpc('pharmacy.sync.appointment', 'read', [appointment['id']],
                     ['state'])[0]['state'] == 'to_confirm'
    with page.expect_response(lambda r: '/pharmacy.sync.appointment/write' in r.url):
        _drag(page, _column('To confirm') + ' ' + card, _column('Confirmed'))
    page.wait_for_selector(_column('Confirmed') + ' ' + card)
    # the board read again from the server: the card is where the action put it
    goto(page, '%s/web#model=pharmacy.sync.appointment&view_type=kanban&action=%d' % (
        odoo_server, board), _column('Confirmed') + ' ' + card)
    assert not page.is_visible('.modal-dialog')
    [confirmed] = admin_rpc('pharmacy.sync.appointment', 'read', [appointment['id']],
                            ['state', 'confirmed_by'])
    assert confirmed['state'] == 'confirmed' and confirmed['confirmed_by']
    screenshot(page, 'sync_board_dragged')
    # the month at a glance: the calendar (the board's first view) shows the demo patient
    # whose appointment is today
    today_patient = env.ref('pharmacy_crm_sync.demo_sync_appointment_14').patient_id.name
    goto(page, '%s/web#model=pharmacy.sync.appointment&view_type=calendar&action=%d' % (
        odoo_server, board), '.o_calendar_view')
    page.wait_for_selector('.o_calendar_view .fc-event:has-text(%s)' % json.dumps(today_patient))
    screenshot(page, 'sync_board_calendar')
    assert page.js_errors == []


def _column(title):
    return '.o_kanban_group:has(.o_column_title:text-is(%s))' % json.dumps(title)


def _drag(page, source, target):
    """Drag ``source`` onto the column ``target`` with the mouse, as a user does (jQuery UI's
    sortable follows the mouse moves)."""
    element = page.wait_for_selector(source)
    element.scroll_into_view_if_needed()
    start = element.bounding_box()
    end = page.wait_for_selector(target).bounding_box()
    x, y = start['x'] + start['width'] / 2, start['y'] + start['height'] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 10, y + 10, steps=5)
    page.mouse.move(end['x'] + end['width'] / 2, end['y'] + 80, steps=20)
    page.mouse.up()
