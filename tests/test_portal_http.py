"""The patient's pages on the portal (issue 24), over HTTP on the served test instance, as two
portal patients and a caregiver: each reads exactly their own (and delegated) lines; another
patient's id in a URL answers 404 and writes nothing; refill requests (accepted, merged the
same day, each refusal); contact choices recorded as consent (source "web", the pharmacy's
date); the copy of the record (its content, no pharmacist-only note, an access-log entry);
what the portal user reads over JSON-RPC with their own rights.

The data is created once per module through ``admin_rpc`` with names unique to the run.
"""
import re
import shutil
import subprocess
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
import requests

from conftest import pharmacy_today
from rpc_users import ACCESS_ERROR, JsonRpc, xmlid_to_id

RX = 'pharmacy.patient.medication'
FILL = 'pharmacy.fill'
REQUEST = 'pharmacy.refill.request'
LOG = 'pharmacy.access.log'
PORTAL_GROUP = 'pharmacy_crm_portal.group_pharmacy_portal'


class Portal:
    """A browser-less session of one portal user on the served instance."""

    def __init__(self, url, db, login):
        self.url, self.login = url, login
        self.http = requests.Session()
        page = self.http.get(url + '/web/login', params={'db': db})
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        self.landing = self.http.post(url + '/web/login', data={
            'login': login, 'password': login, 'csrf_token': token, 'db': db})
        # Odoo 11 answers a login with a page that redirects in JavaScript
        assert '/web/login' not in self.get('/my/home').url, '%s could not log in' % login

    def get(self, path, **kwargs):
        return self.http.get(self.url + path, **kwargs)

    def post(self, path, data):
        page = self.get('/my/home')
        token = re.search(r'csrf_token: "([^"]+)"', page.text).group(1)
        return self.http.post(self.url + path, data=dict(data, csrf_token=token))


def text(response):
    """The visible text of a page, whitespace collapsed."""
    return re.sub(r'\s+', ' ', re.sub(r'<[^>]+>', ' ', response.text))


