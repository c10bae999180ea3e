"""Quick user switch (pharmacy_crm_security): at a technician's patient form, a pharmacist
signs in over the screen; the same patient comes back under the pharmacist's name, in a new
session; the note the pharmacist logs and the access log name the pharmacist."""
import json
import uuid

from conftest import open_page, record_url, screenshot


def _session_id(page):
    return [c['value'] for c in page.context.cookies() if c['name'] == 'session_id'][0]


def test_next_person_signs_in_over_the_screen(browser, odoo_server, admin_rpc, env):
    login = 'switch-%s' % uuid.uuid4().hex[:8]
    group = env.ref('pharmacy_crm.group_pharmacy_pharmacist').id
    user_id = admin_rpc('res.users', 'create', {'name': 'Sam Switch', 'login': login,
                                                'password': login, 'groups_id': [(6, 0, [group])]})
    [partner_id] = [admin_rpc('res.users', 'read', [user_id], ['partner_id'])[0]['partner_id'][0]]
    note = 'Counseled on the new dose (%s)' % login
    patient = env.ref('pharmacy_crm.demo_patient_01')
    name = json.dumps(patient.name)
    action = env.ref('pharmacy_crm.res_partner_patient_action').id   # the counter form
    page = open_page(browser, odoo_server, 'demo', start='%s&action=%d' % (
        record_url(odoo_server, 'res.partner', patient.id), action),
        ready='.o_control_panel .breadcrumb li.active:has-text(%s)' % name)
    try:
        before = _session_id(page)
        page.click('.o_pharmacy_switch_user a')
        page.fill('.o_pharmacy_switch_form input[name=login]', login)
        page.fill('.o_pharmacy_switch_form input[name=password]', 'not-it')
        page.click('.o_pharmacy_switch_submit')
        page.wait_for_selector('.o_pharmacy_switch_error:has-text("Wrong login or password")')
        page.fill('.o_pharmacy_switch_form input[name=password]', login)
        page.click('.o_pharmacy_switch_submit')
        # the same patient, under the pharmacist's name, in a new session
        page.wait_for_selector('.oe_topbar_name:has-text("Sam Switch")')
        page.wait_for_selector('.o_control_panel .breadcrumb li.active:has-text(%s)' % name)
        assert _session_id(page) != before
        page.click('.o_chatter_button_log_note')
        page.fill('.o_composer_text_field', note)
        page.click('.o_composer_button_send')
        page.wait_for_selector('.o_thread_message:has-text(%s) '
                               '.o_thread_author:has-text("Sam Switch")' % json.dumps(note))
        screenshot(page, 'terminal_switch_user')
        assert page.js_errors == []
    finally:
        page.context.close()
    [message] = admin_rpc('mail.message', 'search_read', [
        ('model', '=', 'res.partner'), ('res_id', '=', patient.id),
        ('body', 'ilike', note)], ['author_id', 'create_uid'])
    assert message['author_id'][0] == partner_id and message['create_uid'][0] == user_id
    entries = admin_rpc('pharmacy.access.log', 'search_read', [('user_id', '=', user_id)],
                        ['event', 'record_name', 'res_model', 'res_id', 'ip'], order='id')
    # the mistyped password, then the switch from demo's screen, then what the pharmacist did
    assert [e['event'] for e in entries[:2]] == ['login_failed', 'user_switch']
    switch = entries[1]
    assert switch['record_name'] == 'demo' and switch['ip'] == '127.0.0.1'
    assert ('view', 'res.partner', patient.id) in [
        (e['event'], e['res_model'], e['res_id']) for e in entries[2:]]
    demo = env.ref('base.user_demo').id
    assert not admin_rpc('pharmacy.access.log', 'search_count', [
        ('user_id', '=', demo), ('id', '>', switch['id'])])
    admin_rpc('res.users', 'write', [user_id], {'active': False})
