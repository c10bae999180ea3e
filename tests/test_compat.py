"""What each patch of compat/odoo11_py311_compat.py enables, exercised through Odoo itself."""
import base64
import collections
import inspect
import random
import threading
import urllib.request
from importlib import import_module

import odoo11_py311_compat as compat
from odoo.tools.safe_eval import safe_eval


def test_shim_is_loaded_by_the_interpreter():
    # the .pth file loads it before any test: Odoo itself is patched, not just this module
    assert compat._PostImportPatcher in __import__('sys').meta_path
    assert collections.Mapping is collections.abc.Mapping


def test_getargspec_and_formatargspec():
    def func(a, b=2, *args, **kwargs):
        return a, b, args, kwargs
    spec = inspect.getargspec(func)
    assert spec == (['a', 'b'], 'args', 'kwargs', (2,))
    assert inspect.formatargspec(*spec) == '(a, b=2, *args, **kwargs)'


def test_removed_aliases_are_back():
    assert base64.encodestring(b'rx') == b'cng=\n'
    assert base64.decodestring(b'cng=\n') == b'rx'
    assert threading.current_thread().isAlive()


def test_random_sample_accepts_a_set():
    assert sorted(random.sample({3, 1, 2}, 3)) == [1, 2, 3]


def test_safe_eval_formatting_and_method_calls():
    # '%' formatting compiles to BINARY_OP and a method call to CALL on Python 3.11
    assert safe_eval("'%s-%04d' % (name.upper(), n)", {'name': 'rx', 'n': 42}) == 'RX-0042'
    assert safe_eval("[('id', 'in', ids)] if ids is not None else []", {'ids': [1]}) == \
        [('id', 'in', [1])]
    assert safe_eval("{**a, 'b': 2}", {'a': {'a': 1}}) == {'a': 1, 'b': 2}


def test_yaml_load_without_loader():
    yaml_import = import_module('odoo.tools.yaml_import')  # odoo.tools re-exports a function
    assert yaml_import.yaml.load('patient: {days_supply: 30}') == {'patient': {'days_supply': 30}}


def test_qweb_template_renders(env):
    view = env['ir.ui.view'].create({
        'name': 'compat_test', 'type': 'qweb',
        'arch': '<t t-name="compat_test"><p t-if="n is not None" t-esc="\'%d days\' % n"/>'
                '<span t-foreach="items" t-as="i" t-esc="i"/></t>'})
    html = env['ir.qweb'].render(view.id, {'n': 30, 'items': ['a', 'b']})
    assert html.decode().replace('\n', '') == '<p>30 days</p><span>a</span><span>b</span>'


def test_webclient_qweb_returns_templates(odoo_server):
    body = urllib.request.urlopen(odoo_server + '/web/webclient/qweb?mods=web', timeout=60).read()
    assert body.startswith(b'<templates')
    # without the patch the response is empty and the backend renders blank
    assert b't-name="Loading"' in body and b't-name="Notification"' in body
