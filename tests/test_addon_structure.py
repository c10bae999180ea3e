"""One addon per feature over a core that knows none of them (issue 17), checked on the
databases `make test` builds in the background (scripts/build_check_dbs.sh):
- each feature addon installs alone over the core, with a clean log, and brings its models only;
- a demo database of main before the split, upgraded as `make update` does, keeps every patient,
  prescription, fill, enrolment, PDC row, incident and dismissal, and its records now belong to
  the feature addons, as on a fresh install.
"""
import ast
import json
import os
import re
import sys

import pytest

from conftest import ADDONS, ROOT

sys.path.insert(0, os.path.join(ROOT, 'scripts'))
import check_log  # noqa: E402  pylint: disable=wrong-import-position

PREFIX = os.environ.get('PHARMACY_CHECK_DB_PREFIX')
LOGS = os.path.join(ROOT, 'var', 'log')
FEATURES = dict.fromkeys(ADDONS[1:], ())   # every addon but the core
FEATURES.update({
    # addon: models it creates (a sample), which no other combination may have
    'pharmacy_crm_sync': ('pharmacy.sync.enrollment', 'pharmacy.sync.appointment'),
    'pharmacy_crm_adherence': ('pharmacy.adherence',),
    'pharmacy_crm_dismissal': ('pharmacy.incident', 'pharmacy.dismissal'),
    'pharmacy_crm_import': ('pharmacy.import.log',),
    'pharmacy_crm_marketing': ('pharmacy.segment',),
    'pharmacy_crm_marketing_pipeline': (),
    'pharmacy_crm_marketing_website': ('pharmacy.signup.request',),
    'pharmacy_crm_journey': ('pharmacy.journey', 'pharmacy.journey.participant'),
    'pharmacy_crm_pipeline': ('pharmacy.pipeline.conversion.report',
                              'pharmacy.patient.source.report'),
    'pharmacy_crm_website': (),
    'pharmacy_crm_portal': ('pharmacy.refill.request', 'pharmacy.portal.delegation'),
    'pharmacy_crm_portal_website': ('pharmacy.refill.attempt',),
    'pharmacy_crm_portal_sync': (),
    'pharmacy_crm_security': ('pharmacy.api.key',),
    'pharmacy_crm_reminder': ('pharmacy.reminder',),
    'pharmacy_crm_reminder_sync': (),
    'pharmacy_crm_marketing_report': ('pharmacy.retention.report', 'pharmacy.mailing.holdout'),
    'pharmacy_crm_marketing_report_sync': (),
    'pharmacy_crm_feedback': ('pharmacy.nps.report',),
    'pharmacy_crm_marketing_report_journey': ('pharmacy.journey.return.report',),
})
# features that never were in the core: upgrading main before the split does not install them
NEW_SINCE_SPLIT = set(FEATURES) - {'pharmacy_crm_sync', 'pharmacy_crm_adherence',
                                   'pharmacy_crm_dismissal', 'pharmacy_crm_import',
                                   'pharmacy_crm_marketing'}
# what a feature leaves on a core model, by which a core-only database must not be touched
FEATURE_FIELDS = {'res.partner': ('sync_state', 'adherence_badges', 'incident_count',
                                  'dispensing_id', 'pharmacy_open_lead_count',
                                  'pharmacy_portal_reader_id', 'reminder_show_medication'),
                  'pharmacy.patient.medication': ('sync_opt_in', 'transfer_pharmacy_id')}

pytestmark = pytest.mark.skipif(
    not PREFIX, reason='needs the databases of scripts/build_check_dbs.sh: run through '
                       '`make test`, which builds them and sets PHARMACY_CHECK_DB_PREFIX')


@pytest.fixture(scope='module', autouse=True)
def built(check_dbs):
    """The databases are built in the background by `make test`: wait for them."""
    return check_dbs


def _query(db, sql, params=None):
    import odoo
    with odoo.registry(db).cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


def _log_problems(name):
    path = os.path.join(LOGS, '%s_%s.log' % (PREFIX, name))
    with open(path, encoding='utf-8', errors='replace') as log:
        return check_log.problems(log)


def _states(db):
    return dict(_query(db, "SELECT name, state FROM ir_module_module WHERE name LIKE "
                           "'pharmacy\\_crm%%'"))


def test_the_core_installs_alone_and_knows_no_feature():
    db = '%s_core' % PREFIX
    assert _log_problems('core') == []
    assert {name for name, state in _states(db).items() if state == 'installed'} == {
        'pharmacy_crm'}
    models = {row[0] for row in _query(db, 'SELECT model FROM ir_model')}
    assert not models & {m for feature in FEATURES.values() for m in feature}
    for model, names in FEATURE_FIELDS.items():
        fields = {row[0] for row in _query(
            db, 'SELECT name FROM ir_model_fields WHERE model = %s', [model])}
        assert not fields & set(names), model


def _stack(addon):
    """The addon and the addons of ours it depends on, directly or not."""
    with open(os.path.join(ROOT, addon, '__manifest__.py')) as buf:
        depends = ast.literal_eval(buf.read())['depends']
    return {addon}.union(*(_stack(name) for name in depends if name in ADDONS))


def _manifest(addon):
    with open(os.path.join(ROOT, addon, '__manifest__.py')) as buf:
        return ast.literal_eval(buf.read())


def _with_glue(addons, db):
    """``addons`` and the glue addons of ours Odoo installs with them (``auto_install``: every
    addon they depend on is installed, e.g. marketing + sync -> marketing_sync)."""
    modules = {row[0] for row in _query(db, "SELECT name FROM ir_module_module "
                                            "WHERE state = 'installed'")}
    addons = set(addons)
    while True:
        glue = {name for name in ADDONS if name not in addons
                and _manifest(name).get('auto_install')
                and set(_manifest(name)['depends']) <= modules}
        if not glue:
            return addons
        addons |= set().union(*(_stack(name) for name in glue))