@pytest.fixture(scope='module')
def portal(odoo_server, db_name, admin_rpc):
    run = uuid.uuid4().hex[:8]
    d = SimpleNamespace(run=run, url=odoo_server, db=db_name)
    today = pharmacy_today()
    d.today = today.isoformat()
    written = (today - timedelta(days=20)).isoformat()

    def create(model, vals, **kw):
        return admin_rpc(model, 'create', vals, **kw)

    prescriber = create('res.partner', {'name': 'Dr Portal %s' % run, 'is_prescriber': True})

    def medication(label):
        return create('pharmacy.medication', {'name': '%s-%s' % (label, run),
                                              'strength': '10 mg'})

    def patient(label, **vals):
        return create('res.partner', dict({
            'name': 'Portal %s %s' % (label, run), 'is_patient': True,
            'birthdate_date': '1970-01-01', 'allergies': 'Sulfa %s %s' % (label, run),
            'email': '%s.%s@example.com' % (label.lower(), run)}, **vals))

    def rx(patient_id, label, filled=True, **vals):
        rx_id = create(RX, dict({
            'patient_id': patient_id, 'medication_id': medication(label),
            'prescriber_id': prescriber, 'rx_number': 'RX-%s-%s' % (label, run),
            'sig': 'Take one %s' % label, 'days_supply': 30, 'quantity': 30,
            'refills_authorized': 3, 'date_written': written}, **vals))
        if filled:
            create(FILL, {'prescription_id': rx_id, 'fill_date': written, 'quantity': 30,
                          'days_supply': 30})
        return rx_id

    d.a, d.b, d.c = patient('Alice'), patient('Bruno'), patient('Chloe')
    d.rx_a = rx(d.a, 'Alphamed')
    d.rx_a_held = rx(d.a, 'Heldmed')
    admin_rpc(RX, 'action_hold', [d.rx_a_held])
    d.rx_a_stop = rx(d.a, 'Stopmed', filled=False)
    admin_rpc('pharmacy.prescription.discontinue', 'action_confirm', [create(
        'pharmacy.prescription.discontinue', {'prescription_ids': [(6, 0, [d.rx_a_stop])],
                                              'reason': 'adverse_effect', 'date': written})])
    d.rx_a_norefill = rx(d.a, 'Lastmed', refills_authorized=0)
    d.rx_a_expired = rx(d.a, 'Oldmed', filled=False,
                        date_written=(today - timedelta(days=400)).isoformat())
    d.rx_b = rx(d.b, 'Brumed')
    d.rx_c = rx(d.c, 'Chlomed')
    d.pharm_note = 'PHARMONLY %s' % run
    create('pharmacy.patient.note', {'patient_id': d.a, 'body': d.pharm_note,
                                     'visibility': 'pharmacist', 'category': 'clinical'})
    d.staff_note = 'STAFFNOTE %s' % run
    create('pharmacy.patient.note', {'patient_id': d.a, 'body': d.staff_note,
                                     'visibility': 'all', 'category': 'service'})
    # a caregiver (no patient) of Chloe since yesterday; once Alice's, ended yesterday
    d.carer = create('res.partner', {'name': 'Portal Carer %s' % run,
                                     'email': 'carer.%s@example.com' % run})
    yesterday = (today - timedelta(days=1)).isoformat()
    create('pharmacy.portal.delegation', {'patient_id': d.c, 'delegate_id': d.carer,
                                          'date_start': yesterday, 'relationship': 'parent'})
    create('pharmacy.portal.delegation', {
        'patient_id': d.a, 'delegate_id': d.carer, 'relationship': 'parent',
        'date_start': (today - timedelta(days=30)).isoformat(), 'date_end': yesterday})
    group = xmlid_to_id(admin_rpc, PORTAL_GROUP)
    company = xmlid_to_id(admin_rpc, 'base.main_company')
    d.users = {}
    for key, partner in (('a', d.a), ('b', d.b), ('carer', d.carer)):
        login = 'portal_%s_%s' % (key, run)
        d.users[key] = create('res.users', {
            'login': login, 'password': login, 'partner_id': partner, 'company_id': company,
            'company_ids': [(6, 0, [company])], 'groups_id': [(6, 0, [group])]},
            context={'no_reset_password': True})
    d.sessions = {key: Portal(odoo_server, db_name, 'portal_%s_%s' % (key, run))
                  for key in d.users}
    d.names = {'a': 'Alphamed-%s' % run, 'b': 'Brumed-%s' % run, 'c': 'Chlomed-%s' % run}
    return d


def log_count(admin_rpc, user_id, **domain):
    return admin_rpc(LOG, 'search_count', [('user_id', '=', user_id)] + [
        (key, '=', value) for key, value in domain.items()])


READS = {'a': ['a'], 'b': ['b'], 'carer': ['c']}


@pytest.mark.parametrize('who', ['a', 'b', 'carer'])
def test_each_reads_exactly_their_own_and_delegated_pages(portal, admin_rpc, who):
    session = portal.sessions[who]
    own = {key: getattr(portal, key) for key in READS[who]}
    home = session.get('/my/home')
    # the counter on /my: current (active and on hold) prescriptions of the patients read
    count = re.search(r'<span class="badge">(\d+)</span>\s*<a href="/my/pharmacy">', home.text)
    assert count and int(count.group(1)) == {'a': 4, 'b': 1, 'carer': 1}[who]
    listing = session.get('/my/pharmacy')
    shown = set(int(i) for i in re.findall(r'/my/pharmacy/(\d+)', listing.text))
    assert shown == set(own.values())
    for key, patient_id in own.items():
        before = log_count(admin_rpc, portal.users[who], patient_id=patient_id, event='view')
        page = session.get('/my/pharmacy/%d' % patient_id)
        assert page.status_code == 200
        body = text(page)
        assert portal.names[key] in body
        assert 'Take one' in body and 'Dr Portal %s' % portal.run in body
        for other in set(portal.names) - {key}:
            assert portal.names[other] not in body
        # nothing pharmacist-only, no staff note, no allergy on the page
        assert portal.pharm_note not in body and portal.staff_note not in body
        assert 'Sulfa' not in body
        assert log_count(admin_rpc, portal.users[who], patient_id=patient_id,
                         event='view') == before + 1
    for key in set(['a', 'b', 'c']) - set(own):
        other = getattr(portal, key)
        before = log_count(admin_rpc, portal.users[who])
        requests_before = admin_rpc(REQUEST, 'search_count', [])
        for path in ('/my/pharmacy/%d', '/my/pharmacy/%d/contact', '/my/pharmacy/%d/record.csv',
                     '/my/pharmacy/%d/record.pdf'):
            assert session.get(path % other).status_code == 404
        rx_other = {'a': portal.rx_a, 'b': portal.rx_b, 'c': portal.rx_c}[key]
        assert session.post('/my/pharmacy/%d/refill' % other,
                            {'prescription_id': rx_other}).status_code == 404
        assert log_count(admin_rpc, portal.users[who]) == before
        assert admin_rpc(REQUEST, 'search_count', []) == requests_before


