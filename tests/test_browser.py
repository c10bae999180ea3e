"""The web client in headless Debian Chromium: log in as the demo user, open the Pharmacy menu.

Playwright drives /usr/bin/chromium (no browser download is possible here). Every JavaScript
error on the page or in the console fails the test; screenshots go to var/artifacts/.
"""
import os

import pytest
from playwright.sync_api import sync_playwright

from conftest import ARTIFACTS

CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                 '--disable-background-networking', '--disable-component-update',
                 '--disable-sync', '--no-first-run']


@pytest.fixture(scope='module')
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, odoo_server):
    """A logged-in page of the demo user that records every JavaScript error."""
    context = browser.new_context(viewport={'width': 1366, 'height': 900})
    page = context.new_page()
    page.js_errors = []
    page.on('pageerror', lambda exc: page.js_errors.append('pageerror: %s' % exc))
    page.on('console', lambda msg: msg.type == 'error' and page.js_errors.append(
        'console: %s' % msg.text))
    page.goto(odoo_server + '/web/login')
    page.fill('input[name=login]', 'demo')
    page.fill('input[name=password]', 'demo')
    with page.expect_navigation():
        page.click('button[type=submit]')
    page.wait_for_selector('.o_main_navbar, .o_main', timeout=30000)
    yield page
    context.close()


def screenshot(page, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, name + '.png'), full_page=True)


def test_demo_user_opens_the_pharmacy_menu(page, odoo_server):
    page.goto(odoo_server + '/web')
    page.click('.oe_application_menu_placeholder '
               'a[data-menu-xmlid="pharmacy_crm.pharmacy_menu_root"]', timeout=30000)
    page.wait_for_selector('.o_control_panel .breadcrumb li:has-text("Patients")', timeout=30000)
    assert page.is_visible('.oe_secondary_menu_section:has-text("Patients")')
    page.wait_for_selector('.o_view_manager_content .o_kanban_view', timeout=30000)
    screenshot(page, 'pharmacy_menu')
    assert page.js_errors == []
