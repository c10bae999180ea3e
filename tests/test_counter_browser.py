"""The counter (issue #8): a technician opens a patient from Pharmacy > Patients and sees the
snapshot without clicking a tab, in a 1366x768 screen; each worklist lists the right patients
and does its one action; no onboarding tip of another app covers a pharmacy screen.

The data is created over RPC with dates relative to today, and a tag of its own per run."""
import uuid
from datetime import timedelta

import pytest
from conftest import click_menu, goto, open_page, record_url, user_date
from conftest import screenshot as _screenshot
from conftest import pharmacy_today

VIEWPORT = {'width': 1366, 'height': 768}
PARTNER, RX, FILL = 'res.partner', 'pharmacy.patient.medication', 'pharmacy.fill'


def _day(offset):
    return (pharmacy_today() + timedelta(days=offset)).isoformat()


def assert_in_viewport(element, what):
    box = element.bounding_box()
    assert box and box['x'] >= 0 and box['y'] >= 0 and \
        box['x'] + box['width'] <= VIEWPORT['width'] and \
        box['y'] + box['height'] <= VIEWPORT['height'], '%s is outside the screen: %r' % (
            what, box)


class Pharmacy:
    """Creates a tagged patient world over RPC as admin."""

    def __init__(self, admin_rpc, env):
        self.rpc, self.env = admin_rpc, env
        self.shown = lambda iso_date: user_date(admin_rpc, 'demo', iso_date)
        self.tag = uuid.uuid4().hex[:6]
        self.prescriber = env.ref('pharmacy_crm.demo_prescriber_0')
        self.rx_count = 0

    def patient(self, name, **values):
        vals = {'name': '%s %s' % (name, self.tag), 'is_patient': True,
                'birthdate_date': '1951-03-14', 'nkda': True, 'phone': '+1 555-0199-0000'}
        vals.update(values)
        return self.rpc(PARTNER, 'create', vals)

    def prescription(self, patient, medication, written=-100, fills=(), **values):
        """A prescription written ``written`` days ago with fills at the given day offsets."""
        self.rx_count += 1
        vals = {'patient_id': patient, 'prescriber_id': self.prescriber.id,
                'medication_id': self.env.ref('pharmacy_crm.demo_medication_%02d' % medication).id,
                'rx_number': 'CTR-%s-%d' % (self.tag, self.rx_count), 'days_supply': 30,
                'quantity': 30, 'refills_authorized': 5, 'date_written': _day(written),
                'dose': '1 tablet', 'sig': 'Take 1 tablet by mouth once daily'}
        state = values.pop('state', None)
        reason = values.pop('discontinue_reason', 'other')
        vals.update(values)
        rx = self.rpc(RX, 'create', vals)
        if state == 'discontinued':   # a state is changed by its action (#18)
            wizard = self.rpc('pharmacy.prescription.discontinue', 'create', {
                'prescription_ids': [(6, 0, [rx])], 'reason': reason})
            self.rpc('pharmacy.prescription.discontinue', 'action_confirm', [wizard])
        for offset in fills:
            self.fill(rx, offset)
        return rx

    def fill(self, rx, offset, **values):
        vals = {'prescription_id': rx, 'fill_date': _day(offset), 'quantity': 30,
                'days_supply': 30, 'state': 'picked_up', 'pickup_date': _day(offset)}
        vals.update(values)
        return self.rpc(FILL, 'create', vals)


@pytest.fixture
def world(admin_rpc, env):
    return Pharmacy(admin_rpc, env)


@pytest.fixture
def counter_page(page):
    page.set_viewport_size(VIEWPORT)
    return page


def screenshot(page, name):
    """The screen once Odoo's "Loading" badge is gone (it outlives the last request)."""
    page.wait_for_selector('.o_loading', state='hidden')
    _screenshot(page, name)


