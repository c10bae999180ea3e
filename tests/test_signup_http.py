"""Newsletter sign-up with double opt-in (pharmacy_crm_marketing_website, issue 22 item 8), over
HTTP on the served test instance as an anonymous visitor: the website's newsletter block mails a
confirmation link; before it is followed nothing is recorded (no consent, no list contact);
after it a known patient's email marketing consent is granted, source web, dated with the
pharmacy's date, and an unknown address joins the list; a known and an unknown address get
the same answers, which tell nothing about the patient; a bad, used or expired link is refused
politely."""
import re
import uuid

import pytest
import requests

from conftest import pharmacy_today

SIGNUP = 'pharmacy.signup.request'
LINK = re.compile(r'/newsletter/confirm/[\w-]+')


@pytest.fixture(scope='module')
def newsletter(odoo_server, admin_rpc):
    if not admin_rpc('ir.module.module', 'search_count', [
            ('name', '=', 'pharmacy_crm_marketing_website'), ('state', '=', 'installed')]):
        pytest.skip('pharmacy_crm_marketing_website is not installed')
    run = uuid.uuid4().hex[:8]
    list_id = admin_rpc('mail.mass_mailing.list', 'create', {
        'name': 'Health News %s' % run, 'pharmacy_website_offered': True})
    patient = admin_rpc('res.partner', 'create', {
        'name': 'Newsletter Patient %s' % run, 'is_patient': True,
        'birthdate_date': '1971-02-03', 'nkda': True, 'email': 'np.%s@example.com' % run})
    return {'url': odoo_server, 'list': list_id, 'run': run, 'patient': patient,
            'known': 'NP.%s@Example.com' % run, 'unknown': 'stranger.%s@example.com' % run}


def subscribe(newsletter, email):
    """What the newsletter block sends (website_mass_mailing.js)."""
    response = requests.post(newsletter['url'] + '/website_mass_mailing/subscribe', json={
        'jsonrpc': '2.0', 'method': 'call', 'id': 1,
        'params': {'list_id': newsletter['list'], 'email': email}})
    assert response.status_code == 200
    return response.json()


def confirmation_link(admin_rpc, email):
    """The link of the confirmation mail queued for ``email`` (no cron sends it here)."""
    [mail] = admin_rpc('mail.mail', 'search_read', [('email_to', '=', email.lower())],
                       ['subject', 'body_html'])
    assert 'confirm your subscription' in mail['subject']
    return mail, LINK.search(mail['body_html']).group(0)


def page(response):
    main = re.search(r'<div id="wrap".*?</div>', response.text, re.S).group(0)
    return re.sub(r'\s+', ' ', re.sub(r'/newsletter/confirm/[\w-]+|value="[^"]+"', '', main))


def confirm(newsletter, link):
    session = requests.Session()
    shown = session.get(newsletter['url'] + link)
    assert shown.status_code == 200 and 'Confirm my subscription' in shown.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown.text).group(1)
    done = session.post(newsletter['url'] + link, data={'csrf_token': token})
    return shown, done


def consent_of(admin_rpc, patient):
    return admin_rpc('pharmacy.consent', 'search_read', [
        ('patient_id', '=', patient), ('channel', '=', 'email'), ('purpose', '=', 'marketing')],
        ['state', 'source', 'date'])


def list_contacts(admin_rpc, newsletter, email):
    return admin_rpc('mail.mass_mailing.contact', 'search', [
        ('list_ids', 'in', [newsletter['list']]), ('email', '=ilike', email)])


