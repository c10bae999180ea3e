"""Every record about a patient and every model with a company, found in the registry of the
test database (every addon installed): one company rule each, the access log, the PHI guard.

A model that starts inheriting ``pharmacy.phi.mixin`` must be given a record below (``MADE``
lists what the fixture makes): the tests fail until it is. Everything is rolled back.
"""
from datetime import timedelta
from types import SimpleNamespace

import pytest

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.addons.pharmacy_crm.models.pharmacy_company_rule_mixin import (
    COMPANY_RULE_DOMAIN, company_rule_xml_id)

PHI = 'pharmacy.phi.mixin'
PATIENT_RECORD = 'pharmacy.patient.record.mixin'
COMPANY_RULE = 'pharmacy.company.rule.mixin'
AUDIT = 'pharmacy.audit.mixin'
PROFILE = {'birthdate_date': '1960-01-01', 'allergies': 'Penicillin'}
# the records about a patient that name the patient themselves (the patient record mixin)...
PATIENT_RECORDS = ['pharmacy.adherence', 'pharmacy.consent', 'pharmacy.dismissal',
                   'pharmacy.incident', 'pharmacy.journey.participant',
                   'pharmacy.manufacturer.preference', 'pharmacy.patient.medication',
                   'pharmacy.patient.note', 'pharmacy.portal.delegation',
                   'pharmacy.refill.request', 'pharmacy.reminder', 'pharmacy.sync.enrollment']
# ... and those whose patient is the one of the record they belong to
# records staff change through their actions only (every field is the server's): a write of a
# field is refused
WRITTEN_BY_ACTIONS = {'pharmacy.journey.participant': {'exit_reason': 'removed'}}
THROUGH = {'pharmacy.fill': 'prescription_id.patient_id',
           'pharmacy.journey.history': 'participant_id.patient_id',
           'pharmacy.sync.appointment': 'enrollment_id.patient_id',
           'pharmacy.sync.appointment.line': 'appointment_id.patient_id'}


def inheriting(env, mixin):
    """The models of the registry that inherit ``mixin`` (abstract ones excluded)."""
    base = type(env[mixin])
    return sorted(name for name in env.registry
                  if not env[name]._abstract and issubclass(type(env[name]), base))


def log_entries(env, record):
    """The access log entries of ``record``, oldest first, as tuples."""
    entries = env['pharmacy.access.log'].search(
        [('res_model', '=', record._name), ('res_id', '=', record.id)], order='id')
    return [(e.event, e.user_id.id, e.patient_id.id, e.field_names or None, e.company_id.id)
            for e in entries]


