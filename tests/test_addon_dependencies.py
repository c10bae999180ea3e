"""Addons depend on one another in one direction only (issue 17): plain pytest, no database.

An addon of this repository (a directory at its root with a ``__manifest__.py``) may use what the
addons it depends on define (transitively, through the ``depends`` of the manifests, ``base``
always included), and nothing else: the core ``pharmacy_crm`` must install, run and pass its
tests without any feature addon. ``find_violations`` reads each addon's Python, XML and CSV and
reports, for an addon A:

- ``import``: ``odoo.addons.X`` (an import, or a string such as a ``patch`` target) with X an
  addon A does not depend on;
- ``model``: a model name defined (``_name`` not inherited) by an addon A does not depend on,
  appearing in a Python string or in XML/CSV text (``env['pharmacy.sync.enrollment']``,
  ``<field name="model">``, a domain, a docstring);
- ``xml id``: ``X.something`` with X an addon A does not depend on (``env.ref``,
  ``has_group``, ``ref=``, ``groups=``, a CSV ``group_id:id``), or an unqualified XML/CSV
  reference (``ref="model_pharmacy_sync_enrollment"``) that A does not define and that another
  addon A does not depend on defines;
- ``field``: the name of a field that only addons A does not depend on declare (no addon A
  depends on, nor any addon of Odoo, declares a field of that name), as a Python string
  (``'sync_state'``, ``'patient_id.sync_state'``) or in an XML attribute (``<field
  name="sync_state"/>``, a domain).

The addons of Odoo (and OCA's) are read from Odoo's addons path for their ``depends`` and the
models they define, so that naming e.g. ``mail.mass_mailing`` in an addon that does not
depend on ``mass_mailing`` is reported as well. Only Python string tokens count (not comments);
XML comments are skipped.
"""
import ast
import csv
import functools
import io
import os
import re
import tokenize
import xml.etree.ElementTree as ET

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXTENSIONS = ('.py', '.xml', '.csv')
IMPLICIT = ('base',)          # every addon depends on base (Odoo adds it)

# a dotted name as a whole: not part of a longer one (a sentence's final period is no part)
DOTTED = re.compile(r'(?<![\w.])[A-Za-z_]\w*(?:\.\w+)+?(?!\w)(?!\.\w)')
ADDON_IMPORT = re.compile(r'(?<![\w.])odoo\.addons\.(\w+)')
XML_COMMENT = re.compile(r'<!--.*?-->', re.S)
# XML attributes whose value is an xml id (or a comma-separated list of them: groups)
REF_ATTRIBUTES = ('ref', 'inherit_id', 'parent', 'action', 'groups', 't-call')
XML_ATTRIBUTE = re.compile(r'''(?:^|\s)([\w:-]+)\s*=\s*("[^"]*"|'[^']*')''')
IDENTIFIER_PATH = re.compile(r'[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*\Z')
QUOTED = re.compile(r'''['"]([a-z_][a-z0-9_.]*)['"]''')
_FIELD = re.compile(r'^\s+(\w+)\s*=\s*fields\.\w+\(', re.M)
REF_CALL = re.compile(r'''\bref\(\s*['"]([\w.]+)['"]\s*\)''')


# --- reading the addons ------------------------------------------------------------------------
def read_manifest(path):
    with open(path, encoding='utf-8') as manifest:
        return ast.literal_eval(manifest.read())


def load_addons(root):
    """{addon: {'depends': [...], 'files': {relative path: text}}} for the addons at ``root``."""
    addons = {}
    for name in sorted(os.listdir(root)):
        manifest = os.path.join(root, name, '__manifest__.py')
        if not os.path.isfile(manifest):
            continue
        files = {}
        for folder, dirs, names in os.walk(os.path.join(root, name)):
            dirs[:] = sorted(d for d in dirs if d not in ('__pycache__', 'node_modules'))
            for filename in sorted(names):
                if filename.endswith(EXTENSIONS):
                    path = os.path.join(folder, filename)
                    with open(path, encoding='utf-8') as handle:
                        files[os.path.relpath(path, os.path.join(root, name))] = handle.read()
        addons[name] = {'depends': list(read_manifest(manifest).get('depends', [])),
                        'files': files}
    return addons


_MODEL_NAME = re.compile(r'''^\s+_name\s*=\s*['"]([\w.]+)['"]''', re.M)
_INHERIT = re.compile(r'''^\s+_inherit\s*=\s*(\[[^\]]*\]|['"][\w.]+['"])''', re.M)


