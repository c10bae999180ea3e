"""The pharmacy pipeline (#21) in the web client: the demo technician (no Sales rights) opens
the pharmacy pipeline, finds a win-back lead in its kanban, moves it to Contacted and opens the
patient from it. A new patient and lead per run; every wait is on what the user sees."""
import json
import time

from conftest import goto, screenshot


def test_technician_works_a_win_back_lead(page, odoo_server, admin_rpc, env):
    name = 'Pipeline Browser %d' % time.time()
    patient = admin_rpc('res.partner', 'create', {
        'name': name, 'is_patient': True, 'birthdate_date': '1958-04-02', 'nkda': True})
    lead = admin_rpc('crm.lead', 'create', {
        'name': 'Win-back: %s' % name, 'partner_id': patient,
        'pharmacy_work_type': 'win_back',
        'description': 'No counted fill for 95 days (win-back after 90 days without one).'})
    action = env.ref('pharmacy_crm_pipeline.crm_lead_action_pharmacy').id
    card = '.o_kanban_view .o_kanban_group .o_pharmacy_lead:has-text(%s)' % json.dumps(name)
    goto(page, '%s/web#action=%d&model=crm.lead&view_type=kanban' % (odoo_server, action), card)
    # the pharmacy's stages are the columns, the lead in the first one
    page.wait_for_selector('.o_kanban_group:has-text("To Contact") %s' % card.split(' ', 2)[2])
    assert page.is_visible('.o_kanban_header:has-text("Contacted")')
    # the card says the work once (its name), crm's Import is not offered here
    assert page.inner_text(card).count('Win-back') == 1
    assert not page.is_visible('.o_control_panel .o_button_import')
    screenshot(page, 'pipeline_kanban')
    page.click(card)
    page.wait_for_selector('.o_form_view .o_field_widget[name=description]:has-text("95 days")')
    page.click('.o_statusbar_status button:has-text("Contacted")')
    page.wait_for_selector('.o_statusbar_status .btn-primary:has-text("Contacted")')
    [values] = admin_rpc('crm.lead', 'read', [lead], ['stage_id'])
    assert values['stage_id'][1] == 'Contacted'
    screenshot(page, 'pipeline_lead')
    page.click('.o_form_view button.o_pharmacy_open_patient')
    page.wait_for_selector('.o_form_view .o_field_widget[name=name]:has-text(%s)'
                           % json.dumps(name))
    # the patient's smart button counts the open opportunity
    page.wait_for_selector('.o_form_view button.o_pharmacy_leads:has-text("1")')
    assert not page.js_errors, page.js_errors