@pytest.fixture
def d(env):
    """Staff of company A and of company B, an office user of A, two patients of A and one
    record of each model about a patient, made by A's staff (``made``: model -> record, who
    made it, the fields logged, who writes what)."""
    d = SimpleNamespace(made={})
    today = fields.Date.from_string(env['res.company'].pharmacy_today())
    day = lambda offset: fields.Date.to_string(today + timedelta(days=offset))  # noqa: E731
    d.company_a = env.ref('base.main_company')
    d.company_b = env['res.company'].create({'name': 'Records Company B'})
    Users = env['res.users'].with_context(no_reset_password=True)

    def user(login, group, company):
        return Users.create({
            'name': 'Records %s' % login, 'login': 'records_%s' % login,
            'email': 'records.%s@example.com' % login, 'company_id': company.id,
            'company_ids': [(6, 0, company.ids)], 'groups_id': [(6, 0, env.ref(group).ids)]})

    d.technician = user('technician', 'pharmacy_crm.group_pharmacy_technician', d.company_a)
    d.pharmacist = user('pharmacist', 'pharmacy_crm.group_pharmacy_pharmacist', d.company_a)
    d.manager = user('manager', 'pharmacy_crm.group_pharmacy_manager', d.company_a)
    d.office = user('office', 'base.group_user', d.company_a)
    d.technician_b = user('technician_b', 'pharmacy_crm.group_pharmacy_technician', d.company_b)
    d.manager_b = user('manager_b', 'pharmacy_crm.group_pharmacy_manager', d.company_b)
    Partner = env['res.partner']
    d.patient = Partner.create(dict(PROFILE, name='Records Patient', is_patient=True,
                                    company_id=d.company_a.id))
    synced = Partner.create(dict(PROFILE, name='Records Synced Patient', is_patient=True,
                                 company_id=d.company_a.id))
    maker = Partner.create({'name': 'Records Labs', 'is_company': True})
    referral = Partner.create({'name': 'Records Referral Pharmacy', 'is_company': True,
                               'is_pharmacy': True, 'city': 'Milton'})
    medication = env['pharmacy.medication'].create({
        'name': 'Records Statin', 'strength': '10 mg', 'company_id': d.company_a.id,
        'therapeutic_class_id': env.ref('pharmacy_crm.therapeutic_class_statin').id})
    tech = d.technician

    def make(who, model, vals, logged, write=None):
        record = env[model].sudo(who).create(vals).sudo()
        d.made[model] = SimpleNamespace(record=record, by=who, logged=logged, write=write)
        return record

    def rx_vals(patient, number):
        return {'patient_id': patient.id, 'medication_id': medication.id,
                'rx_number': number, 'days_supply': 30, 'quantity': 30,
                'refills_authorized': 5, 'date_written': day(-60)}

    rx = make(tech, 'pharmacy.patient.medication', rx_vals(d.patient, 'REC-1'),
              'date_written,days_supply,medication_id,patient_id,quantity,refills_authorized,'
              'rx_number', (tech, {'dose': '1 tablet'}))
    make(tech, 'pharmacy.fill', {'prescription_id': rx.id, 'fill_date': day(-50),
                                 'quantity': 30, 'days_supply': 30},
         'days_supply,fill_date,prescription_id,quantity', (tech, {'early_refill_note': 'OK'}))
    # a second fill and a second prescription due within days of the first: the patient is
    # active (report), has an adherence figure and prescriptions due together
    Fill = env['pharmacy.fill']
    Fill.create({'prescription_id': rx.id, 'fill_date': day(-20), 'quantity': 30,
                 'days_supply': 30})
    rx2 = env['pharmacy.patient.medication'].create(rx_vals(d.patient, 'REC-2'))
    Fill.create({'prescription_id': rx2.id, 'fill_date': day(-22), 'quantity': 30,
                 'days_supply': 30})
    make(tech, 'pharmacy.patient.note', {'patient_id': d.patient.id, 'body': 'Hard of hearing'},
         'body,patient_id', (tech, {'category': 'clinical'}))
    make(tech, 'pharmacy.consent', {'patient_id': d.patient.id, 'channel': 'sms',
                                    'purpose': 'marketing'}, 'channel,patient_id,purpose',
         (tech, {'state': 'granted', 'date': day(0), 'source': 'phone'}))
    make(tech, 'pharmacy.manufacturer.preference', {
        'patient_id': d.patient.id, 'medication_id': medication.id, 'manufacturer_id': maker.id},
        'manufacturer_id,medication_id,patient_id', (tech, {'note': 'Blue tablets only'}))
    # the patient portal: a caregiver, a refill request
    carer = Partner.create({'name': 'Records Carer'})
    make(tech, 'pharmacy.portal.delegation', {'patient_id': d.patient.id,
                                              'delegate_id': carer.id},
         'delegate_id,patient_id', (tech, {'relationship': 'parent'}))
    make(tech, 'pharmacy.refill.request', {'patient_id': d.patient.id,
                                           'prescription_id': rx2.id},
         'patient_id,prescription_id', (tech, {'note': 'Called back'}))
    # refill sync: the other patient (enrolled patients are not listed as due together)
    enrollment = make(tech, 'pharmacy.sync.enrollment', {
        'patient_id': synced.id, 'sync_rule': 'day', 'sync_day': 15, 'consent_source': 'phone'},
        'consent_source,enrolled_by,patient_id,sync_day,sync_rule', (tech, {'sync_day': 16}))
    appointment = make(tech, 'pharmacy.sync.appointment', {
        'enrollment_id': enrollment.id, 'date': day(10)}, 'date,enrollment_id',
        (tech, {'note': 'Call after 5 pm'}))
    synced_rx = env['pharmacy.patient.medication'].create(rx_vals(synced, 'REC-3'))
    make(tech, 'pharmacy.sync.appointment.line', {
        'appointment_id': appointment.id, 'prescription_id': synced_rx.id},
        'appointment_id,prescription_id', (tech, {'change_note': 'Dose up'}))
    # incidents on two days, and the dismissal that relies on them
    incident = make(tech, 'pharmacy.incident', {
        'patient_id': d.patient.id, 'incident_type': 'scene', 'description': 'Shouted',
        'date': '%s 10:00:00' % day(-20)},
        'date,description,incident_type,patient_id,severity', (tech, {'severity': 'serious'}))
    incident |= env['pharmacy.incident'].create({
        'patient_id': d.patient.id, 'incident_type': 'verbal_abuse', 'description': 'Insults',
        'date': '%s 10:00:00' % day(-3)})
    make(d.pharmacist, 'pharmacy.dismissal', {
        'patient_id': d.patient.id, 'incident_ids': [(6, 0, incident.ids)],
        'explanation': 'You upset our staff repeatedly.', 'attestation': True,
        'referral_pharmacy_ids': [(6, 0, referral.ids)],
        'effective_date': day(env['pharmacy.setting'].get('dismissal_notice_days'))},
        'attestation,effective_date,explanation,incident_ids,patient_id,referral_pharmacy_ids',
        (d.pharmacist, {'transfer_prescriptions': True}))
    # adherence rows are computed (SQL), never created nor written by anyone
    Adherence = env['pharmacy.adherence']
    Adherence.recompute_period(day(-60), day(-1))
    d.made['pharmacy.adherence'] = SimpleNamespace(
        record=Adherence.search([('patient_id', '=', d.patient.id), ('date_end', '=', day(-1)),
                                 ('date_start', '=', day(-60))]),
        by=None, logged=None, write=None)
    # reminders are the server's too (the daily scheduled action, or the patient's button)
    reminded = Partner.create(dict(PROFILE, name='Records Reminded Patient', is_patient=True,
                                   email='records.reminded@example.com',
                                   company_id=d.company_a.id))
    rx = env['pharmacy.patient.medication'].sudo(tech).create(rx_vals(reminded, 'REC-R'))
    env['pharmacy.fill'].sudo(tech).create({'prescription_id': rx.id, 'fill_date': day(-27),
                                            'quantity': 30, 'days_supply': 30})
    reminded.sudo(tech).action_send_reminders()
    d.made['pharmacy.reminder'] = SimpleNamespace(
        record=env['pharmacy.reminder'].search([('patient_id', '=', reminded.id)]),
        by=None, logged=None, write=None)
    # journeys' participants and the steps performed: their run's
    joined = Partner.create(dict(PROFILE, name='Records Journey Patient', is_patient=True,
                                 email='records.journey@example.com',
                                 company_id=d.company_a.id))
    env['pharmacy.consent'].create({'patient_id': joined.id, 'channel': 'email',
                                    'purpose': 'marketing', 'state': 'granted',
                                    'date': day(0), 'source': 'in_store'})
    segment = env['pharmacy.segment'].create({
        'name': 'Records Journey Segment',
        'partner_domain': repr([('email', '=', 'records.journey@example.com')])})
    journey = env['pharmacy.journey'].create({
        'name': 'Records Journey', 'entry_type': 'segment', 'segment_id': segment.id,
        'step_ids': [(0, 0, {'sequence': 1, 'name': 'Mail', 'step_type': 'mail', 'template_id':
                             env.ref('pharmacy_crm_journey.mail_template_journey_welcome').id}),
                     (0, 0, {'sequence': 2, 'name': 'Wait', 'step_type': 'wait',
                             'wait_days': 5})]})
    journey.action_start()
    journey.action_run_now()
    participant = env['pharmacy.journey.participant'].search([('journey_id', '=', journey.id)])
    for name, record in (('pharmacy.journey.participant', participant),
                         ('pharmacy.journey.history', env['pharmacy.journey.history'].search(
                             [('participant_id', '=', participant.id)], limit=1))):
        d.made[name] = SimpleNamespace(record=record, by=None, logged=None, write=None)
    return d


