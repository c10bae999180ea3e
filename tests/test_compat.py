"""What each patch of compat/odoo11_py311_compat.py enables, exercised through Odoo itself."""
import base64
import collections
import inspect
import random
import resource
import subprocess
import sys
import textwrap
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


def test_auto_install_modules_without_their_dependencies_are_unscheduled(env):
    cr = env.cr

    def module(name, state, *depends):
        cr.execute("INSERT INTO ir_module_module (name, state, auto_install) "
                   "VALUES (%s, %s, TRUE) RETURNING id", (name, state))
        module_id = cr.fetchone()[0]
        for dep in depends:
            cr.execute("INSERT INTO ir_module_module_dependency (module_id, name) "
                       "VALUES (%s, %s)", (module_id, dep))

    # what Odoo 11's database creation scheduled: a glue module whose dependency is not on
    # disk, a glue module on top of it, and one that needs a module nobody installs
    module('compat_glue', 'to install', 'base', 'compat_not_on_disk')
    module('compat_glue_on_glue', 'to install', 'compat_glue')
    module('compat_needs_uninstalled', 'to install', 'compat_uninstalled')
    module('compat_uninstalled', 'uninstalled')
    module('compat_scheduled_ok', 'to install', 'base', 'mail')   # both installed: it stays
    assert compat.unschedule_unmet_auto_installs(cr) == [
        'compat_glue', 'compat_glue_on_glue', 'compat_needs_uninstalled']
    cr.execute("SELECT name, state FROM ir_module_module WHERE name LIKE 'compat\\_%' "
               "ORDER BY name")
    assert cr.fetchall() == [
        ('compat_glue', 'uninstalled'), ('compat_glue_on_glue', 'uninstalled'),
        ('compat_needs_uninstalled', 'uninstalled'), ('compat_scheduled_ok', 'to install'),
        ('compat_uninstalled', 'uninstalled')]
    assert compat.unschedule_unmet_auto_installs(cr) == []
    assert import_module('odoo.modules.db').initialize.__name__ == \
        'initialize_without_unmet_auto_installs'


def test_workers_set_integer_resource_limits():
    server = import_module('odoo.service.server')
    assert server.resource is not resource and server.resource.RLIMIT_CPU == resource.RLIMIT_CPU
    assert resource.setrlimit is not server.resource.setrlimit   # the real one is untouched
    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    server.resource.setrlimit(resource.RLIMIT_CORE, (float(soft), hard))   # no TypeError
    assert resource.getrlimit(resource.RLIMIT_CORE) == (soft, hard)


def test_worker_process_limit_runs(tmp_path):
    # Odoo's own Worker.process_limit, in a child process: it lowers that process's limits
    script = tmp_path / 'limits.py'
    script.write_text(textwrap.dedent('''
        import os, resource
        from odoo.service.server import Worker
        worker = Worker.__new__(Worker)
        worker.ppid, worker.pid = os.getppid(), os.getpid()
        worker.request_count, worker.request_max, worker.alive = 0, 100, True
        Worker.process_limit(worker)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        print(resource.getrlimit(resource.RLIMIT_CPU)[0] - (usage.ru_utime + usage.ru_stime),
              resource.getrlimit(resource.RLIMIT_AS)[0], worker.alive)
    '''))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr    # unpatched: TypeError in resource.setrlimit
    out = proc.stdout.split()
    assert 59 < float(out[0]) <= 60     # limit_time_cpu (60 s) after the CPU time already used
    assert out[1:] == [str(2560 * 1024 * 1024), 'True']   # limit_memory_hard; still alive
