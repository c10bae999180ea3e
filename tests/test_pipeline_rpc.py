"""The pharmacy pipeline (#21) over JSON-RPC, role by role: pharmacy staff of company A work
the pharmacy's leads (read, search, group, export, write, move, log activities) without Sales
rights; marketing and internal users (who read crm's leads through "Contact Creation"),
portal users and company B's technician receive nothing of a pharmacy lead by any route (its
fields, a search on its clinical fields, its messages, activities, attachments, followers,
crm's activity report); marketing reads the conversion counts and rates, never which patient.

Every clinical value of company A carries a token that outsiders must never receive
(``JsonRpc.forbidden``). Data is created once per module by admin, with names unique to the
run.
"""
import base64
import uuid
from types import SimpleNamespace

import pytest

from rpc_users import (ACCESS_ERROR, OTHER_COMPANY, ROLES, STAFF, JsonRpc,
                       create_user, xmlid_to_id)

LEAD = 'crm.lead'
REPORT = 'pharmacy.pipeline.conversion.report'
SOURCES = 'pharmacy.patient.source.report'
SIDE = {'mail.message': 'model', 'mail.activity': 'res_model', 'ir.attachment': 'res_model',
        'mail.followers': 'res_model'}
CLINICAL = ['pharmacy_work_type', 'pharmacy_medications', 'pharmacy_current_pharmacy',
            'pharmacy_service_tag_id', 'pharmacy_referred_by_id']


def refused(client, model, method, args, kwargs=None, errors=(ACCESS_ERROR,)):
    outcome = client.outcome(model, method, *args, **(kwargs or {}))
    assert outcome[0] == 'error' and outcome[1] in errors, (model, method, client.login,
                                                            outcome)
    return outcome[2]


def allowed(client, model, method, args, kwargs=None):
    outcome = client.outcome(model, method, *args, **(kwargs or {}))
    assert outcome[0] == 'ok', (model, method, client.login, outcome)
    return outcome[1]


def nothing_or_refused(client, model, method, args, kwargs=None):
    outcome = client.outcome(model, method, *args, **(kwargs or {}))
    assert outcome in (('ok', []), ('ok', 0)) or outcome[:2] == ('error', ACCESS_ERROR), (
        model, method, client.login, outcome)
    return outcome


@pytest.fixture(scope='module')
def pipe(odoo_server, db_name, admin_rpc):
    run = uuid.uuid4().hex[:8]
    d = SimpleNamespace(run=run, token='PIP' + run)
    d.company_a = xmlid_to_id(admin_rpc, 'base.main_company')
    d.company_b = admin_rpc('res.company', 'create', {'name': 'Pipeline Company B %s' % run,
                                                      'pharmacy_tz': 'America/New_York'})
    d.patient = admin_rpc('res.partner', 'create', {
        'name': 'Pipeline Rpc Patient %s' % run, 'is_patient': True,
        'birthdate_date': '1960-01-01', 'nkda': True})
    d.lead = admin_rpc(LEAD, 'create', {
        'name': 'Win-back %s' % d.token, 'partner_id': d.patient,
        'pharmacy_work_type': 'win_back', 'pharmacy_medications': 'Statin %s' % d.token,
        'description': 'No fill in 95 days %s' % d.token,
        'pharmacy_current_pharmacy': 'Corner Drugs %s' % d.token,
        'pharmacy_service_tag_id': xmlid_to_id(admin_rpc, 'pharmacy_crm_pipeline.crm_lead_tag_flu'),
        'pharmacy_referred_by_id': d.patient})
    admin_rpc(LEAD, 'message_post', [d.lead], body='Called %s' % d.token)
    admin_rpc('mail.activity', 'create', {
        'res_model_id': xmlid_to_id(admin_rpc, 'crm.model_crm_lead'), 'res_id': d.lead,
        'summary': 'Call back %s' % d.token, 'user_id': 1})
    admin_rpc('ir.attachment', 'create', {
        'name': 'transfer %s.txt' % d.token, 'res_model': LEAD, 'res_id': d.lead,
        'datas': base64.b64encode(b'x').decode(), 'datas_fname': 'transfer.txt'})
    d.side = {}
    for model, field in SIDE.items():
        ids = sorted(admin_rpc(model, 'search', [(field, '=', LEAD), ('res_id', '=', d.lead)]))
        assert ids, model
        d.side[model] = ids
    d.clients = {}
    for role in ROLES:
        login = 'rpc_pipe_%s_%s' % (role, run)
        company = d.company_b if role in OTHER_COMPANY else d.company_a
        create_user(admin_rpc, role, login, company)
        d.clients[role] = JsonRpc(odoo_server, db_name, login, login,
                                  [] if role in STAFF else [d.token])
    d.clients['admin'] = JsonRpc(odoo_server, db_name, 'admin', 'admin')
    return d