def test_records_about_a_patient_name_it(env):
    """The patient record mixin is used by every record naming its patient; the others get
    their patient (stored) through the record they belong to, and share the PHI guard and
    the access log."""
    assert inheriting(env, PATIENT_RECORD) == PATIENT_RECORDS
    assert inheriting(env, PHI) == sorted(PATIENT_RECORDS + list(THROUGH))
    for name in inheriting(env, PHI):
        model = env[name]
        patient, company = model._fields['patient_id'], model._fields['company_id']
        assert issubclass(type(model), type(env[AUDIT])), name
        assert (patient.type, patient.comodel_name, patient.store, patient.index) == (
            'many2one', 'res.partner', True, True), name
        assert (company.comodel_name, company.store, company.index, company.readonly) == (
            'res.company', True, True, True), name
        if name in THROUGH:
            assert ('.'.join(patient.related), patient.required) == (THROUGH[name], False), name
        else:
            assert (patient.related, patient.required, patient.ondelete) == (
                None, True, 'cascade' if name == 'pharmacy.manufacturer.preference'
                else 'restrict'), name
            assert company.related == ('patient_id', 'company_id'), name


def test_one_company_rule_for_every_model_with_a_company(env, d):
    """Each model inheriting the company rule mixin (every record about a patient, the catalog,
    the access log, the reports) has the one company rule, and the staff of another company
    read none of its records of company A."""
    names = inheriting(env, COMPANY_RULE)
    assert set(inheriting(env, PHI)) | {
        'pharmacy.medication', 'pharmacy.access.log', 'pharmacy.active.patient.report',
        'pharmacy.sync.due.together', 'pharmacy.sync.report'} <= set(names)
    for name in names:
        model = env[name].with_context(active_test=False)
        rules = env['ir.rule'].search([('model_id.model', '=', name),
                                       ('domain_force', 'like', 'company_id')])
        assert rules == env.ref('%s.%s' % (model._original_module, company_rule_xml_id(model)))
        assert (rules.domain_force, rules['global'], rules.active, rules.perm_read) == (
            COMPANY_RULE_DOMAIN, True, True, True), name
        ids = model.sudo().search([('company_id', '=', d.company_a.id)]).ids
        assert ids, '%s: no record of company A to hide' % name
        readers = 0
        for user in (d.technician_b, d.manager_b):
            as_user = model.sudo(user)
            if not as_user.check_access_rights('read', raise_exception=False):
                continue
            readers += 1
            assert not as_user.search([('id', 'in', ids)]), (name, user.login)
            with pytest.raises(AccessError):
                as_user.browse(ids[0]).read(['company_id'])
        assert readers, '%s: nobody of company B could have read it' % name