def test_a_prescription_of_another_patient_in_my_url_is_not_found(portal, admin_rpc):
    before = admin_rpc(REQUEST, 'search_count', [('prescription_id', '=', portal.rx_b)])
    answer = portal.sessions['a'].post('/my/pharmacy/%d/refill' % portal.a,
                                       {'prescription_id': portal.rx_b})
    assert answer.status_code == 404
    assert admin_rpc(REQUEST, 'search_count', [('prescription_id', '=', portal.rx_b)]) == before


def test_own_rights_over_json_rpc(portal):
    """The pages' rights are the user's own: over JSON-RPC they read their lines only."""
    login = 'portal_a_%s' % portal.run
    client = JsonRpc(portal.url, portal.db, login, login, [portal.pharm_note, portal.staff_note,
                                                           portal.names['b']])
    own_rx = {portal.rx_a, portal.rx_a_held, portal.rx_a_stop, portal.rx_a_norefill,
              portal.rx_a_expired}
    assert set(client.call(RX, 'search', [])) == own_rx
    fills = client.call(FILL, 'search_read', [], ['prescription_id'])
    unfilled = {portal.rx_a_expired, portal.rx_a_stop}
    assert {f['prescription_id'][0] for f in fills} == own_rx - unfilled
    assert client.outcome(RX, 'read', [portal.rx_b], ['sig'])[:2] == ('error', ACCESS_ERROR)
    # the staff's words on their own records are not theirs to read
    assert client.outcome(RX, 'read', [portal.rx_a], ['discontinue_note'])[:2] == (
        'error', ACCESS_ERROR)
    assert client.outcome(FILL, 'read', [fills[0]['id']], ['early_refill_note'])[:2] == (
        'error', ACCESS_ERROR)
    assert client.outcome('pharmacy.patient.note', 'search', [])[:2] == ('error', ACCESS_ERROR)
    assert client.outcome(RX, 'write', [portal.rx_a], {'sig': 'x'})[:2] == (
        'error', ACCESS_ERROR)
    assert client.outcome('res.partner', 'read', [portal.a], ['allergies'])[:2] == (
        'error', ACCESS_ERROR)
    everyone = [portal.a, portal.b, portal.c]
    assert client.call('res.partner', 'search', [('id', 'in', everyone)]) == [portal.a]
    assert client.call('pharmacy.portal.delegation', 'search', []) == []
    assert client.outcome(REQUEST, 'create', {'patient_id': portal.b,
                                              'prescription_id': portal.rx_b})[0] == 'error'


def test_refill_request_accepted_once_a_day_and_in_the_staff_worklist(portal, admin_rpc):
    session = portal.sessions['a']
    path = '/my/pharmacy/%d/refill' % portal.a
    first = session.post(path, {'prescription_id': portal.rx_a})
    assert first.status_code == 200 and 'refill request for %s' % portal.names['a'] in text(first)
    second = session.post(path, {'prescription_id': portal.rx_a})
    assert second.status_code == 200 and 'was received' in text(second)
    [request] = admin_rpc(REQUEST, 'search_read', [('prescription_id', '=', portal.rx_a)],
                          ['patient_id', 'request_date', 'state', 'source', 'requested_by_id'])
    assert request['patient_id'][0] == portal.a and request['request_date'] == portal.today
    assert (request['state'], request['source']) == ('new', 'portal')
    assert request['requested_by_id'][0] == portal.users['a']
    # never a fill
    assert admin_rpc(FILL, 'search_count', [('prescription_id', '=', portal.rx_a)]) == 1
    technician = JsonRpc(portal.url, portal.db, 'technician', 'technician')
    worklist = technician.call(REQUEST, 'search', [('state', '=', 'new')])
    assert request['id'] in worklist
    assert technician.call(REQUEST, 'action_done', [request['id']]) is True


