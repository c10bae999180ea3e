"""A real external client talks to the served instance over XML-RPC and JSON-RPC."""
from urllib.parse import urlparse

import odoorpc


def _connect(url):
    parsed = urlparse(url)
    return odoorpc.ODOO(parsed.hostname, protocol='jsonrpc', port=parsed.port, timeout=60)


def test_login_and_read_installed_modules(odoo_server, db_name):
    client = _connect(odoo_server)
    client.login(db_name, 'admin', 'admin')
    modules = client.env['ir.module.module'].search_read(
        [('name', 'in', ['pharmacy_crm', 'pharmacy_crm_marketing', 'crm', 'mass_mailing'])],
        ['name', 'state'])
    assert {m['name']: m['state'] for m in modules} == {
        'pharmacy_crm': 'installed', 'pharmacy_crm_marketing': 'installed',
        'crm': 'installed', 'mass_mailing': 'installed'}
    assert client.version.startswith('11.0')


def test_read_a_partner_over_xmlrpc(admin_rpc):
    [partner] = admin_rpc('res.partner', 'search_read', [('id', '=', 1)],
                          fields=['name', 'is_company'])
    assert partner['is_company'] is True  # partner 1 is the company itself
    assert partner['name'] == 'Market Street Pharmacy'   # pharmacy_crm's demo renames it


def test_wrong_password_is_refused(odoo_server, db_name):
    client = _connect(odoo_server)
    try:
        client.login(db_name, 'admin', 'not-the-password')
    except odoorpc.error.RPCError as err:
        assert str(err) == 'Wrong login ID or password'
    else:
        raise AssertionError('login with a wrong password succeeded')
