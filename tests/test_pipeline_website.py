"""The website's "Transfer your prescriptions to us" page (#21, pharmacy_crm_website) over
HTTP: the page shows the consent checkbox and the privacy sentence; a request posted to
website_crm's /website_form/crm.lead becomes a transfer-in lead of the pharmacy team (type,
source, medium set by the server); the honeypot, a missing consent and a burst from one address
are refused without a lead; nothing sent is shown back."""
import re
import time

import pytest
import requests

from conftest import screenshot

PAGE = '/transfer-your-prescriptions'


def _installed(admin_rpc):
    return admin_rpc('ir.module.module', 'search_count',
                     [('name', '=', 'pharmacy_crm_website'), ('state', '=', 'installed')])


def _session(odoo_server):
    http = requests.Session()
    page = http.get(odoo_server + PAGE, timeout=60)
    assert page.status_code == 200
    token = re.search(r'csrf_token: "([0-9a-f]+o?[0-9]*)"', page.text).group(1)
    return http, page.text, token


def _post(http, odoo_server, token, **values):
    data = dict({'pharmacy_transfer': '1', 'csrf_token': token, 'pharmacy_fax_number': '',
                 'phone': '(570) 555-0111', 'pharmacy_contact_consent': 'on',
                 'pharmacy_current_pharmacy': 'Riverside Drug',
                 'pharmacy_medications': 'metformin 500 mg'}, **values)
    return http.post(odoo_server + '/website_form/crm.lead', data=data, timeout=60)


def test_transfer_request_from_the_website(odoo_server, admin_rpc):
    if not _installed(admin_rpc):
        pytest.skip('pharmacy_crm_website is not installed (it needs the website wheel)')
    http, page, token = _session(odoo_server)
    assert 'name="pharmacy_contact_consent"' in page and 'o_pharmacy_privacy' in page
    run = int(time.time())
    name = 'Web Transfer %d' % run
    answer = _post(http, odoo_server, token, contact_name=name)
    assert answer.status_code == 200, answer.text
    lead_id = answer.json()['id']
    assert 'metformin' not in answer.text
    [lead] = admin_rpc('crm.lead', 'read', [lead_id], [
        'name', 'pharmacy_work_type', 'team_id', 'source_id', 'medium_id',
        'pharmacy_medications', 'pharmacy_contact_consent', 'user_id'])
    team = admin_rpc('ir.model.data', 'xmlid_to_res_id',
                     'pharmacy_crm_pipeline.crm_team_pharmacy')
    assert lead['pharmacy_work_type'] == 'transfer_in'
    assert lead['team_id'][0] == team and lead['user_id'] is False
    assert lead['source_id'][1] == 'Pharmacy website' and lead['medium_id'][1] == 'Website'
    assert lead['pharmacy_medications'] == 'metformin 500 mg'
    assert lead['pharmacy_contact_consent'] is True
    # the team is told: a To Do today for its leader (the demo's pharmacy manager), who follows
    leader = admin_rpc('crm.team', 'read', [team], ['user_id'])[0]['user_id'][0]
    [todo] = admin_rpc('mail.activity', 'search_read', [
        ('res_model', '=', 'crm.lead'), ('res_id', '=', lead_id)],
        ['user_id', 'activity_type_id'])
    assert todo['user_id'][0] == leader
    assert todo['activity_type_id'][0] == admin_rpc(
        'ir.model.data', 'xmlid_to_res_id', 'mail.mail_activity_data_todo')
    partner = admin_rpc('res.users', 'read', [leader], ['partner_id'])[0]['partner_id'][0]
    assert partner in admin_rpc('crm.lead', 'read', [lead_id], ['message_partner_ids'])[0][
        'message_partner_ids']
    # a robot fills the hidden field: refused, no lead
    robot = _post(http, odoo_server, token, contact_name='Robot %d' % run,
                  pharmacy_fax_number='555-0000')
    assert robot.status_code == 400
    # no consent: the field is flagged, no lead
    no_consent = _post(http, odoo_server, token, contact_name='No Consent %d' % run,
                       pharmacy_contact_consent='')
    assert no_consent.json() == {'error_fields': ['pharmacy_contact_consent']}
    # a burst from one address: refused once the limit is reached, and stays refused
    statuses = [_post(http, odoo_server, token, contact_name='Burst %d %d' % (i, run))
                .status_code for i in range(6)]
    assert 429 in statuses and statuses[-1] == 429, statuses
    first = statuses.index(429)
    assert set(statuses[first:]) == {429} and set(statuses[:first]) <= {200}
    made = admin_rpc('crm.lead', 'search_count', [
        ('contact_name', 'like', '%% %d' % run), ('pharmacy_work_type', '=', 'transfer_in')])
    assert made == 1 + first   # the first request and the burst's accepted ones


def test_the_form_says_why_it_refused(browser, odoo_server, admin_rpc):
    """A visitor sending once too often reads the pharmacy's sentence, not website_form's
    generic "An error has occured" (the burst is sent first from the same address)."""
    if not _installed(admin_rpc):
        pytest.skip('pharmacy_crm_website is not installed (it needs the website wheel)')
    http, _page, token = _session(odoo_server)
    for _i in range(10):
        if _post(http, odoo_server, token, contact_name='Burst').status_code == 429:
            break
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(odoo_server + PAGE)
        page.fill('input[name=contact_name]', 'Visitor Refused')
        page.fill('input[name=phone]', '(570) 555-0100')
        page.check('input[name=pharmacy_contact_consent]')
        page.click('.o_website_form_send')
        page.wait_for_selector('#o_website_form_result.o_pharmacy_form_refused:has-text('
                               '"Too many requests")')
        screenshot(page, 'pipeline_website_refused')
    finally:
        context.close()