def load_odoo_addons(skip=()):
    """Odoo's (and OCA's) addons on Odoo's addons path: {addon: {'depends', 'models',
    'fields'}}, the models and field names found by a quick reading of ``_name``, ``_inherit``
    and ``name = fields.X(`` (no parsing). {} without Odoo."""
    try:
        import odoo.addons
    except ImportError:
        return {}
    found = {}
    for base in odoo.addons.__path__:
        for name in sorted(os.listdir(base)):
            manifest = os.path.join(base, name, '__manifest__.py')
            if name in skip or name in found or not os.path.isfile(manifest):
                continue
            models, fields = set(), set()
            for folder, dirs, names in os.walk(os.path.join(base, name)):
                dirs[:] = [d for d in dirs if d not in ('tests', 'static', '__pycache__')]
                for filename in names:
                    if filename.endswith('.py'):
                        with open(os.path.join(folder, filename), encoding='utf-8',
                                  errors='replace') as handle:
                            text = handle.read()
                        inherited = {m for value in _INHERIT.findall(text)
                                     for m in re.findall(r'[\w.]+', value)}
                        models |= set(_MODEL_NAME.findall(text)) - inherited
                        fields |= set(_FIELD.findall(text))
            found[name] = {'depends': list(read_manifest(manifest).get('depends', [])),
                           'models': models, 'fields': fields}
    return found


# --- what an addon defines ----------------------------------------------------------------------
def _strings(value):
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return [value.value]
    if isinstance(value, (ast.List, ast.Tuple)):
        return [item.value for item in value.elts
                if isinstance(item, ast.Constant) and isinstance(item.value, str)]
    return []


@functools.lru_cache(maxsize=None)
def _parse(text):
    try:
        return ast.parse(text)
    except SyntaxError:
        return None


def python_models(text):
    """(models defined, models extended) by the classes of a Python source: a ``_name`` that
    is not among the class's ``_inherit`` is defined there."""
    defined, extended = set(), set()
    tree = _parse(text)
    for node in ast.walk(tree) if tree else ():
        if not isinstance(node, ast.ClassDef):
            continue
        attrs = {}
        for statement in node.body:
            if isinstance(statement, ast.Assign):
                for target in statement.targets:
                    if isinstance(target, ast.Name) and target.id in ('_name', '_inherit'):
                        attrs[target.id] = _strings(statement.value)
        inherit = set(attrs.get('_inherit', []))
        for name in attrs.get('_name', []):
            (extended if name in inherit else defined).add(name)
        if not attrs.get('_name'):
            extended |= inherit
    return defined, extended


def python_fields(text):
    """The names of the fields the classes of a Python source declare (``name = fields.X()``)."""
    tree = _parse(text)
    return {target.id for node in (ast.walk(tree) if tree else ())
            if isinstance(node, ast.ClassDef) for statement in node.body
            if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Attribute)
            and isinstance(statement.value.func.value, ast.Name)
            and statement.value.func.value.id == 'fields'
            for target in statement.targets if isinstance(target, ast.Name)}


def _xml_root(text):
    try:
        return ET.fromstring(text.encode('utf-8'))
    except ET.ParseError:
        return None


def _csv_rows(text):
    rows = list(csv.reader(io.StringIO(text)))
    return (rows[0], rows[1:]) if rows else ([], [])


def addon_xmlids(name, files, defined, extended):
    """The xml ids an addon defines (unqualified): records, menus, templates..., the ``id``
    column of its CSV files, and the ``model_<model>`` ids Odoo generates for its models."""
    ids = {'model_' + model.replace('.', '_') for model in defined | extended}
    for path, text in files.items():
        if path.endswith('.xml'):
            root = _xml_root(text)
            for element in (root.iter() if root is not None else ()):
                xmlid = element.get('id')
                if xmlid and '.' not in xmlid:
                    ids.add(xmlid)
                elif xmlid and xmlid.split('.', 1)[0] == name:
                    ids.add(xmlid.split('.', 1)[1])
        elif path.endswith('.csv'):
            header, rows = _csv_rows(text)
            if 'id' in header:
                ids |= {row[header.index('id')] for row in rows if len(row) > header.index('id')}
    return ids


