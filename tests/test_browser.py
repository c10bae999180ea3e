"""The web client in headless Debian Chromium: log in as the demo user, open the Pharmacy menu."""
from conftest import click_menu, screenshot


def test_demo_user_opens_the_pharmacy_menu(page):
    # ``page`` is logged in and its first action drawn: the click cannot race with it
    click_menu(page, '.oe_application_menu_placeholder '
                     'a[data-menu-xmlid="pharmacy_crm.pharmacy_menu_root"]', 'Patients')
    assert page.is_visible('.oe_secondary_menu_section:has-text("Patients")')
    page.wait_for_selector('.o_view_manager_content .o_kanban_view')
    screenshot(page, 'pharmacy_menu')
    assert page.js_errors == []
