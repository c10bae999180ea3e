"""A customer journey in the web client: the pharmacist opens the demo's welcome series, sees
its steps with how many participants reached each, and the participants' next steps
(screenshot var/artifacts/journey.png); the marketing user opens the win-back journey and sees
its steps but no participant."""
from conftest import goto, open_page, record_url, screenshot

STEPS = '.o_field_widget[name=step_ids] tr.o_data_row'
PARTICIPANTS_TAB = '.o_notebook a[role=tab]:has-text("Participants")'


def test_a_journey_and_its_participants(browser, odoo_server, env):
    welcome = env.ref('pharmacy_crm_journey.pharmacy_journey_welcome')
    winback = env.ref('pharmacy_crm_journey.pharmacy_journey_winback')
    page = open_page(browser, odoo_server, 'pharmacist')
    try:
        goto(page, record_url(odoo_server, 'pharmacy.journey', welcome.id),
             '.o_form_view h1:has-text("Welcome series")')
        page.wait_for_selector('.o_statusbar_status button.btn-primary:has-text("Running")')
        assert len(page.query_selector_all(STEPS)) == len(welcome.step_ids) == 6
        page.wait_for_selector('%s:has-text("Offer refill sync")' % STEPS)
        page.click(PARTICIPANTS_TAB)
        page.wait_for_selector('.o_field_widget[name=participant_ids] tr.o_data_row '
                               ':text("Ethan Moreau")')
        screenshot(page, 'journey')
        assert page.js_errors == []
    finally:
        page.context.close()
    page = open_page(browser, odoo_server, 'marketing')
    try:
        goto(page, record_url(odoo_server, 'pharmacy.journey', winback.id),
             '.o_form_view h1:has-text("Lapsed win-back")')
        page.wait_for_selector('%s:has-text("Call the patient")' % STEPS)
        assert not page.is_visible(PARTICIPANTS_TAB)
        assert page.js_errors == []
    finally:
        page.context.close()
