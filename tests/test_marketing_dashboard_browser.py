"""The pharmacy dashboard (#23) in the web client: the demo manager opens it and sees its five
charts drawn from the demo's figures (active patients, campaign return, NPS, churn,
lifecycle); a screenshot for the README. Every wait is on what the user sees."""
from conftest import open_page, screenshot

CHARTS = ['Active Patients per Month', 'Campaign Return (points)', 'Net Promoter Score',
          'Monthly Churn (%)', 'Patient Lifecycle']


def test_manager_opens_the_dashboard(browser, odoo_server, env):
    page = open_page(browser, odoo_server, 'manager')
    try:
        action = env.ref('pharmacy_crm_marketing_report.pharmacy_marketing_dashboard_action').id
        # a new document (see conftest.goto, whose idle check needs a breadcrumb: a board
        # has none)
        page.goto('about:blank')
        page.goto('%s/web#action=%d' % (odoo_server, action))
        page.wait_for_selector('.oe_dashboard')
        for title in CHARTS:
            page.wait_for_selector('.oe_dashboard .oe_action .oe_header:has-text("%s")' % title)
        # each chart is drawn (an SVG with data, not "no data")
        page.wait_for_function(
            "() => document.querySelectorAll('.oe_dashboard .oe_action').length === %d && "
            "document.querySelectorAll('.oe_dashboard .oe_action .o_graph_svg_container svg')"
            ".length === %d" % (len(CHARTS), len(CHARTS)))
        screenshot(page, 'marketing_dashboard')
        assert not page.js_errors, page.js_errors
    finally:
        page.context.close()