def test_the_mixin_keeps_the_company_rule(env):
    """What an install or update of the model's module does (``init``): a company rule changed,
    deactivated or given to a group by hand is set back; a deleted one is made again."""
    for name in ('pharmacy.fill', 'pharmacy.sync.report'):
        model = env[name]
        xml_id = '%s.%s' % (model._original_module, company_rule_xml_id(model))
        rule = env.ref(xml_id)
        rule.write({'domain_force': '[(1, "=", 1)]', 'active': False, 'perm_read': False,
                    'groups': [(6, 0, env.ref('base.group_user').ids)]})
        assert model._pharmacy_company_rule() == rule
        assert (rule.domain_force, rule['global'], rule.active, rule.perm_read) == (
            COMPANY_RULE_DOMAIN, True, True, True)
        rule.unlink()
        again = model._pharmacy_company_rule()
        assert again == env.ref(xml_id) and again != rule
        assert (again.domain_force, again['global'], again.model_id.model) == (
            COMPANY_RULE_DOMAIN, True, name)


def test_every_record_about_a_patient_is_in_the_access_log(env, d):
    """Created, written and (for models with view fields) opened by A's staff: each in the
    access log with the user, the patient, the fields and the company."""
    assert sorted(d.made) == inheriting(env, PHI)
    for name, made in sorted(d.made.items()):
        record = made.record
        assert len(record) == 1, name
        expected = []
        if made.by:
            expected.append(('create', made.by.id, record.patient_id.id, made.logged,
                             d.company_a.id))
        if made.write:
            user, vals = made.write
            record.sudo(user).write(vals)
            expected.append(('write', user.id, record.patient_id.id, ','.join(sorted(vals)),
                             d.company_a.id))
        elif name in WRITTEN_BY_ACTIONS:
            for user in (d.technician, d.manager):
                with pytest.raises((UserError, AccessError)):
                    record.sudo(user).write(WRITTEN_BY_ACTIONS[name])
        else:   # nobody writes it
            for user in (d.technician, d.manager):
                assert not record.sudo(user).check_access_rights('write', False), name
        record.sudo(d.manager).read(list(record._audit_view_fields) or ['company_id'])
        if record._audit_view_fields:
            expected.append(('view', d.manager.id, record.patient_id.id, None, d.company_a.id))
        assert log_entries(env, record) == expected, name
    # incidents, dismissals and adherence rows are viewed; fills, consents... are not
    assert sorted(name for name in d.made if env[name]._audit_view_fields) == [
        'pharmacy.adherence', 'pharmacy.dismissal', 'pharmacy.incident',
        'pharmacy.patient.medication', 'pharmacy.patient.note']


