"""Spanish ready (issue #19): the demo database has Spanish active and a Spanish-speaking
technician (login ``tecnico``), who sees the counter form in Spanish, dates in Spanish
format. The terms checked are those of ``pharmacy_crm/i18n/es.po``."""
from conftest import open_page, record_url, screenshot, user_date
from rpc_users import xmlid_to_id


def test_a_spanish_user_sees_the_counter_form_in_spanish(odoo_server, admin_rpc, browser):
    # Spanish is offered in the preferences of every user
    installed = dict(admin_rpc('res.lang', 'get_installed'))
    assert 'es_ES' in installed, installed
    [user] = admin_rpc('res.users', 'search_read', [('login', '=', 'tecnico')],
                       ['lang', 'groups_id'])
    assert user['lang'] == 'es_ES'
    patient = xmlid_to_id(admin_rpc, 'pharmacy_crm.demo_patient_02')
    [row] = admin_rpc('res.partner', 'read', [patient], ['name', 'birthdate_date'])
    action = xmlid_to_id(admin_rpc, 'pharmacy_crm.res_partner_patient_action')
    url = '%s&action=%d' % (record_url(odoo_server, 'res.partner', patient), action)
    ready = '.o_form_view:has-text("Medicamentos actuales")'
    page = open_page(browser, odoo_server, 'tecnico', start=url, ready=ready)
    try:
        form = page.query_selector(ready)
        text = form.inner_text()
        for spanish in ('Medicamentos actuales', 'Nacimiento', 'Contactar por'):
            assert spanish in text, spanish
        for english in ('Current Medications', 'Contact By'):
            assert english not in text, english
        # the birth date in the Spanish format (day first)
        birthdate = user_date(admin_rpc, 'tecnico', row['birthdate_date'])
        assert birthdate.split('/')[0] == row['birthdate_date'][8:10], birthdate
        assert birthdate in text, (birthdate, text[:500])
        screenshot(page, 'counter_form_spanish')
        assert page.js_errors == []
    finally:
        page.context.close()