# --- where an addon names something -------------------------------------------------------------
def python_texts(text):
    """(line, text) of the string tokens of a Python source, and its imports as
    ``odoo.addons.X`` texts."""
    found = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        tokens = []
    found += [(token.start[0], token.string) for token in tokens
              if token.type == tokenize.STRING]
    tree = _parse(text)
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module + ' ' + ' '.join(
                '%s.%s' % (node.module, alias.name) for alias in node.names)))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def xml_texts(text):
    """(line, text) of an XML file without its comments (comments become blank lines)."""
    stripped = XML_COMMENT.sub(lambda m: '\n' * m.group(0).count('\n'), text)
    return [(number, line) for number, line in enumerate(stripped.split('\n'), 1)]


def xml_refs(text):
    """(line, xml id) of the references of an XML file: ref-like attributes and ``ref('...')``
    in any attribute (an attribute's value on one line, as the addons write them)."""
    refs = []
    for line, string in xml_texts(text):
        for match in XML_ATTRIBUTE.finditer(string):
            attribute, value = match.group(1), match.group(2)[1:-1]
            if attribute in REF_ATTRIBUTES:
                refs += [(line, ref.strip().lstrip('!')) for ref in value.split(',')
                         if ref.strip()]
            refs += [(line, ref) for ref in REF_CALL.findall(value)]
    return refs


def python_names(text):
    """(line, name) of the identifiers a Python source names in its strings: a string that is
    an identifier or a dotted path of them gives each (``'patient_id.sync_state'``)."""
    found = []
    for line, token in python_texts(text):
        try:
            value = ast.literal_eval(token)
        except (ValueError, SyntaxError):
            continue
        if isinstance(value, str) and IDENTIFIER_PATH.match(value):
            found += [(line, name) for name in value.split('.')]
    return found


def xml_names(text):
    """(line, name) of the identifiers in the attributes of an XML file: a value that is an
    identifier path, and the quoted ones inside a value (a domain, a context)."""
    found = []
    for line, string in xml_texts(text):
        for match in XML_ATTRIBUTE.finditer(string):
            value = match.group(2)[1:-1]
            paths = [value] if IDENTIFIER_PATH.match(value) else QUOTED.findall(value)
            found += [(line, name) for path in paths for name in path.split('.')]
    return found


def csv_refs(text):
    """(line, xml id) of the cells of the ``...:id`` and ``.../id`` columns of a CSV file."""
    header, rows = _csv_rows(text)
    columns = [i for i, title in enumerate(header)
               if title.endswith((':id', '/id')) and title != 'id']
    return [(number, ref.strip()) for number, row in enumerate(rows, 2) for i in columns
            if i < len(row) for ref in row[i].split(',') if ref.strip()]


# --- the checker --------------------------------------------------------------------------------
def closure(name, depends):
    """``name`` and every addon it depends on, transitively (``base`` always)."""
    seen, todo = set(), [name, *IMPLICIT]
    while todo:
        addon = todo.pop()
        if addon not in seen:
            seen.add(addon)
            todo += depends.get(addon, [])
    return seen


def find_violations(addons, odoo_addons=None):
    """Sorted (addon, path, line, kind, what) of every reference from an addon to an addon it
    does not depend on. ``addons`` as ``load_addons`` gives them, ``odoo_addons`` as
    ``load_odoo_addons`` (the addons outside the repository)."""
    odoo_addons = odoo_addons or {}
    depends = {name: info['depends'] for name, info in odoo_addons.items()}
    depends.update({name: info['depends'] for name, info in addons.items()})
    known = set(depends)
    owner = {}   # model -> the addon that defines it
    for name, info in odoo_addons.items():
        for model in info['models']:
            owner.setdefault(model, name)
    defined_ids, declared = {}, {}   # declared: field name -> the addons that declare it
    for name, info in odoo_addons.items():
        for field in info.get('fields', ()):
            declared.setdefault(field, set()).add(name)
    for name, info in addons.items():
        defined, extended = set(), set()
        for path, text in info['files'].items():
            if path.endswith('.py'):
                new, old = python_models(text)
                defined |= new
                extended |= old
                for field in python_fields(text):
                    declared.setdefault(field, set()).add(name)
        for model in defined:
            owner[model] = name
        defined_ids[name] = addon_xmlids(name, info['files'], defined, extended)

    found = set()
    for name, info in addons.items():
        allowed = closure(name, depends)

        def check(path, line, text):
            for addon in ADDON_IMPORT.findall(text):
                if addon in known and addon not in allowed:
                    found.add((name, path, line, 'import', 'odoo.addons.' + addon))
            for dotted in DOTTED.findall(text):
                if dotted in owner:
                    if owner[dotted] not in allowed:
                        found.add((name, path, line, 'model',
                                   '%s (of %s)' % (dotted, owner[dotted])))
                    continue
                prefix = dotted.split('.', 1)[0]
                if dotted.count('.') == 1 and prefix in known and prefix not in allowed:
                    found.add((name, path, line, 'xml id', dotted))

        def check_ref(path, line, ref):
            if '.' in ref:
                check(path, line, ref)
                return
            if ref in defined_ids[name]:
                return
            others = sorted(other for other, ids in defined_ids.items()
                            if other not in allowed and ref in ids)
            if others:
                found.add((name, path, line, 'xml id', '%s (of %s)' % (ref, others[0])))

        def check_name(path, line, field):
            owners = declared.get(field)
            if owners and not owners & allowed and not owners & set(odoo_addons):
                found.add((name, path, line, 'field', '%s (of %s)' % (
                    field, ', '.join(sorted(owners)))))

        for path, text in info['files'].items():
            if path.endswith('.py'):
                for line, string in python_texts(text):
                    check(path, line, string)
                for line, field in python_names(text):
                    check_name(path, line, field)
            elif path.endswith('.xml'):
                for line, string in xml_texts(text):
                    check(path, line, string)
                for line, ref in xml_refs(text):
                    check_ref(path, line, ref)
                for line, field in xml_names(text):
                    check_name(path, line, field)
            elif path.endswith('.csv'):
                for line, string in enumerate(text.split('\n'), 1):
                    check(path, line, string)
                for line, ref in csv_refs(text):
                    check_ref(path, line, ref)
    return sorted(found)


