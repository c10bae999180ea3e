"""`make bench`: how the pharmacy scales, measured in the demo database.

Creates PATIENTS patients with 3 prescriptions and a year of monthly fills each, inside a
transaction that is rolled back, and prints the time and SQL queries of what staff do most:
record fills, open the patient list, filter patients due within 7 days, change the refill
threshold, open a patient form with and without the access log (the log's hook switched off
by a patch, here only).

Usage: python scripts/bench.py ODOO_CONF DB [PATIENTS]
"""
import datetime
import sys
import time
from contextlib import contextmanager
from unittest.mock import patch

import odoo
from odoo import api


@contextmanager
def measure(cr, label, count=None):
    queries, start = cr.sql_log_count, time.perf_counter()
    yield
    seconds = time.perf_counter() - start
    per = '  %7.2f ms each' % (1000 * seconds / count) if count else ''
    print('%-42s %8.2f s %7d queries%s' % (label, seconds, cr.sql_log_count - queries, per))


def bench(env, patients):
    cr, today = env.cr, datetime.date.today()
    meds = env['pharmacy.medication'].search([('schedule', '=', 'none')], limit=3)
    prescriber = env['res.partner'].search([('is_prescriber', '=', True)], limit=1)
    with measure(cr, 'create %d patients' % patients, patients):
        partners = env['res.partner']
        for i in range(patients):
            partners |= partners.create({'name': 'Bench %d' % i, 'is_patient': True,
                                         'birthdate_date': '1960-01-01', 'nkda': True})
    written = (today - datetime.timedelta(days=360)).isoformat()
    with measure(cr, 'create %d prescriptions' % (3 * patients), 3 * patients):
        prescriptions = env['pharmacy.patient.medication']
        for i, partner in enumerate(partners):
            for j, med in enumerate(meds):
                prescriptions |= prescriptions.create({
                    'patient_id': partner.id, 'medication_id': med.id,
                    'prescriber_id': prescriber.id, 'rx_number': 'B%d-%d' % (i, j),
                    'days_supply': 30, 'quantity': 30, 'refills_authorized': 11,
                    'date_written': written})
    fills = 12 * len(prescriptions)
    with measure(cr, 'record %d fills' % fills, fills):
        for rx in prescriptions:
            for month in range(12):
                day = today - datetime.timedelta(days=355 - 30 * month)
                env['pharmacy.fill'].create({'prescription_id': rx.id, 'quantity': 30,
                                             'days_supply': 30, 'fill_date': day.isoformat()})
    env['res.partner'].invalidate_cache()
    Partner = env['res.partner'].sudo(env.ref('base.user_demo'))
    fields = ['display_name', 'age', 'current_medication_count', 'next_due_date',
              'has_alerts', 'alert_text', 'patient_state']
    with measure(cr, 'open the patient list (80 rows)'):
        Partner.search_read([('is_patient', '=', True)], fields, limit=80, order='name')
    limit = (today + datetime.timedelta(days=7)).isoformat()
    with measure(cr, 'filter: due in 7 days, over all patients'):
        due = Partner.search_count([('is_patient', '=', True), ('next_due_date', '<=', limit)])
    print('%d patients due within 7 days' % due)
    filled = env['pharmacy.patient.medication'].search_count(
        [('state', '=', 'active'), ('last_fill_date', '!=', False)])
    with measure(cr, 'refill threshold: %d dates, one UPDATE' % filled):
        env['res.config.settings']._apply_refill_threshold(0.75)
    manager = env.ref('pharmacy_crm.user_pharmacy_manager')
    with measure(cr, 'manager saves the pharmacy settings'):
        env['res.config.settings'].sudo(manager).create(
            {'pharmacy_refill_threshold': 0.85}).execute()
    bench_access_log(cr, Partner.browse(partners[0].id))
    bench_counter(cr, Partner.browse(partners[0].id))


def bench_access_log(cr, patient):
    """Opening a patient form reads one record with its allergies: the access log adds a
    "view" entry. The same read with the mixin's logging patched out gives the cost."""
    from odoo.addons.pharmacy_crm.models.pharmacy_audit_mixin import PharmacyAuditMixin
    # the patient's page of Pharmacy > Patients (the contact form holds no clinical field)
    form_fields = list(patient.fields_view_get(
        view_id=patient.env.ref('pharmacy_crm.res_partner_patient_view_form').id,
        view_type='form')['fields'])

    def open_form():
        patient.invalidate_cache()
        patient.read(form_fields)
    open_form()   # warm the caches of access rights, rules and views
    with patch.object(PharmacyAuditMixin, '_audit_log', lambda *args, **kwargs: None):
        open_form()
        with measure(cr, 'open a patient form (read 1 record) without access log'):
            open_form()
    with measure(cr, 'open a patient form (read 1 record) with access log'):
        open_form()


def bench_counter(cr, patient):
    """The counter, as the web client reads it: a patient's page (the patient, then the lines
    of its current medications and fill history), and the first page of each worklist (the
    action's domain, its list's fields and order)."""
    from lxml import etree
    from odoo.tools.safe_eval import safe_eval
    env = patient.env
    view = patient.fields_view_get(
        view_id=env.ref('pharmacy_crm.res_partner_patient_view_form').id, view_type='form')
    lines = {name: list(view['fields'][name]['views']['tree']['fields'])
             for name in ('current_prescription_ids', 'fill_ids')}

    def open_page():
        patient.invalidate_cache()
        [values] = patient.read(list(view['fields']))
        for name, fields in lines.items():
            patient[name].browse(values[name]).read(fields)
    open_page()   # warm the caches
    with measure(cr, 'open a patient counter page (%d fills)' % len(patient.fill_ids)):
        open_page()
    for xmlid in ('pharmacy_patient_medication_action_due', 'pharmacy_fill_action_pickup',
                  'pharmacy_patient_medication_action_renewal'):
        action = env.ref('pharmacy_crm.' + xmlid)
        Model = env[action.res_model]
        tree = Model.fields_view_get(view_id=action.view_id.id, view_type='tree')
        order = etree.fromstring(tree['arch']).get('default_order')
        Model.search_read(safe_eval(action.domain), list(tree['fields']), limit=80, order=order)
        with measure(cr, 'worklist: %s (80 rows)' % action.name):
            rows = Model.search_read(safe_eval(action.domain), list(tree['fields']), limit=80,
                                     order=order)
        print('%d rows in %s' % (len(rows), action.name))


def main(conf, db, patients=100):
    odoo.tools.config.parse_config(['-c', conf, '--log-level=warn'])
    with api.Environment.manage(), odoo.registry(db).cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {'tracking_disable': True})
        try:
            bench(env, int(patients))
        finally:
            cr.rollback()


if __name__ == '__main__':
    main(*sys.argv[1:])
