"""A manager imports a dispensing export in the web client: Pharmacy > Configuration > Import
Dispensing Data, uploads a small file with one bad row, runs it at once (Run Now) and reads the
counts and the refused line on the import's log. Every wait is on what the user sees."""
import json
import os
import time

from conftest import click_menu, open_page, screenshot
from odoo.addons.pharmacy_crm_import.tools import dispensing_csv
from rpc_users import create_user, xmlid_to_id

ROOT_MENU = ('.oe_application_menu_placeholder '
             'a[data-menu-xmlid="pharmacy_crm.pharmacy_menu_root"]')
IMPORT_MENU = 'a[data-menu-xmlid="pharmacy_crm_import.pharmacy_import_wizard_menu"]'


def fill_row(stamp, number, day, state, pickup):
    return {'patient_id': 'UI%d' % stamp, 'last_name': 'Browser', 'first_name': 'Pat',
            'birthdate': '1962-02-02', 'allergies': 'NKDA', 'prescriber_npi': '1234567802',
            'prescriber_name': 'Carl Doe, MD', 'ndc': '88888-0002-01',
            'drug_name': 'Lovastatin', 'generic_name': 'lovastatin', 'strength': '20 mg',
            'dosage_form': 'tablet', 'drug_type': 'generic', 'schedule': 'none',
            'therapeutic_class': 'statin', 'rx_number': 'UIRX%d' % stamp,
            'date_written': '2026-01-02', 'refills_authorized': '5', 'rx_quantity': '30',
            'rx_days_supply': '30', 'fill_number': str(number), 'fill_date': day,
            'quantity': '30', 'days_supply': '30', 'state': state, 'pickup_date': pickup}


def test_manager_imports_a_file_and_reads_its_log(browser, odoo_server, admin_rpc, tmp_path):
    stamp = int(time.time() * 1000)
    login = 'imp_ui_manager_%d' % stamp
    create_user(admin_rpc, 'manager', login, xmlid_to_id(admin_rpc, 'base.main_company'))
    path = os.path.join(str(tmp_path), 'ui_fills.csv')
    with open(path, 'w', encoding='utf-8', newline='') as fp:
        dispensing_csv.write(fp, [fill_row(stamp, 1, '2026-01-02', 'picked_up', '2026-01-03'),
                                  fill_row(stamp, 2, '2026-02-01', 'filled', ''),
                                  fill_row(stamp, 3, '2026-03-01', 'lost', '')])
    page = open_page(browser, odoo_server, login)
    try:
        click_menu(page, ROOT_MENU, 'Patients')   # drawn before the next menu is clicked
        page.click(IMPORT_MENU)   # in the Configuration section of the side menu
        dialog = page.wait_for_selector('.modal-dialog:has-text("Import Dispensing Data")')
        dialog.query_selector('input.o_input_file').set_input_files(path)
        # the widget shows the uploaded file's name once it has read the file
        page.wait_for_function("""() => [...document.querySelectorAll(
            '.modal-dialog input.o_input[name=file]')].some(i => i.value === 'ui_fills.csv')""")
        dialog.query_selector('.modal-footer button[name=action_queue]').click()
        # the wizard opens the queued log
        page.wait_for_selector('.o_form_view .o_statusbar_status '
                               '.btn-primary:has-text("Queued")')
        page.wait_for_selector('.o_form_view .o_field_widget[name=name]:has-text("ui_fills.csv")')
        page.click('.o_form_statusbar button:has-text("Run Now")')
        page.wait_for_selector('.o_form_view .o_statusbar_status .btn-primary:has-text("Done")')
        refused = page.wait_for_selector(
            '.o_field_one2many[name=error_ids] tr.o_data_row:has-text("lost")')
        # line, column, and the reason quoting the file's value
        cells = [cell.strip() for cell in refused.inner_text().split('\t')]
        assert cells[:2] == ['4', 'state'], cells
        assert '"lost"' in cells[2], cells

        def shown(field):
            return page.inner_text('.o_form_view .o_field_widget[name=%s]' % field).strip()
        assert [shown(f) for f in ('row_count', 'bad_count', 'patient_new', 'prescription_new',
                                   'fill_new')] == ['3', '1', '1', '1', '2']
        # the one message of the import, to the manager, with the counts
        page.wait_for_selector('.o_thread_message:has-text(%s)'
                               % json.dumps('Fills: 2 new, 0 updated'))
        screenshot(page, 'dispensing_import_log')
        assert page.js_errors == []
    finally:
        page.context.close()