def test_consent_only_after_the_confirmation_link(newsletter, admin_rpc):
    known, unknown = newsletter['known'], newsletter['unknown']
    # the same answer whoever the address is
    assert subscribe(newsletter, known) == subscribe(newsletter, unknown) == {
        'jsonrpc': '2.0', 'id': 1, 'result': True}
    known_mail, known_link = confirmation_link(admin_rpc, known)
    unknown_mail, unknown_link = confirmation_link(admin_rpc, unknown)
    assert 'Newsletter Patient' not in known_mail['body_html']
    # before the link: no consent, nobody on the list
    assert consent_of(admin_rpc, newsletter['patient']) == []
    assert list_contacts(admin_rpc, newsletter, known) == []
    assert list_contacts(admin_rpc, newsletter, unknown) == []
    known_shown, known_done = confirm(newsletter, known_link)
    unknown_shown, unknown_done = confirm(newsletter, unknown_link)
    assert known_done.status_code == unknown_done.status_code == 200
    assert 'is confirmed' in known_done.text
    # the pages tell nothing of the patient
    assert page(known_shown) == page(unknown_shown)
    assert page(known_done) == page(unknown_done)
    for response in (known_shown, known_done):
        assert 'Newsletter Patient' not in response.text
    [line] = consent_of(admin_rpc, newsletter['patient'])
    assert (line['state'], line['source'], line['date']) == (
        'granted', 'web', pharmacy_today().isoformat())
    assert len(list_contacts(admin_rpc, newsletter, known)) == 1
    assert len(list_contacts(admin_rpc, newsletter, unknown)) == 1
    # a link works once
    again = requests.get(newsletter['url'] + known_link)
    assert again.status_code == 404 and 'no longer works' in again.text


def test_bad_and_expired_links_are_refused_politely(newsletter, admin_rpc):
    bad = requests.get(newsletter['url'] + '/newsletter/confirm/not-a-token')
    assert bad.status_code == 404 and 'no longer works' in bad.text
    email = 'late.%s@example.com' % newsletter['run']
    subscribe(newsletter, email)
    _mail, link = confirmation_link(admin_rpc, email)
    expired = admin_rpc(SIGNUP, 'search', [('email', '=', email)])
    admin_rpc(SIGNUP, 'write', expired, {'expires_at': '2000-01-01 00:00:00'})
    session = requests.Session()
    shown = session.get(newsletter['url'] + link)
    assert shown.status_code == 404 and 'has expired' in shown.text
    # a form posted with a valid session token (from another sign-up's page) to the expired
    # link confirms nothing either
    other = 'other.%s@example.com' % newsletter['run']
    subscribe(newsletter, other)
    other_page = session.get(newsletter['url'] + confirmation_link(admin_rpc, other)[1])
    token = re.search(r'name="csrf_token" value="([^"]+)"', other_page.text).group(1)
    assert session.post(newsletter['url'] + link, data={'csrf_token': token}).status_code == 404
    assert list_contacts(admin_rpc, newsletter, email) == []


def test_only_lists_offered_on_the_website_and_the_demo_block(newsletter, admin_rpc):
    """A list not offered on the website (e.g. imported contacts) is refused as a segment's
    list is, and no mail names it; the demo homepage carries the newsletter block of the demo
    newsletter list."""
    imported = admin_rpc('mail.mass_mailing.list', 'create', {
        'name': 'Imported Contacts %s' % newsletter['run']})
    email = 'imported.%s@example.com' % newsletter['run']
    answer = requests.post(newsletter['url'] + '/website_mass_mailing/subscribe', json={
        'jsonrpc': '2.0', 'method': 'call', 'id': 1,
        'params': {'list_id': imported, 'email': email}}).json()
    assert answer == {'jsonrpc': '2.0', 'id': 1, 'result': False}
    assert admin_rpc('mail.mail', 'search_count', [('email_to', '=', email)]) == 0
    demo = admin_rpc('ir.model.data', 'search_read', [
        ('module', '=', 'pharmacy_crm_marketing_website'),
        ('name', '=', 'mail_mass_mailing_list_demo_newsletter')], ['res_id'])
    if demo:
        home = requests.get(newsletter['url'] + '/')
        assert home.status_code == 200
        assert 'data-list-id="%d"' % demo[0]['res_id'] in home.text
        assert 'js_subscribe' in home.text