def _open_menu(page, xmlid, title):
    """Open a Pharmacy menu entry as a user does: the app in the top bar, which opens its
    first entry (Patients), then the entry titled ``title``."""
    click_menu(page, '.oe_application_menu_placeholder '
                     'a[data-menu-xmlid="pharmacy_crm.pharmacy_menu_root"]', 'Patients')
    if xmlid != 'res_partner_patient_menu':
        click_menu(page, '.o_sub_menu a[data-menu-xmlid="pharmacy_crm.%s"]' % xmlid, title)


def _search(page, text):
    """Search the list's first search field, as typing and Enter do."""
    page.type('.o_searchview_input', text)   # key by key: the autocomplete reads keypresses
    page.wait_for_selector('.o_searchview_autocomplete li.o-selection-focus')
    page.press('.o_searchview_input', 'Enter')
    page.wait_for_selector('.o_searchview_facet:has-text("%s")' % text)


def test_technician_sees_the_patient_snapshot_without_a_click(counter_page, odoo_server,
                                                              world):
    page = counter_page
    patient = world.patient('Counter Snapshot', nkda=False, allergies='Sulfa drugs (rash)')
    world.rpc('pharmacy.patient.note', 'create', {
        'patient_id': patient, 'is_alert': True, 'body': 'Hard of hearing: face him'})
    # five active medications, due on different days; one held, one discontinued
    active = {}
    for med, filled in [(1, -25), (9, -20), (15, -28), (21, -10), (26, -29)]:
        rx = world.prescription(patient, med, fills=[filled])
        active[rx] = (world.env.ref('pharmacy_crm.demo_medication_%02d' % med).display_name,
                      world.shown(_day(filled + 30)))
    held = world.prescription(patient, 23, fills=[-40])
    world.rpc(RX, 'action_hold', [held])
    world.prescription(patient, 24, state='discontinued', discontinue_reason='adverse_effect')
    name = 'Counter Snapshot %s' % world.tag

    _open_menu(page, 'res_partner_patient_menu', 'Patients')
    _search(page, name)
    page.click('.o_kanban_record:has-text("%s")' % name)

    banner = page.wait_for_selector('.o_pharmacy_alert_banner:has-text("Hard of hearing")')
    assert_in_viewport(banner, 'the alert')
    allergies = page.wait_for_selector('.o_field_widget[name=allergies]')
    assert allergies.inner_text() == 'Sulfa drugs (rash)'
    assert_in_viewport(allergies, 'the allergies')
    assert 'text-danger' in allergies.get_attribute('class')
    birthdate = page.wait_for_selector('.o_field_widget[name=birthdate_date]')
    assert birthdate.inner_text() == world.shown('1951-03-14')
    assert_in_viewport(birthdate, 'the birthdate')
    listed = '.o_field_one2many[name=current_prescription_ids] tr.o_data_row'
    for rx, (medication, due) in active.items():
        row = page.wait_for_selector('%s:has-text("%s")' % (listed, medication))
        cell = row.query_selector('td:has-text("%s")' % due)
        assert cell, '%s: next due %s not in %r' % (medication, due, row.inner_text())
        assert_in_viewport(cell, 'next due of %s' % medication)
        assert_in_viewport(row.query_selector('button[title="Call the prescriber"]'),
                           'the call button of %s' % medication)
    rows = page.query_selector_all(listed)
    assert len(rows) == 6   # the held one after the active ones; the discontinued one not
    assert 'On hold' in rows[-1].inner_text()
    screenshot(page, 'counter_patient_form')
    assert page.js_errors == []


def test_no_known_drug_allergies_is_said_in_words(counter_page, odoo_server, world):
    page = counter_page
    patient = world.patient('Counter Nkda')
    action = world.env.ref('pharmacy_crm.res_partner_patient_action').id
    nkda = goto(page, '%s&action=%d' % (record_url(odoo_server, 'res.partner', patient), action),
                '.o_pharmacy_nkda')
    assert nkda.inner_text() == 'No known drug allergies'
    assert_in_viewport(nkda, '"No known drug allergies"')
    assert not page.is_visible('.o_field_widget[name=allergies]')
    assert page.js_errors == []


