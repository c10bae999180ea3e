"""An outside client over JSON-RPC, and the kinds of users the patient-data tests log in as.

``JsonRpc`` speaks to ``/jsonrpc`` (service ``object``, ``execute_kw``) as one user. A refusal comes
back as ``RpcError`` whose ``name`` is the server's exception class, e.g.
``odoo.exceptions.AccessError``. Every raw response (results and errors alike, tracebacks
included) is searched for the strings the user must never receive: a hit fails the test at once,
whatever the call was.
"""
import itertools

import requests

ACCESS_ERROR = 'odoo.exceptions.AccessError'
USER_ERROR = 'odoo.exceptions.UserError'
VALIDATION_ERROR = 'odoo.exceptions.ValidationError'

# role -> XML ids of the groups a user of that role holds. Internal users also hold "Contact
# Creation" (base.group_partner_manager), as every user created in Settings does: without it
# a refused write or unlink of a contact would prove nothing about patients.
ROLE_GROUPS = {
    'technician': ['pharmacy_crm.group_pharmacy_technician', 'base.group_partner_manager'],
    'pharmacist': ['pharmacy_crm.group_pharmacy_pharmacist', 'base.group_partner_manager'],
    'manager': ['pharmacy_crm.group_pharmacy_manager', 'base.group_partner_manager'],
    'marketing': ['base.group_user', 'mass_mailing.group_mass_mailing_user',
                  'base.group_partner_manager'],
    'internal': ['base.group_user', 'base.group_partner_manager'],
    'portal': ['base.group_portal'],
    'technician_b': ['pharmacy_crm.group_pharmacy_technician', 'base.group_partner_manager'],
}
ROLES = list(ROLE_GROUPS)
STAFF = ('technician', 'pharmacist', 'manager')              # pharmacy staff of company A
OUTSIDERS = ('marketing', 'internal', 'portal')               # no pharmacy group
OTHER_COMPANY = ('technician_b',)                             # pharmacy staff of company B


class RpcError(Exception):
    """The error a JSON-RPC call answered with."""

    def __init__(self, error):
        data = error.get('data') or {}
        self.name = data.get('name') or ''
        self.message = data.get('message') or error.get('message') or ''
        super().__init__('%s: %s' % (self.name, self.message))


class JsonRpc:
    """One user's session over ``/jsonrpc``; ``forbidden`` strings must never come back."""

    _ids = itertools.count(1)

    def __init__(self, url, db, login, password, forbidden=()):
        self.url = url + '/jsonrpc'
        self.db = db
        self.login = login
        self.password = password
        self.forbidden = tuple(forbidden)
        self.http = requests.Session()
        self.uid = self._rpc('common', 'login', [db, login, password])
        assert self.uid, '%s could not log in over JSON-RPC' % login

    def _rpc(self, service, method, args):
        payload = {'jsonrpc': '2.0', 'method': 'call', 'id': next(self._ids),
                   'params': {'service': service, 'method': method, 'args': args}}
        response = self.http.post(self.url, json=payload, timeout=120)
        response.raise_for_status()
        text = response.text
        leaked = [secret for secret in self.forbidden if secret in text]
        assert not leaked, '%s received %r through %s: %s' % (
            self.login, leaked, args[3:5] if service == 'object' else method,
            ' ... '.join(_around(text, secret) for secret in leaked))
        body = response.json()
        if 'error' in body:
            raise RpcError(body['error'])
        return body['result']

    def call(self, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` as this user; raises RpcError when refused."""
        return self._rpc('object', 'execute_kw', [
            self.db, self.uid, self.password, model, method, list(args), kwargs])

    def outcome(self, model, method, *args, **kwargs):
        """('ok', result) or ('error', exception name, message): for asserting on either."""
        try:
            return ('ok', self.call(model, method, *args, **kwargs))
        except RpcError as err:
            return ('error', err.name, err.message)


def _around(text, secret, width=150):
    """The first occurrence of ``secret`` in ``text`` with what surrounds it."""
    at = text.index(secret)
    return text[max(at - width, 0):at + len(secret) + width]


def xmlid_to_id(admin_rpc, xmlid):
    return admin_rpc('ir.model.data', 'xmlid_to_res_id', xmlid, True)


def create_user(admin_rpc, role, login, company_id, partner_id=None):
    """A user of ``role`` in ``company_id`` whose password is its login; returns its id."""
    group_ids = [xmlid_to_id(admin_rpc, xmlid) for xmlid in ROLE_GROUPS[role]]
    vals = {'login': login, 'password': login, 'email': '%s@example.com' % login,
            'company_id': company_id, 'company_ids': [(6, 0, [company_id])],
            'groups_id': [(6, 0, group_ids)]}
    if partner_id:
        vals['partner_id'] = partner_id
    else:
        vals['name'] = login.replace('_', ' ').title()
    return admin_rpc('res.users', 'create', vals,
                     context={'no_reset_password': True, 'tracking_disable': True})