def test_every_record_about_a_patient_is_guarded(env, d):
    """Outside the pharmacy nobody reads them; nobody gives their company; they are not
    deleted (but a preference line); their attachments and messages are hidden from another
    company's staff (``_pharmacy_hidden_query``)."""
    Company = env['pharmacy.phi.mixin']
    companies_a = Company._pharmacy_company_ids(d.technician)
    companies_b = Company._pharmacy_company_ids(d.technician_b)
    for name, made in sorted(d.made.items()):
        record = made.record
        with pytest.raises(AccessError):
            record.sudo(d.office).read(['patient_id'])
        with pytest.raises(AccessError):
            env[name].sudo(d.office).search([])
        if not record.sudo(d.manager).check_access_rights('write', False):
            with pytest.raises((UserError, AccessError)):     # nobody writes it at all
                record.sudo(d.manager).write({'company_id': d.company_b.id})
        else:
            with pytest.raises(UserError) as refused:
                record.sudo(d.manager).write({'company_id': d.company_b.id})
            assert refused.value.name.startswith(
                'Company of %s cannot be set: the pharmacy computes them.' % record._description)
        if record._pharmacy_never_delete:
            with pytest.raises(UserError) as refused:
                record.sudo(d.manager).unlink()
            assert refused.value.name.startswith(
                '%s are part of the patient record and are never deleted.' % record._description)
        else:
            assert name == 'pharmacy.manufacturer.preference'
        for user, companies, hidden in ((d.technician_b, companies_b, True),
                                        (d.technician, companies_a, False)):
            query, params = env[name]._pharmacy_hidden_query(user, companies)
            env.cr.execute(query, params)
            assert (record.id in {row[0] for row in env.cr.fetchall()}) == hidden, (
                name, user.login)
        assert record.company_id == d.company_a, name