def _rows(page, names):
    """Wait until the list shows exactly the rows of ``names``, in this order."""
    page.wait_for_function(
        """names => {
            const rows = [...document.querySelectorAll('.o_list_view tr.o_data_row')];
            return rows.length === names.length
                && rows.every((row, i) => row.innerText.includes(names[i]));
        }""", arg=names)


def test_due_today_and_overdue_then_record_the_fill(counter_page, odoo_server, world):
    page = counter_page
    overdue = world.patient('Due Overdue')
    rx_overdue = world.prescription(overdue, 2, fills=[-40])            # due 10 days ago
    world.prescription(world.patient('Due Today'), 3, fills=[-30])      # due today
    world.prescription(world.patient('Due Later'), 4, fills=[-20])      # due in 10 days
    left = world.patient('Due Transferred')
    world.prescription(left, 5, fills=[-45])
    other = world.rpc(PARTNER, 'create', {'name': 'Other Pharmacy %s' % world.tag,
                                          'is_company': True})
    world.rpc('pharmacy.patient.leave', 'action_confirm', [world.rpc(
        'pharmacy.patient.leave', 'create', {'patient_id': left, 'reason': 'transferred',
                                             'date': _day(0), 'pharmacy_id': other})])

    _open_menu(page, 'pharmacy_patient_medication_menu_due', 'Due Today and Overdue')
    page.wait_for_selector('.o_list_view tr.o_data_row')
    screenshot(page, 'worklist_due')
    _search(page, 'CTR-%s' % world.tag)
    names = ['Due Overdue %s' % world.tag, 'Due Today %s' % world.tag]
    _rows(page, names)
    first = page.query_selector('.o_list_view tr.o_data_row')
    assert world.shown(_day(-10)) in first.inner_text()

    first.query_selector('button:has-text("Record Fill")').click()
    dialog = page.wait_for_selector('.modal-dialog:has-text("for Due Overdue %s")' % world.tag)
    assert dialog.query_selector('.o_field_widget[name=fill_date] input').input_value() == \
        world.shown(_day(0))
    dialog.query_selector('.modal-footer button:has-text("Record Fill")').click()
    _rows(page, names[1:])
    [rx] = world.rpc(RX, 'read', [rx_overdue], ['next_due_date', 'fill_count'])
    assert (rx['next_due_date'], rx['fill_count']) == (_day(30), 2)
    assert page.js_errors == []


def test_ready_for_pickup_picked_up_in_one_click(counter_page, odoo_server, world):
    page = counter_page
    late = world.patient('Pickup Late')
    fill_late = world.fill(world.prescription(late, 6), -10, state='ready', pickup_date=False)
    fill_recent = world.fill(world.prescription(world.patient('Pickup Recent'), 7), -3,
                             state='ready', pickup_date=False)
    world.fill(world.prescription(world.patient('Pickup Done'), 8), -12)   # picked up

    _open_menu(page, 'pharmacy_fill_menu_pickup', 'Ready for Pickup')
    _search(page, world.tag)    # the list's first search field: the patient
    # every fill not picked up, oldest first
    _rows(page, ['Pickup Late %s' % world.tag, 'Pickup Recent %s' % world.tag])
    screenshot(page, 'worklist_pickup')
    recent = page.query_selector('.o_list_view tr.o_data_row:has-text("Pickup Recent")')
    # waiting 3 days: picked up, not returned to stock
    button = recent.query_selector('button:has-text("Return to Stock")')
    assert button is None or button.is_hidden()
    recent.query_selector('button:has-text("Picked Up")').click()
    _rows(page, ['Pickup Late %s' % world.tag])
    [fill] = world.rpc(FILL, 'read', [fill_recent], ['state', 'pickup_date'])
    assert (fill['state'], fill['pickup_date']) == ('picked_up', _day(0))
    # the filter Waiting Too Long (more than 7 days), then return to stock
    _filter(page, 'Waiting Too Long')
    _rows(page, ['Pickup Late %s' % world.tag])
    page.click('.o_list_view tr.o_data_row button:has-text("Return to Stock")')
    page.wait_for_selector('.o_list_view tr.o_data_row', state='detached')
    [fill] = world.rpc(FILL, 'read', [fill_late], ['state', 'counts', 'display_name'])
    assert (fill['state'], fill['counts']) == ('returned', False)
    assert 'pharmacy.fill' not in fill['display_name'], fill
    assert page.js_errors == []


