"""An outside client works the counter over JSON-RPC and XML-RPC: the pharmacy's formulas and
refusals reach it exactly as in the web client."""
import uuid
import xmlrpc.client
from datetime import timedelta
from urllib.parse import urlparse

import odoorpc
import pytest
from conftest import pharmacy_today


def _connect(url):
    parsed = urlparse(url)
    return odoorpc.ODOO(parsed.hostname, protocol='jsonrpc', port=parsed.port, timeout=60)


@pytest.fixture
def technician(admin_rpc, env, odoo_server, db_name):
    """A technician logged in over JSON-RPC (odoorpc), created for the test."""
    login = 'rpctech%s' % uuid.uuid4().hex[:6]
    admin_rpc('res.users', 'create', {
        'name': 'Rpc Technician', 'login': login, 'password': login,
        'email': '%s@example.com' % login,
        'groups_id': [(6, 0, [env.ref('pharmacy_crm.group_pharmacy_technician').id])]})
    client = _connect(odoo_server)
    client.login(db_name, login, login)
    return client


def test_a_fill_recorded_over_rpc_gives_the_due_and_refill_dates(technician, env):
    """Fill 10 days ago, 30 days supply: due in 20 days; refill-too-soon until
    ceil(30 x 0.8) = 24 days after the fill, i.e. in 14 days."""
    today = pharmacy_today()
    medication = env['pharmacy.medication'].search([('schedule', '=', 'none')], limit=1)
    prescriber = env['res.partner'].search([('is_prescriber', '=', True)], limit=1)
    Partner = technician.env['res.partner']
    patient = Partner.create({'name': 'Rpc Counter Patient', 'is_patient': True,
                              'birthdate_date': '1961-04-02', 'allergies': 'NKDA'})
    rx = technician.env['pharmacy.patient.medication'].create({
        'patient_id': patient, 'medication_id': medication.id, 'prescriber_id': prescriber.id,
        'rx_number': 'RPC-%s' % uuid.uuid4().hex[:8], 'days_supply': 30, 'quantity': 30,
        'refills_authorized': 2, 'date_written': (today - timedelta(days=20)).isoformat()})
    technician.env['pharmacy.fill'].create({
        'prescription_id': rx, 'quantity': 30, 'days_supply': 30,
        'fill_date': (today - timedelta(days=10)).isoformat()})
    [values] = technician.env['pharmacy.patient.medication'].read(
        [rx], ['next_due_date', 'refill_eligible_date', 'refills_remaining', 'fill_count'])
    assert values['next_due_date'] == (today + timedelta(days=20)).isoformat()
    assert values['refill_eligible_date'] == (today + timedelta(days=14)).isoformat()
    assert (values['refills_remaining'], values['fill_count']) == (2, 1)
    [patient_values] = Partner.read([patient], ['next_due_date', 'company_id'])
    assert patient_values['next_due_date'] == (today + timedelta(days=20)).isoformat()

    # a refill today is too soon: the technician is told why and by when
    with pytest.raises(odoorpc.error.RPCError) as refused:
        technician.env['pharmacy.fill'].create({
            'prescription_id': rx, 'quantity': 30, 'days_supply': 30,
            'fill_date': today.isoformat()})
    assert refused.value.info['data']['name'] == 'odoo.exceptions.ValidationError'
    assert 'Refill too soon' in str(refused.value)
    assert technician.env['pharmacy.fill'].search_count([('prescription_id', '=', rx)]) == 1


def test_a_bad_value_over_xmlrpc_is_a_validation_error_naming_the_field(admin_rpc):
    """Not a PostgreSQL error: the field, the value and what is expected."""
    with pytest.raises(xmlrpc.client.Fault) as refused:
        admin_rpc('pharmacy.medication', 'create', {'name': 'Bad', 'ndc': '0574407205'})
    assert 'NDC "0574407205" is ambiguous' in refused.value.faultString
    with pytest.raises(xmlrpc.client.Fault) as refused:
        admin_rpc('pharmacy.medication', 'create', {'name': 'Bad', 'schedule': 'VI'})
    assert 'Controlled Substance of Medication: ' in refused.value.faultString
    assert ' is not valid: expected one of "Not controlled", "Schedule II", "Schedule III", ' \
           '"Schedule IV", "Schedule V".' in refused.value.faultString


def test_wrong_password_is_refused(odoo_server, db_name):
    client = _connect(odoo_server)
    with pytest.raises(odoorpc.error.RPCError) as refused:
        client.login(db_name, 'admin', 'not-the-password')
    assert str(refused.value) == 'Wrong login ID or password'
