"""The marketing reports and the satisfaction survey (#23) over JSON-RPC, role by role:
everyone inside the company reads the reports' counts and rates (retention, lifecycle,
transitions, campaign return of mailings and journeys, NPS), which name no patient; the portal
reads none; company B's technician sees none of company A's figures. A mailing's hold-out
(which names patients) is for pharmacy managers; a patient's survey answer and the
detractor's service recovery activity are for pharmacy staff of the patient's company only:
the comment's token never reaches anyone else.
"""
import uuid
from types import SimpleNamespace

import pytest

from rpc_users import ACCESS_ERROR, OTHER_COMPANY, ROLES, STAFF, JsonRpc, create_user, \
    xmlid_to_id

REPORTS = {
    'pharmacy.retention.report': ['active_count', 'lapsed_count', 'churn_rate'],
    'pharmacy.lifecycle.report': ['patient_count'],
    'pharmacy.lifecycle.transition.report': ['patient_count'],
    'pharmacy.campaign.return.report': ['recipient_count', 'holdout_count', 'return_points'],
    'pharmacy.nps.report': ['response_count', 'detractor_count', 'nps'],
    'pharmacy.journey.return.report': ['recipient_count', 'recipient_return_rate'],
}
HOLDOUT = 'pharmacy.mailing.holdout'


def outcome(client, model, method, *args, **kwargs):
    return client.outcome(model, method, *args, **kwargs)


@pytest.fixture(scope='module')
def rep(odoo_server, db_name, admin_rpc):
    run = uuid.uuid4().hex[:8]
    d = SimpleNamespace(run=run, token='REP' + run)
    d.company_a = xmlid_to_id(admin_rpc, 'base.main_company')
    d.company_b = admin_rpc('res.company', 'create', {'name': 'Report Company B %s' % run,
                                                      'pharmacy_tz': 'America/New_York'})
    d.patient = admin_rpc('res.partner', 'create', {
        'name': 'Report Rpc Patient %s' % run, 'is_patient': True,
        'email': 'report.%s@example.com' % run, 'birthdate_date': '1960-01-01', 'nkda': True})
    survey = xmlid_to_id(admin_rpc, 'pharmacy_crm_feedback.survey_pharmacy_feedback')
    nps = xmlid_to_id(admin_rpc, 'pharmacy_crm_feedback.survey_pharmacy_feedback_question_nps')
    comment = xmlid_to_id(admin_rpc,
                          'pharmacy_crm_feedback.survey_pharmacy_feedback_question_comment')
    d.answer = admin_rpc('survey.user_input', 'create', {
        'survey_id': survey, 'partner_id': d.patient, 'type': 'link'})
    admin_rpc('survey.user_input_line', 'create', {
        'user_input_id': d.answer, 'question_id': nps, 'survey_id': survey,
        'answer_type': 'number', 'value_number': 2})
    d.line = admin_rpc('survey.user_input_line', 'create', {
        'user_input_id': d.answer, 'question_id': comment, 'survey_id': survey,
        'answer_type': 'free_text', 'value_free_text': 'Rude at the counter %s' % d.token})
    admin_rpc('survey.user_input', 'write', [d.answer], {'state': 'done'})
    d.activity = admin_rpc('mail.activity', 'search', [
        ('res_model', '=', 'res.partner'), ('res_id', '=', d.patient)])
    assert len(d.activity) == 1
    d.mailing = xmlid_to_id(admin_rpc, 'pharmacy_crm_marketing_report.demo_mailing_flu_shots')
    d.clients = {}
    for role in ROLES:
        login = 'rpc_rep_%s_%s' % (role, run)
        company = d.company_b if role in OTHER_COMPANY else d.company_a
        create_user(admin_rpc, role, login, company)
        d.clients[role] = JsonRpc(odoo_server, db_name, login, login,
                                  [] if role in STAFF else [d.token])
    return d


@pytest.mark.parametrize('role', ROLES)
def test_reports_are_counts_for_the_company(rep, role):
    client = rep.clients[role]
    for model, measures in REPORTS.items():
        if role == 'portal':
            result = outcome(client, model, 'read_group', [], measures, [])
            assert result[:2] == ('error', ACCESS_ERROR), (model, result)
            continue
        state, fields = outcome(client, model, 'fields_get', attributes=['type', 'relation'])
        assert state == 'ok'
        assert not [name for name, field in fields.items()
                    if field.get('relation') == 'res.partner'
                    or field['type'] in ('char', 'text', 'html')
                    and name not in ('display_name', '__last_update')], model
        state, groups = outcome(client, model, 'read_group', [], measures, [])
        assert state == 'ok', (model, groups)
        if role in OTHER_COMPANY:
            assert not groups or not groups[0]['__count'], model
        else:
            assert groups[0]['__count'] >= 1, model
    # the NPS of this month counts the detractor's answer for company A
    result = outcome(client, 'pharmacy.nps.report', 'search_read',
                     [('detractor_count', '>=', 1)], ['nps'])
    if role == 'portal':
        assert result[:2] == ('error', ACCESS_ERROR), result
    else:
        assert result[0] == 'ok' and bool(result[1]) == (role not in OTHER_COMPANY), result


@pytest.mark.parametrize('role', ROLES)
def test_answers_holdouts_and_service_recovery_are_staff_only(rep, role):
    client = rep.clients[role]
    answer = outcome(client, 'survey.user_input_line', 'search_read',
                     [('id', '=', rep.line)], ['value_free_text'])
    inputs = outcome(client, 'survey.user_input', 'search_read',
                     [('partner_id', '=', rep.patient)], ['pharmacy_nps_score'])
    activity = outcome(client, 'mail.activity', 'search_read',
                       [('id', 'in', rep.activity)], ['note', 'summary'])
    holdout = outcome(client, HOLDOUT, 'search_count', [('mailing_id', '=', rep.mailing)])
    if role in STAFF:
        assert answer[0] == 'ok' and rep.token in answer[1][0]['value_free_text']
        assert inputs[0] == 'ok' and inputs[1][0]['pharmacy_nps_score'] == 2
        assert activity[0] == 'ok' and rep.token in activity[1][0]['note']
    else:
        for result in (answer, inputs, activity):
            assert result in (('ok', []),) or result[:2] == ('error', ACCESS_ERROR), result
    if role == 'manager':
        assert holdout[0] == 'ok' and holdout[1] >= 1
    else:
        assert holdout[:2] == ('error', ACCESS_ERROR), holdout
