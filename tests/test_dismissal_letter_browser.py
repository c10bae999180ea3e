"""The dismissal as a pharmacist and a manager see it (issue #19): the wizard's attestation
lists the protected grounds; the manager gets an activity and finds the proposal under To
Approve; the letter attached on approval is a US Letter PDF with the pharmacy's letterhead and
phone, long dates, the facts and the protected grounds (read with pdftotext)."""
import base64
import os
import re
import shutil
import subprocess
import uuid
from datetime import timedelta
from io import BytesIO

import pytest
from PyPDF2 import PdfFileReader

from conftest import ARTIFACTS, open_page, pharmacy_today, record_url, screenshot
from rpc_users import JsonRpc, create_user, xmlid_to_id

PARTNER, DISMISSAL, WIZARD = 'res.partner', 'pharmacy.dismissal', 'pharmacy.dismissal.wizard'


def long_date(day):
    """The US English long date, written out here by hand: "January 3, 2027"."""
    return '%s %d, %d' % (day.strftime('%B'), day.day, day.year)


@pytest.fixture(scope='module')
def letter_world(odoo_server, db_name, admin_rpc):
    run = uuid.uuid4().hex[:6]
    company = xmlid_to_id(admin_rpc, 'base.main_company')
    w = {'run': run, 'company': company}
    for role in ('pharmacist', 'manager'):
        w[role] = 'let_%s_%s' % (role, run)
        w[role + '_id'] = create_user(admin_rpc, role, w[role], company)
    us, pa = xmlid_to_id(admin_rpc, 'base.us'), xmlid_to_id(admin_rpc, 'base.state_us_39')
    w['patient_name'] = 'Letter Patient %s' % run
    w['patient'] = admin_rpc(PARTNER, 'create', {
        'name': w['patient_name'], 'is_patient': True, 'birthdate_date': '1960-05-01',
        'nkda': True, 'street': '276 Water Street', 'city': 'Selinsgrove', 'zip': '17870',
        'state_id': pa, 'country_id': us, 'lang': 'en_US'})
    w['referral'] = admin_rpc(PARTNER, 'create', {
        'name': 'Letter Referral %s' % run, 'is_company': True, 'is_pharmacy': True,
        'street': '9 Bridge Street', 'city': 'Milton', 'zip': '17847', 'state_id': pa,
        'country_id': us, 'phone': '(570) 555-09%02d' % (int(run, 16) % 100)})
    w['incident_day'] = pharmacy_today() - timedelta(days=2)
    w['incident'] = admin_rpc('pharmacy.incident', 'create', {
        'patient_id': w['patient'], 'incident_type': 'threat',
        'date': '%s 15:00:00' % w['incident_day'].isoformat(),
        'description': 'Private detail %s' % run})
    [w['company_row']] = admin_rpc('res.company', 'read', [company],
                                   ['name', 'phone', 'country_id'])
    return w