@pytest.mark.parametrize('key,words,renewal', [
    ('rx_a_held', 'on hold', False),
    ('rx_a_stop', 'discontinued', False),
    ('rx_a_expired', 'expired: we will contact your prescriber', True),
    ('rx_a_norefill', 'no refills left: we will contact your prescriber', True),
])
def test_refill_refusals(portal, admin_rpc, key, words, renewal):
    rx_id = getattr(portal, key)
    answer = portal.sessions['a'].post('/my/pharmacy/%d/refill' % portal.a,
                                       {'prescription_id': rx_id})
    assert answer.status_code == 200 and words in text(answer)
    assert admin_rpc(REQUEST, 'search_count', [('prescription_id', '=', rx_id)]) == 0
    tasks = admin_rpc('mail.activity', 'search_count', [
        ('res_model', '=', RX), ('res_id', '=', rx_id),
        ('summary', '=', 'Renewal requested by the patient')])
    assert tasks == (1 if renewal else 0)


def test_contact_choices_are_consent_from_the_web(portal, admin_rpc):
    session = portal.sessions['a']
    answer = session.post('/my/pharmacy/%d/contact' % portal.a, {
        'consent_email_marketing': 'granted', 'consent_sms_treatment': 'refused',
        'preferred_contact_channel': 'email'})
    assert answer.status_code == 200 and 'saved' in text(answer)
    consents = admin_rpc('pharmacy.consent', 'search_read', [('patient_id', '=', portal.a)],
                         ['channel', 'purpose', 'state', 'date', 'source'])
    got = {(c['channel'], c['purpose']): (c['state'], c['date'], c['source']) for c in consents}
    assert got == {('email', 'marketing'): ('granted', portal.today, 'web'),
                   ('sms', 'treatment'): ('refused', portal.today, 'web')}
    [patient] = admin_rpc('res.partner', 'read', [portal.a], ['preferred_contact_channel'])
    assert patient['preferred_contact_channel'] == 'email'
    notes = admin_rpc('mail.message', 'search_read', [
        ('model', '=', 'res.partner'), ('res_id', '=', portal.a),
        ('body', 'ilike', 'Contact choices changed on the portal')], ['author_id', 'body'])
    assert len(notes) == 1 and notes[0]['author_id'][0] == portal.a
    assert 'Email / Marketing: Granted' in notes[0]['body']
    assert log_count(admin_rpc, portal.users['a'], patient_id=portal.a, event='write',
                     res_model='pharmacy.consent') == 2
    # the same answers again change nothing
    session.post('/my/pharmacy/%d/contact' % portal.a, {
        'consent_email_marketing': 'granted', 'preferred_contact_channel': 'email'})
    assert admin_rpc('mail.message', 'search_count', [
        ('model', '=', 'res.partner'), ('res_id', '=', portal.a),
        ('body', 'ilike', 'Contact choices changed on the portal')]) == 1


@pytest.mark.parametrize('who,key', [('a', 'a'), ('carer', 'c')])
def test_record_copy_csv(portal, admin_rpc, who, key):
    patient_id = getattr(portal, key)
    before = log_count(admin_rpc, portal.users[who], patient_id=patient_id, event='export')
    answer = portal.sessions[who].get('/my/pharmacy/%d/record.csv' % patient_id)
    assert answer.status_code == 200 and answer.headers['Content-Type'].startswith('text/csv')
    body = answer.content.decode('utf-8')
    label = {'a': 'Alice', 'c': 'Chloe'}[key]
    assert portal.names[key] in body and 'Portal %s %s' % (label, portal.run) in body
    assert 'Sulfa %s %s' % (label, portal.run) in body
    assert portal.pharm_note not in body and portal.staff_note not in body
    for other in set(portal.names) - {key}:
        assert portal.names[other] not in body
    assert log_count(admin_rpc, portal.users[who], patient_id=patient_id,
                     event='export') == before + 1