@pytest.mark.parametrize('feature', sorted(FEATURES))
def test_each_feature_installs_alone_over_the_core(feature):
    short = feature[len('pharmacy_crm_'):]
    db = '%s_%s' % (PREFIX, short)
    assert _log_problems(short) == []
    installed = {name for name, state in _states(db).items() if state == 'installed'}
    stack = _with_glue(_stack(feature), db)
    assert installed == stack
    models = {row[0] for row in _query(db, 'SELECT model FROM ir_model')}
    assert set(FEATURES[feature]) <= models
    others = {m for name, own in FEATURES.items() if name not in stack for m in own}
    assert not models & others
    pending = [name for name, state in _states(db).items()
               if state in ('to install', 'to upgrade', 'to remove')]
    assert pending == []


@pytest.fixture(scope='module')
def previous():
    with open(os.path.join(LOGS, '%s_previous.before.json' % PREFIX)) as buf:
        return '%s_previous' % PREFIX, json.load(buf)


def test_upgrading_main_before_the_split_keeps_every_record(previous):
    db, before = previous
    assert _log_problems('previous_update') == []
    assert before['patients'] > 20 and before['enrolments'] and before['pdc_rows']
    assert before['incidents'] and before['channel_messages']
    [(after,)] = _query(db, "SELECT json_build_object("
                        "'patients', (SELECT count(*) FROM res_partner WHERE is_patient),"
                        "'prescriptions', (SELECT count(*) FROM pharmacy_patient_medication),"
                        "'fills', (SELECT count(*) FROM pharmacy_fill),"
                        "'enrolments', (SELECT count(*) FROM pharmacy_sync_enrollment),"
                        "'appointments', (SELECT count(*) FROM pharmacy_sync_appointment),"
                        "'synced_prescriptions', (SELECT count(*) FROM "
                        "    pharmacy_patient_medication WHERE sync_opt_in),"
                        "'pdc_rows', (SELECT count(*) FROM pharmacy_adherence),"
                        "'measured_classes', (SELECT count(*) FROM pharmacy_therapeutic_class"
                        "    WHERE measure_adherence),"
                        "'incidents', (SELECT count(*) FROM pharmacy_incident),"
                        "'dismissals', (SELECT count(*) FROM pharmacy_dismissal),"
                        "'pharmacies', (SELECT count(*) FROM res_partner WHERE is_pharmacy),"
                        "'channel_messages', (SELECT count(*) FROM mail_message"
                        "    WHERE model = 'mail.channel'),"
                        "'crons', (SELECT count(*) FROM ir_cron WHERE active))")
    # new since: the hourly refresh of the prescriptions' fill status (pharmacy_crm 11.0.2.1.0)
    # and the nightly value score (pharmacy_crm_marketing 11.0.1.2.0)
    new_crons = [('pharmacy_crm', 'pharmacy_fill_status_cron'),
                 ('pharmacy_crm_marketing', 'ir_cron_value_score')]
    for module, name in new_crons:
        assert _query(db, "SELECT active FROM ir_cron WHERE id = (SELECT res_id FROM "
                          "ir_model_data WHERE module = %s AND name = %s)", [module, name]
                      ) == [(True,)], name
    after['crons'] -= len(new_crons)
    assert after == before


def test_after_the_upgrade_the_features_own_their_records(previous):
    db, _before = previous
    states = _states(db)
    assert {name for name, state in states.items() if state == 'installed'} == (
        set(FEATURES) - NEW_SINCE_SPLIT) | {'pharmacy_crm'}
    left = [name for (name,) in _query(
        db, "SELECT name FROM ir_model_data WHERE module = 'pharmacy_crm'")
        if re.search(r'sync|adherence|dismissal|incident|import|dispensing|fill_number|'
                     r'is_pharmacy|transfer_pharmacy|staff_channel', name)]
    assert left == []
    owners = dict(_query(db, "SELECT name, module FROM ir_model_data WHERE name IN %s",
                         [('model_pharmacy_sync_enrollment', 'model_pharmacy_adherence',
                           'model_pharmacy_dismissal', 'model_pharmacy_import_log',
                           'pharmacy_staff_channel', 'pharmacy_adherence_cron',
                           'field_res_partner_sync_state')]))
    assert owners == {
        'model_pharmacy_sync_enrollment': 'pharmacy_crm_sync',
        'model_pharmacy_adherence': 'pharmacy_crm_adherence',
        'model_pharmacy_dismissal': 'pharmacy_crm_dismissal',
        'model_pharmacy_import_log': 'pharmacy_crm_import',
        'pharmacy_staff_channel': 'pharmacy_crm_dismissal',
        'pharmacy_adherence_cron': 'pharmacy_crm_adherence',
        'field_res_partner_sync_state': 'pharmacy_crm_sync'}


def test_after_the_upgrade_staff_open_a_patient_as_before(previous):
    """Each role reads a demo patient's profile and its forms' features through the new
    addons (views of the features load on the core's form)."""
    import odoo
    db, _before = previous
    with odoo.registry(db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        patient = env.ref('pharmacy_crm.demo_patient_00')
        form = env.ref('pharmacy_crm.res_partner_patient_view_form')
        for login in ('technician', 'pharmacist', 'manager'):
            user = env['res.users'].search([('login', '=', login)])
            view = env['res.partner'].sudo(user).fields_view_get(view_id=form.id)
            for name in ('sync_state', 'adherence_badges', 'incident_count'):
                assert name in view['fields'], (login, name)
            [values] = patient.sudo(user).read(['name', 'sync_state', 'incident_count'])
            assert values['name'] == patient.name
        cr.rollback()
