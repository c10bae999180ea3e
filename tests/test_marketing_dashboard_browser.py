"""The pharmacy dashboard (#23) in the web client: the demo manager opens it and sees its five
charts drawn from the demo's figures (active patients, campaign return, NPS, churn,
lifecycle); a screenshot for the README. Every wait is on what the user sees."""
from conftest import goto, open_page, screenshot, user_date

CHARTS = ['Active Patients per Month', 'Campaign Return (points), Mailings with a Hold-out',
          'Monthly Churn (%)', 'Patient Lifecycle']
# the NPS as a table: a month's NPS of 0 beside its answers (a bar of 0 is not drawn)
TABLES = ['Net Promoter Score']


def test_manager_opens_the_dashboard(browser, odoo_server, env, admin_rpc):
    page = open_page(browser, odoo_server, 'manager')
    try:
        action = env.ref('pharmacy_crm_marketing_report.pharmacy_marketing_dashboard_action').id
        # a new document (see conftest.goto, whose idle check needs a breadcrumb: a board
        # has none)
        page.goto('about:blank')
        page.goto('%s/web#action=%d' % (odoo_server, action))
        page.wait_for_selector('.oe_dashboard')
        for title in CHARTS + TABLES:
            page.wait_for_selector('.oe_dashboard .oe_action .oe_header:has-text("%s")' % title)
        # each chart is drawn (an SVG with data, not "no data"), the NPS table has its
        # answers and scores
        page.wait_for_function(
            "() => document.querySelectorAll('.oe_dashboard .oe_action').length === %d && "
            "document.querySelectorAll('.oe_dashboard .oe_action .o_graph_svg_container svg')"
            ".length === %d" % (len(CHARTS + TABLES), len(CHARTS)))
        nps = page.locator('.oe_dashboard .oe_action:has(.oe_header:has-text("%s"))'
                           % TABLES[0])
        nps.locator('.o_pivot table:has-text("Answers"):has-text("NPS")').wait_for()
        # counts without decimals on the active patients' axis
        active = page.locator('.oe_dashboard .oe_action:has(.oe_header:has-text("%s"))'
                              % CHARTS[0])
        active.locator('.nv-y .tick text').first.wait_for()
        assert not [label for label in active.locator('.nv-y .tick text').all_text_contents()
                    if '.' in label]
        screenshot(page, 'marketing_dashboard')
        # the campaign return list: a report (no Create, no Import), the send date, and a
        # mailing without a hold-out is not measured (blank), not 0.0
        report = env.ref('pharmacy_crm_marketing_report.pharmacy_campaign_return_report_action')
        goto(page, '%s/web#action=%d&view_type=list' % (odoo_server, report.id),
             '.o_list_view .o_data_row')
        assert not page.locator('.o_list_button_add, .o_button_import').count()
        headers = [text.strip() for text in
                   page.locator('.o_list_view thead th').all_text_contents()]
        rows = [[text.strip() for text in row.locator('td').all_text_contents()]
                for row in page.locator('.o_list_view .o_data_row').all()]
        figures = env['pharmacy.campaign.return.report'].search([])
        assert len(rows) == len(figures) and any(not row.holdout_count for row in figures)
        for row in figures:
            # the send date, not the first of its month
            sent = user_date(admin_rpc, 'manager', row.sent_date)
            cells, = [cells for cells in rows if cells[headers.index('Sent')] == sent
                      and cells[headers.index('Mailing')] == row.mailing_id.name]
            if not row.holdout_count:
                assert cells[headers.index('Held Out Came Back (%)')] == ''
                assert cells[headers.index('Campaign Return (points)')] == ''
        screenshot(page, 'campaign_return_list')
        assert not page.js_errors, page.js_errors
    finally:
        page.context.close()