def describe(violations):
    return '\n'.join('%s/%s:%d: %s %s' % violation for violation in violations)


# --- the tests ----------------------------------------------------------------------------------
@pytest.fixture(scope='module')
def repository():
    addons = load_addons(ROOT)
    assert {'pharmacy_crm', 'pharmacy_crm_sync'} <= set(addons), 'no addon found in ' + ROOT
    return addons


@pytest.fixture(scope='module')
def odoo_addons(repository):
    return load_odoo_addons(skip=set(repository))


def test_every_addon_depends_on_what_it_uses(repository, odoo_addons):
    violations = find_violations(repository, odoo_addons)
    assert not violations, (
        'an addon uses an addon it does not depend on (add the dependency, or move the code '
        'to the addon that owns it and offer a hook):\n' + describe(violations))


def test_odoo_addons_are_read(odoo_addons):
    """The addons outside the repository are known, with their models: else the checks on
    them would pass without looking."""
    if not odoo_addons:
        pytest.skip('Odoo is not importable: only the repository\'s addons are checked')
    assert 'mail.thread' in odoo_addons['mail']['models']
    assert 'mail.mass_mailing' in odoo_addons['mass_mailing']['models']
    assert 'res.partner' in odoo_addons['base']['models']
    assert 'mail' in odoo_addons['mass_mailing']['depends']


def _fake(core_files=None, feature_files=None):
    """Two addons in memory: ``core``, and ``feature`` that depends on it."""
    core = {'__manifest__.py': "{'depends': ['mail']}",
            'models/core_thing.py': "class CoreThing(models.Model):\n"
                                    "    _name = 'core.thing'\n"
                                    "    name = fields.Char()\n",
            'security/core_security.xml': '<odoo><record id="group_core" model="res.groups"/>'
                                          '</odoo>'}
    feature = {'models/feature_thing.py': "class FeatureThing(models.Model):\n"
                                          "    _name = 'feature.thing'\n"
                                          "    _inherit = ['core.thing']\n"
                                          "    name = fields.Char()\n"
                                          "    mail_thing = fields.Char()\n",
               'models/core_thing.py': "class CoreThing(models.Model):\n"
                                       "    _inherit = 'core.thing'\n"
                                       "    other_id = fields.Many2one('feature.thing')\n",
               'views/feature_views.xml': '<odoo><record id="feature_view_form" '
                                          'model="ir.ui.view"><field name="inherit_id" '
                                          'ref="core.core_thing_view_form"/></record></odoo>',
               'security/ir.model.access.csv':
                   'id,name,model_id:id,group_id:id\n'
                   'access_feature_thing,feature,model_feature_thing,core.group_core\n'}
    core.update(core_files or {})
    feature.update(feature_files or {})
    return {'core': {'depends': ['mail'], 'files': core},
            'feature': {'depends': ['core'], 'files': feature}}


