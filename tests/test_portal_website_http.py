"""The public refill request (pharmacy_crm_portal_website, issue 24 item 7), over HTTP on the
served test instance, as an anonymous visitor: a match makes the staff request, a non-match
and a robot (honeypot) make nothing, and all three get the same answer page; the limits per
Rx number and per client address answer 429 with no request made."""
import re
import uuid
from datetime import timedelta

import pytest
import requests

from conftest import pharmacy_today
from rpc_users import JsonRpc

REQUEST = 'pharmacy.refill.request'
ATTEMPT = 'pharmacy.refill.attempt'


@pytest.fixture(scope='module')
def public(odoo_server, db_name, admin_rpc):
    if not admin_rpc('ir.module.module', 'search_count', [
            ('name', '=', 'pharmacy_crm_portal_website'), ('state', '=', 'installed')]):
        pytest.skip('pharmacy_crm_portal_website is not installed')
    run = uuid.uuid4().hex[:8]
    written = (pharmacy_today() - timedelta(days=20)).isoformat()
    patient = admin_rpc('res.partner', 'create', {
        'name': 'Public Patient %s' % run, 'is_patient': True, 'birthdate_date': '1962-04-03',
        'nkda': True,
        'phone': '(570) 555-%s' % run[:4].translate(str.maketrans('abcdef', '123456'))})
    [phone] = admin_rpc('res.partner', 'read', [patient], ['phone'])
    medication = admin_rpc('pharmacy.medication', 'create', {'name': 'Publimed-%s' % run})
    rx_number = 'PUB-%s' % run
    rx = admin_rpc('pharmacy.patient.medication', 'create', {
        'patient_id': patient, 'medication_id': medication, 'rx_number': rx_number,
        'days_supply': 30, 'quantity': 30, 'refills_authorized': 2, 'date_written': written})
    admin_rpc('pharmacy.fill', 'create', {'prescription_id': rx, 'fill_date': written,
                                          'quantity': 30, 'days_supply': 30})
    # earlier runs' tries from this address must not count: a manager clears them
    manager = JsonRpc(odoo_server, db_name, 'manager', 'manager')
    manager.call(ATTEMPT, 'unlink', manager.call(ATTEMPT, 'search', []))
    return {'url': odoo_server, 'rx': rx, 'rx_number': rx_number, 'run': run,
            'phone': phone['phone'], 'birthdate': '1962-04-03', 'manager': manager}


def submit(public, **values):
    session = requests.Session()
    form = session.get(public['url'] + '/pharmacy/refill')
    assert form.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    data = dict({'rx_number': public['rx_number'], 'birthdate': public['birthdate'],
                 'phone': public['phone'], 'csrf_token': token}, **values)
    return session.post(public['url'] + '/pharmacy/refill', data=data)


def answer(response):
    """The page's answer, without what changes per request (the CSRF token)."""
    main = re.search(r'<div id="wrap".*?</div>', response.text, re.S).group(0)
    return re.sub(r'\s+', ' ', main)


def requests_of(admin_rpc, public):
    return admin_rpc(REQUEST, 'search_read', [('prescription_id', '=', public['rx'])],
                     ['source', 'state', 'requested_by_id'])


def test_same_answer_for_match_non_match_and_robot_then_rate_limited(public, admin_rpc):
    robot = submit(public, website_url='http://spam.example.com')
    assert robot.status_code == 200 and requests_of(admin_rpc, public) == []
    wrong = submit(public, birthdate='1962-04-04')
    assert wrong.status_code == 200 and requests_of(admin_rpc, public) == []
    match = submit(public, phone='+1 ' + public['phone'])
    assert match.status_code == 200
    [made] = requests_of(admin_rpc, public)
    assert (made['source'], made['state']) == ('website', 'new')
    public_user = admin_rpc('ir.model.data', 'xmlid_to_res_id', 'base.public_user', True)
    assert made['requested_by_id'][0] == public_user
    assert answer(robot) == answer(wrong) == answer(match)
    assert 'Thank you' in answer(match) and public['rx_number'] not in match.text
    # a fourth try for this Rx number within the hour: 429, nothing done
    limited = submit(public)
    assert limited.status_code == 429 and 'Please call us' in limited.text
    # an unknown Rx number does not match; the address makes its 10th try, then is limited
    for n in range(6):
        assert submit(public, rx_number='NOPE-%s-%d' % (public['run'], n)).status_code == 200
    assert submit(public, rx_number='NOPE-%s-x' % public['run']).status_code == 429
    assert len(requests_of(admin_rpc, public)) == 1
    # the manager sees the tries as digests only
    tries = public['manager'].call(ATTEMPT, 'search_read', [], ['rx_digest', 'address_digest'])
    assert len(tries) == 11 and all(public['rx_number'] not in str(t) for t in tries)