def test_record_copy_pdf_for_the_patient_and_a_pharmacist(portal, admin_rpc):
    before = log_count(admin_rpc, portal.users['a'], patient_id=portal.a, event='export')
    answer = portal.sessions['a'].get('/my/pharmacy/%d/record.pdf' % portal.a)
    assert answer.status_code == 200
    assert answer.headers['Content-Type'] in ('application/pdf', 'text/html')
    if answer.headers['Content-Type'] == 'application/pdf':
        # pages (wkhtmltopdf prints the div.article of the HTML: none was 0 pages), on Letter
        assert answer.content.startswith(b'%PDF')
        assert len(re.findall(rb'/Type\s*/Page(?!s)', answer.content)) >= 1
        assert re.search(rb'/MediaBox\s*\[\s*0\s+0\s+612(\.0+)?\s+792', answer.content)
        if shutil.which('pdftotext'):
            pdf_text = subprocess.run(['pdftotext', '-', '-'], input=answer.content,
                                      stdout=subprocess.PIPE, check=True).stdout.decode()
            assert portal.names['a'] in ' '.join(pdf_text.split())
    assert log_count(admin_rpc, portal.users['a'], patient_id=portal.a,
                     event='export') == before + 1
    # a pharmacist prints the same copy (HTML rendering of the same report), logged
    pharmacist = Portal(portal.url, portal.db, 'pharmacist')
    [uid] = admin_rpc('res.users', 'search', [('login', '=', 'pharmacist')])
    before = log_count(admin_rpc, uid, patient_id=portal.a, event='export')
    html = pharmacist.get('/report/html/pharmacy_crm_portal.report_record_copy/%d' % portal.a)
    assert html.status_code == 200
    body = text(html)
    assert portal.names['a'] in body and 'Sulfa Alice' in body
    assert portal.pharm_note not in body and portal.staff_note not in body
    assert log_count(admin_rpc, uid, patient_id=portal.a, event='export') == before + 1


def test_staff_invite_a_patient_through_odoo_portal_wizard(portal, admin_rpc):
    """The patient form's button opens Odoo's portal wizard with the pharmacy's portal group;
    a patient without an email is refused; the invitation is noted on the patient."""
    technician = JsonRpc(portal.url, portal.db, 'technician', 'technician')
    no_email = admin_rpc('res.partner', 'create', {
        'name': 'Portal Noemail %s' % portal.run, 'is_patient': True,
        'birthdate_date': '1980-01-01', 'nkda': True})
    outcome = technician.outcome('res.partner', 'action_pharmacy_portal_invite', [no_email])
    assert outcome[0] == 'error' and 'Email of Portal Noemail' in outcome[2]
    invited = admin_rpc('res.partner', 'create', {
        'name': 'Portal Invited %s' % portal.run, 'is_patient': True,
        'birthdate_date': '1980-01-01', 'nkda': True,
        'email': 'invited.%s@example.com' % portal.run})
    action = technician.call('res.partner', 'action_pharmacy_portal_invite', [invited])
    group = xmlid_to_id(admin_rpc, PORTAL_GROUP)
    assert action['res_model'] == 'portal.wizard'
    assert action['context']['default_portal_id'] == group
    # the lines the wizard's onchange proposes for the patient, ticked
    wizard = technician.call('portal.wizard', 'create', {'user_ids': [(0, 0, {
        'partner_id': invited, 'email': 'invited.%s@example.com' % portal.run,
        'in_portal': True})]}, context=action['context'])
    technician.call('portal.wizard', 'action_apply', [wizard])
    [user] = admin_rpc('res.users', 'search_read', [('partner_id', '=', invited)],
                       ['groups_id', 'share'])
    assert group in user['groups_id'] and user['share']
    assert admin_rpc('mail.message', 'search_count', [
        ('model', '=', 'res.partner'), ('res_id', '=', invited),
        ('body', 'ilike', 'Invited to the patient portal')]) == 1