def test_attestation_approval_activity_and_the_letter_pdf(letter_world, odoo_server, db_name,
                                                          browser, admin_rpc):
    w = letter_world
    # the pharmacist opens the wizard from the patient: the grounds are listed
    patients = xmlid_to_id(admin_rpc, 'pharmacy_crm.res_partner_patient_action')
    page = open_page(browser, odoo_server, w['pharmacist'], start='%s&action=%d' % (
        record_url(odoo_server, PARTNER, w['patient']), patients),
        ready='.o_form_view button:has-text("Dismiss")')
    page.click('.o_form_view button:has-text("Dismiss")')
    attestation = page.wait_for_selector('.modal .o_pharmacy_attestation')
    page.wait_for_selector('.modal .o_pharmacy_attestation:has-text("disability")')
    assert ('it does not rest on race, color, religion, national origin, sex, age, '
            'disability.') in ' '.join(attestation.inner_text().split())
    screenshot(page, 'dismissal_wizard_attestation')
    page.context.close()

    pharmacist = JsonRpc(odoo_server, db_name, w['pharmacist'], w['pharmacist'], [])
    effective = pharmacy_today() + timedelta(days=30)
    wizard = pharmacist.call(WIZARD, 'create', {
        'patient_id': w['patient'], 'incident_ids': [(6, 0, [w['incident']])],
        'explanation': 'Our staff must be safe at work.\n\nWe wish you well.',
        'attestation': True, 'referral_pharmacy_ids': [(6, 0, [w['referral']])],
        'transfer_prescriptions': True, 'effective_date': effective.isoformat()})
    dismissal = pharmacist.call(WIZARD, 'action_confirm', [wizard])['res_id']

    # the manager is told (an activity) and finds it under To Approve
    manager = JsonRpc(odoo_server, db_name, w['manager'], w['manager'], [])
    activities = manager.call('mail.activity', 'search_read', [
        ('res_model', '=', DISMISSAL), ('res_id', '=', dismissal),
        ('user_id', '=', w['manager_id'])], fields=['summary'])
    assert [a['summary'] for a in activities] == [
        'Approve or withdraw the dismissal of %s' % w['patient_name']]
    page = open_page(browser, odoo_server, w['manager'],
                     start='%s/web#action=%d&model=%s&view_type=list' % (
        odoo_server, xmlid_to_id(admin_rpc, 'pharmacy_crm_dismissal.pharmacy_dismissal_action'),
        DISMISSAL), ready='.o_list_view')
    _filter(page, 'To Approve')
    page.wait_for_selector('.o_searchview_facet:has-text("To Approve")')
    row = page.wait_for_selector('.o_list_view tr.o_data_row:has-text("%s")'
                                 % w['patient_name'])
    assert 'Proposed' in row.inner_text()
    screenshot(page, 'dismissal_to_approve')
    page.context.close()

    manager.call(DISMISSAL, 'action_approve', [dismissal])
    [row] = manager.call(DISMISSAL, 'read', [dismissal], ['letter_attachment_id'])
    [letter] = manager.call('ir.attachment', 'read', [row['letter_attachment_id'][0]],
                            ['name', 'datas'])
    content = base64.b64decode(letter['datas'])
    company = w['company_row']
    assert content[:5] == b'%PDF-', letter['name']   # wkhtmltopdf is a test requirement
    # US Letter (8.5 x 11 in = 612 x 792 pt) for a US pharmacy
    box = PdfFileReader(BytesIO(content)).getPage(0).mediaBox
    assert (round(float(box.getWidth())), round(float(box.getHeight()))) == (612, 792), box
    assert shutil.which('pdftotext'), 'pdftotext (poppler-utils) is a test requirement'
    text = subprocess.run(['pdftotext', '-layout', '-', '-'], input=content,
                          stdout=subprocess.PIPE, check=True).stdout.decode()
    flat = ' '.join(text.split())
    with open(os.path.join(ARTIFACTS, 'dismissal_letter.txt'), 'w') as out:
        out.write(text)
    # the letterhead: name, phone
    assert company['name'] in text.splitlines()[0] or company['name'] in flat[:200], flat[:300]
    assert company['phone'] and 'Phone: %s' % company['phone'] in flat
    # the patient's postal address; long dates, never numeric ones
    assert '276 Water Street Selinsgrove, PA 17870' in flat or (
        '276 Water Street' in flat and 'Selinsgrove, PA 17870' in flat), flat
    assert long_date(pharmacy_today()) in flat
    assert 'From %s, we will no longer be able to serve you.' % long_date(effective) in flat
    assert '%s: Threat' % long_date(w['incident_day']) in flat
    assert not re.search(r'\d{4}-\d\d-\d\d|\d\d?/\d\d?/\d{4}', flat), flat
    # the facts only, the grounds, the referral with address and phone, how to call
    assert 'Private detail' not in flat
    assert ('It does not rest on your race, color, religion, national origin, sex, age, '
            'disability, or any other ground protected by law.') in flat
    assert 'Letter Referral %s' % w['run'] in flat
    assert 'Phone: (570) 555-09%02d' % (int(w['run'], 16) % 100) in flat
    assert '9 Bridge Street, Milton, PA 17847' in flat
    assert 'please call us at %s.' % company['phone'] in flat
    assert 'colour' not in flat
    admin_rpc(DISMISSAL, 'action_reinstate', [dismissal], 'End of the letter test.')


def _filter(page, name):
    """Apply the search view's filter ``name`` as a user does: the search options (shown by
    the magnifier's plus when hidden), Filters, the filter."""
    if not page.is_visible('.o_search_options button:has-text("Filters")'):
        page.click('.o_searchview_more')
    page.click('.o_search_options button:has-text("Filters")')
    page.click('.o_filters_menu a:has-text("%s")' % name)
    page.wait_for_selector('.o_searchview_facet:has-text("%s")' % name)