def test_renewals_needed_with_the_prescribers_phone_and_fax(counter_page, odoo_server, world):
    page = counter_page
    world.prescription(world.patient('Renew Empty'), 10, refills_authorized=0, fills=[-5])
    world.prescription(world.patient('Renew Expiring'), 11, written=-345)   # expires in ~20 d
    world.prescription(world.patient('Renew Fine'), 12, written=-10, fills=[-5])

    _open_menu(page, 'pharmacy_patient_medication_menu_renewal', 'Renewals Needed')
    _search(page, 'CTR-%s' % world.tag)
    _rows(page, ['Renew Expiring %s' % world.tag, 'Renew Empty %s' % world.tag])
    for row in page.query_selector_all('.o_list_view tr.o_data_row'):
        text = row.inner_text()
        assert world.prescriber.phone in text and world.prescriber.fax in text, text
        button = row.query_selector('button:has-text("Call Prescriber")')
        assert_in_viewport(button, 'Call Prescriber')
    screenshot(page, 'worklist_renewals')
    assert page.js_errors == []


def test_no_onboarding_tip_of_another_app_on_pharmacy_screens(browser, odoo_server):
    """Odoo 11 shows tours to the administrator: the first tip of another app's tour (CRM's
    pointed at the CRM menu and covered the title of the Patients screen) must not show over
    pharmacy screens. Pharmacy staff have the other apps' tours consumed: the web client gets
    them as consumed, shows no tip, and would show Discuss's once it is not consumed."""
    page = open_page(browser, odoo_server, 'admin')
    try:
        page.set_viewport_size(VIEWPORT)
        _open_menu(page, 'res_partner_patient_menu', 'Patients')
        page.wait_for_function("() => odoo.__DEBUG__.services['web_tour.tour'].tours.mail_tour"
                               " && odoo.__DEBUG__.services['web_tour.tour'].tours.mail_tour"
                               ".ready")
        assert 'mail_tour' in page.evaluate(
            "() => odoo.__DEBUG__.services['web.session'].web_tours")
        assert page.evaluate("() => Object.keys("
                             "odoo.__DEBUG__.services['web_tour.tour'].active_tooltips)") == []
        assert page.query_selector('.o_tooltip') is None
        # what the test guards against: the tour not consumed is active again
        assert page.evaluate("""() => {
            const tours = odoo.__DEBUG__.services['web_tour.tour'];
            tours.consumed_tours.splice(0);
            tours._to_next_step('mail_tour', 0);
            tours.update('mail_tour');
            return Object.keys(tours.active_tooltips);
        }""") == ['mail_tour']
        assert page.js_errors == []
    finally:
        page.context.close()


def _filter(page, name):
    """Apply the search view's filter ``name`` as a user does: the search options (shown by
    the magnifier's plus when hidden), Filters, the filter."""
    if not page.is_visible('.o_search_options button:has-text("Filters")'):
        page.click('.o_searchview_more')
    page.click('.o_search_options button:has-text("Filters")')
    page.click('.o_filters_menu a:has-text("%s")' % name)
    page.wait_for_selector('.o_searchview_facet:has-text("%s")' % name)
