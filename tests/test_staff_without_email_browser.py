"""A technician without an email address creates a patient, with a prescription, in the web
client (Odoo 11 answered "Unable to send email, please configure the sender's email address")."""
import json
import time

from conftest import click_menu, expected_sender, open_page, screenshot, user_date


def _save(page, name):
    """Save the form; return once it is read-only again with ``name`` in the breadcrumb."""
    page.click('.o_form_button_save')
    page.wait_for_selector('.o_form_view.o_form_readonly')
    page.wait_for_selector('.o_control_panel .breadcrumb li.active:has-text(%s)'
                           % json.dumps(name))


def test_technician_without_email_creates_a_patient_with_a_prescription(
        browser, odoo_server, admin_rpc, technician_without_email, env):
    user = technician_without_email
    name = 'Walk-In Browser %d' % time.time()
    rx_number = 'NOMAIL-UI-%d' % time.time()
    medication = env.ref('pharmacy_crm.demo_medication_08')
    page = open_page(browser, odoo_server, user['login'])
    try:
        click_menu(page, '.oe_application_menu_placeholder '
                         'a[data-menu-xmlid="pharmacy_crm.pharmacy_menu_root"]', 'Patients')
        page.click('.o_cp_buttons button:has-text("Create")')
        page.fill('.o_form_editable input.o_field_widget[name=name]', name)
        page.fill('.o_field_widget[name=birthdate_date] input',
                  user_date(admin_rpc, user['login'], '1958-04-12'))
        page.fill('textarea.o_field_widget[name=allergies]', 'Sulfa: rash')
        _save(page, name)

        # then a prescription, in the medications' dialog of the saved patient
        page.click('.o_form_button_edit')
        page.wait_for_selector('.o_form_view.o_form_editable')
        page.click('.o_field_one2many[name=current_prescription_ids] '
                   '.o_field_x2many_list_row_add a')
        dialog = page.wait_for_selector('.modal-dialog:has(.o_form_view)')
        dialog.wait_for_selector('input.o_field_widget[name=rx_number]').fill(rx_number)
        # typed (its key events open the suggestions), the name only: name_search's match
        dialog.wait_for_selector('.o_field_widget[name=medication_id] input').type(
            medication.name)
        page.click('.ui-autocomplete:visible a:text-is(%s)' % json.dumps(medication.display_name))
        page.wait_for_selector('.ui-autocomplete', state='hidden')
        dialog.wait_for_selector('.modal-footer button.btn-primary').click()   # Save & Close
        page.wait_for_selector('.modal-dialog', state='detached')
        page.wait_for_selector('.o_field_one2many[name=current_prescription_ids] '
                               'tr.o_data_row:has-text(%s)' % json.dumps(medication.display_name))
        _save(page, name)
        screenshot(page, 'patient_created_by_user_without_email')
        assert page.js_errors == []
    finally:
        page.context.close()

    [patient] = admin_rpc('res.partner', 'search_read', [('name', '=', name)],
                          ['is_patient', 'birthdate_date', 'allergies', 'create_uid'])
    assert (patient['is_patient'], patient['birthdate_date'], patient['allergies'],
            patient['create_uid'][0]) == (True, '1958-04-12', 'Sulfa: rash', user['id'])
    [rx] = admin_rpc('pharmacy.patient.medication', 'search_read',
                     [('rx_number', '=', rx_number)],
                     ['patient_id', 'medication_id', 'create_uid'])
    assert (rx['patient_id'][0], rx['medication_id'][0], rx['create_uid'][0]) == \
        (patient['id'], medication.id, user['id'])
    created = admin_rpc('mail.message', 'search_read', [
        ('body', 'in', ['<p>Contact created</p>', '<p>Prescription created</p>']),
        '|', '&', ('model', '=', 'res.partner'), ('res_id', '=', patient['id']),
        '&', ('model', '=', 'pharmacy.patient.medication'), ('res_id', '=', rx['id'])],
        ['email_from'])
    assert [m['email_from'] for m in created] == [expected_sender(admin_rpc, user)] * 2