def test_the_next_refill_sync_appointment(portal, admin_rpc):
    """pharmacy_crm_portal_sync: an enrolled patient's page shows the next appointment."""
    if not admin_rpc('ir.module.module', 'search_count', [
            ('name', '=', 'pharmacy_crm_portal_sync'), ('state', '=', 'installed')]):
        pytest.skip('pharmacy_crm_portal_sync is not installed')
    enrollment = admin_rpc('pharmacy.sync.enrollment', 'create', {
        'patient_id': portal.b, 'sync_rule': 'day', 'sync_day': 15,
        'consent_source': 'web'})
    day = pharmacy_today() + timedelta(days=9)
    admin_rpc('pharmacy.sync.appointment', 'create', {
        'enrollment_id': enrollment, 'date': day.isoformat()})
    page = text(portal.sessions['b'].get('/my/pharmacy/%d' % portal.b))
    shown = day.strftime('%m/%d/%Y')    # en_US, the users' language here
    assert re.search(r'Your next refill sync day: %s \( ?To confirm ?\)' % re.escape(shown),
                     page), page
    assert 'refill sync day' not in text(portal.sessions['a'].get('/my/pharmacy/%d' % portal.a))
    # a caregiver reads whose sync day it is
    enrollment = admin_rpc('pharmacy.sync.enrollment', 'create', {
        'patient_id': portal.c, 'sync_rule': 'day', 'sync_day': 15, 'consent_source': 'web'})
    admin_rpc('pharmacy.sync.appointment', 'create', {
        'enrollment_id': enrollment, 'date': day.isoformat()})
    page = text(portal.sessions['carer'].get('/my/pharmacy/%d' % portal.c))
    assert 'Next refill sync day of Portal Chloe %s: %s' % (portal.run, shown) in page, page
    assert 'Your next' not in page and 'your synchronized' not in page


def test_the_page_a_patient_and_a_caregiver_read(portal, admin_rpc):
    """After the login a portal patient lands on their account (/my), not the website's home;
    a caregiver reads the patient's name on the links where the patient reads "my"; whole
    quantities without decimals; "Request a refill" only for an active prescription due within
    a week (or never filled): not on hold, not one due in 10 days."""
    assert "window.location = '/my'" in portal.sessions['a'].landing.text
    alice = portal.sessions['a'].get('/my/pharmacy/%d' % portal.a).text
    assert 'My contact choices' in alice and 'Copy of my record (PDF)' in alice
    chloe = portal.sessions['carer'].get('/my/pharmacy/%d' % portal.c).text
    name = 'Portal Chloe %s' % portal.run
    assert "%s's contact choices" % name in chloe and "Copy of %s's record" % name in chloe
    assert 'My contact choices' not in chloe and 'my record' not in chloe
    fills = re.search(r'o_pharmacy_portal_fills(.*?)</table>', alice, re.S).group(1)
    assert '<td>30</td>' in fills and '30.0' not in fills
    # a prescription of Bruno's due in 5 days, his other one in 10 (filled 20 days ago)
    filled = (pharmacy_today() - timedelta(days=25)).isoformat()
    due_soon = admin_rpc(RX, 'create', {
        'patient_id': portal.b, 'medication_id': admin_rpc('pharmacy.medication', 'create', {
            'name': 'Soonmed-%s' % portal.run, 'strength': '10 mg'}),
        'rx_number': 'RX-Soon-%s' % portal.run, 'sig': 'Take one', 'days_supply': 30,
        'quantity': 30, 'refills_authorized': 3, 'date_written': filled})
    admin_rpc(FILL, 'create', {'prescription_id': due_soon, 'fill_date': filled,
                               'quantity': 30, 'days_supply': 30})
    pages = {'a': alice, 'b': portal.sessions['b'].get('/my/pharmacy/%d' % portal.b).text}
    offered = {int(rx): 'o_pharmacy_request_refill' in row for key, page in pages.items()
               for rx, row in re.findall(r'data-prescription="(\d+)"(.*?)</tr>', page, re.S)}
    assert offered == {portal.rx_a: False, portal.rx_a_held: False,
                       portal.rx_a_norefill: False, portal.rx_a_expired: True,
                       portal.rx_b: False, due_soon: True}