ODOO = {'mail': {'depends': ['base'], 'models': {'mail.thread'}, 'fields': {'mail_thing'}},
        'base': {'depends': [], 'models': {'res.partner'}},
        'mass_mailing': {'depends': ['mail'], 'models': {'mail.mass_mailing'}}}


def test_a_feature_may_use_the_core():
    assert find_violations(_fake(), ODOO) == []


@pytest.mark.parametrize('path, text, expected', [
    ('models/core_thing.py', "class X:\n    def f(self):\n"
                             "        return self.env['feature.thing'].search([])\n",
     [(3, 'model', 'feature.thing (of feature)')]),
    ('models/core_thing.py', "from odoo.addons.feature.models import feature_thing\n",
     [(1, 'import', 'odoo.addons.feature')]),
    ('models/core_thing.py', "PATCH = 'odoo.addons.mass_mailing.models.x'\n",
     [(1, 'import', 'odoo.addons.mass_mailing')]),
    ('models/core_thing.py', "def f(env):\n    return env.ref('feature.feature_view_form')\n",
     [(2, 'xml id', 'feature.feature_view_form')]),
    ('models/core_thing.py', "def f(env):\n    \"\"\"See mail.mass_mailing.\"\"\"\n",
     [(2, 'model', 'mail.mass_mailing (of mass_mailing)')]),
    ('views/core_views.xml', '<odoo>\n<record id="x" model="ir.ui.view">\n'
                             '<field name="model">feature.thing</field></record></odoo>',
     [(3, 'model', 'feature.thing (of feature)')]),
    ('views/core_views.xml', '<odoo>\n<menuitem id="m" action="feature.action_x" '
                             'groups="!base.group_portal,mass_mailing.group_user"/></odoo>',
     [(2, 'xml id', 'feature.action_x'), (2, 'xml id', 'mass_mailing.group_user')]),
    ('security/ir.model.access.csv', 'id,name,model_id:id,group_id:id\n'
                                     'access_x,x,model_feature_thing,group_core\n',
     [(2, 'xml id', 'model_feature_thing (of feature)')]),
    ('views/core_views.xml', '<odoo>\n<record id="y" model="ir.ui.view">\n<field '
                             'name="inherit_id" ref="feature_view_form"/></record></odoo>',
     [(3, 'xml id', 'feature_view_form (of feature)')]),
    ('tests/test_core.py', "def test(self):\n    self.thing.read(['name', 'other_id'])\n"
                           "    self.thing.search([('other_id.name', '=', 'x')])\n",
     [(2, 'field', 'other_id (of feature)'), (3, 'field', 'other_id (of feature)')]),
    ('views/core_views.xml', '<odoo>\n<field name="other_id"/>\n'
                             '<field name="x" domain="[(\'other_id\', \'!=\', False)]"/>'
                             '</odoo>',
     [(2, 'field', 'other_id (of feature)'), (3, 'field', 'other_id (of feature)')]),
])
def test_the_core_naming_a_feature_fails(path, text, expected):
    violations = find_violations(_fake(core_files={path: text}), ODOO)
    assert violations == [('core',  path) + item for item in expected]


def test_what_is_not_a_reference_passes():
    """Comments, the core's own ids, Odoo's addons the core depends on, module names without
    a dot, sentences, and field names the core or Odoo declares too are no references."""
    core_files = {
        'models/core_other.py': "# self.env['feature.thing'] in a comment\n"
                                "NAMES = ['name', 'mail_thing']  # the core's, Odoo's\n"
                                "FEATURES = ('feature',)\n"
                                "X = 'mail.thread', 'base.group_user', 'e.g. the core.'\n",
        'views/core_views.xml': '<odoo><!-- feature.thing -->\n<record id="core_thing_view_form"'
                                ' model="ir.ui.view"><field name="inherit_id" '
                                'ref="mail.view"/></record></odoo>',
    }
    assert find_violations(_fake(core_files=core_files), ODOO) == []


def test_the_repository_with_a_fake_core_file_naming_a_feature_fails(repository, odoo_addons):
    """The real tree, with one more core file that names a model of refill sync: found."""
    addons = {name: dict(info, files=dict(info['files']))
              for name, info in repository.items()}
    addons['pharmacy_crm']['files']['models/fake.py'] = (
        "def fake(env):\n    return env['pharmacy.sync.enrollment'].search_count([])\n")
    violations = [v for v in find_violations(addons, odoo_addons) if v[1] == 'models/fake.py']
    assert violations == [('pharmacy_crm', 'models/fake.py', 2, 'model',
                           'pharmacy.sync.enrollment (of pharmacy_crm_sync)')]