@pytest.mark.parametrize('role', ROLES)
def test_every_route_on_a_pharmacy_lead(pipe, role):
    client, admin = pipe.clients[role], pipe.clients['admin']
    fields = ['name', 'description', 'partner_id', 'stage_id'] + CLINICAL
    one = [('id', '=', pipe.lead)]
    routes = [('read', [[pipe.lead], fields], {}), ('search_read', [one], {'fields': fields}),
              ('search_count', [one], {}), ('name_search', [], {'name': '', 'args': one}),
              ('read_group', [one, ['stage_id'], ['stage_id']], {}),
              ('export_data', [[pipe.lead], fields], {})]
    for method, args, kwargs in routes:
        if role in STAFF:
            result = allowed(client, LEAD, method, args, kwargs)
            assert result == admin.call(LEAD, method, *args, **kwargs), method
            assert result not in ([], 0), method
        elif method in ('read', 'export_data'):
            refused(client, LEAD, method, args, kwargs)
        elif method == 'read_group':   # the stages are drawn (group_expand), every one empty
            outcome = client.outcome(LEAD, method, *args, **kwargs)
            assert outcome[:2] == ('error', ACCESS_ERROR) or outcome[0] == 'ok' and all(
                not group['stage_id_count'] for group in outcome[1]), outcome
        else:
            nothing_or_refused(client, LEAD, method, args, kwargs)
    for field in CLINICAL:   # searched, grouped by: staff only (groups=)
        domain = [(field, '!=', False), ('id', '=', pipe.lead)]
        if role in STAFF:
            assert allowed(client, LEAD, 'search', [domain]) == [pipe.lead], field
        elif role in OTHER_COMPANY:   # staff elsewhere: the field, not company A's lead
            assert allowed(client, LEAD, 'search', [domain]) == [], field
        else:
            refused(client, LEAD, 'search', [domain])
            refused(client, LEAD, 'read_group', [[], [field], [field]])
    if role not in STAFF:
        refused(client, LEAD, 'write', [[pipe.lead], {'name': 'x'}])


@pytest.mark.parametrize('role', ROLES)
def test_side_channels_of_a_pharmacy_lead(pipe, role):
    client = pipe.clients[role]
    for model, field in SIDE.items():
        domain = [(field, '=', LEAD), ('res_id', '=', pipe.lead)]
        if role in STAFF:
            rows = allowed(client, model, 'search', [domain])
            assert sorted(rows) == pipe.side[model], model
        else:
            nothing_or_refused(client, model, 'search_read', [domain])
            refused(client, model, 'read', [pipe.side[model]])
    nothing_or_refused(client, 'crm.activity.report', 'search_read',
                       [[('lead_id', '=', pipe.lead)]])


@pytest.mark.parametrize('role', STAFF)
def test_staff_work_the_lead_without_sales_rights(pipe, role):
    client = pipe.clients[role]
    contacted = pipe.clients['admin'].call(
        'ir.model.data', 'xmlid_to_res_id', 'pharmacy_crm_pipeline.crm_stage_pharmacy_contacted',
        True)
    assert allowed(client, LEAD, 'write', [[pipe.lead], {'stage_id': contacted}]) is True
    lead = allowed(client, LEAD, 'create', [{'name': 'Transfer in %s' % role,
                                             'contact_name': 'New Person',
                                             'pharmacy_work_type': 'transfer_in'}])
    [values] = allowed(client, LEAD, 'read', [[lead], ['team_id', 'company_id']])
    assert values['company_id'][0] == pipe.company_a
    refused(client, LEAD, 'unlink', [[lead]])   # archived (lost), never deleted
    assert allowed(client, LEAD, 'action_set_lost', [[lead]]) is True


@pytest.mark.parametrize('role', ROLES)
def test_marketing_reads_counts_and_rates_only(pipe, role):
    client = pipe.clients[role]
    for model, measures in ((REPORT, ['lead_count', 'won_count', 'conversion_rate']),
                            (SOURCES, ['patient_count', 'referred_count'])):
        if role == 'portal':
            refused(client, model, 'read_group', [[], measures, []])
            continue
        groups = allowed(client, model, 'read_group', [[], measures, []])
        fields = allowed(client, model, 'fields_get', [], {'attributes': ['type']})
        assert not {'partner_id', 'patient_id', 'description', 'name'} & set(fields)
        if role in OTHER_COMPANY:
            assert not groups or not groups[0].get(measures[0])
        else:
            assert groups[0][measures[0]] >= 1, model


def _menu_tree_ids(menu):
    """The ids of the menus the web client draws (load_menus: a child of a hidden menu is not
    there)."""
    ids = {menu['id']} if menu.get('id') else set()
    for child in menu.get('children', []):
        ids |= _menu_tree_ids(child)
    return ids


def test_menus_per_role(pipe):
    """Marketing finds the counts under Email Marketing > Pharmacy Growth; the Website app (its
    dashboard of visits and leads) is for the website's editors, not staff nor marketing."""
    admin = pipe.clients['admin']
    menus = {xmlid: admin.call('ir.model.data', 'xmlid_to_res_id', xmlid, False) for xmlid in (
        'pharmacy_crm_marketing_pipeline.pharmacy_growth_source_menu',
        'pharmacy_crm_marketing_pipeline.pharmacy_growth_conversion_menu',
        'website.menu_dashboard')}
    for role in ROLES:
        if role == 'portal':
            continue
        drawn = _menu_tree_ids(allowed(pipe.clients[role], 'ir.ui.menu', 'load_menus', [False]))
        expected = {menu for xmlid, menu in menus.items() if menu and role == 'marketing'
                    and 'growth' in xmlid}
        assert drawn & set(menus.values()) == expected, role
    assert {menu for menu in menus.values() if menu} <= _menu_tree_ids(
        admin.call('ir.ui.menu', 'load_menus', False))
