# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""11.0.2.0.0: refill sync, adherence, incidents and dismissal, and the dispensing import leave
pharmacy_crm for addons of their own, which depend on it.

Before the core loads, what the features own is handed to them, then they are installed in the
same run (Odoo installs the modules left "to install" after the installed ones), so that no
record, table or column is dropped and nothing is created twice:
- the xml ids the features' files define (views, actions, menus, rules, access rights, crons,
  the staff channel, the letter, demo records), read from those files, and the company rules
  of their models (``<table>_rule_company``, made by ``pharmacy.company.rule.mixin``);
- their models and their fields, and the fields they add to the core's models (read from the
  features' Python: the names declared in a class that extends a model);
- the database constraints and many2many tables of those models and fields.
Their demo data is not loaded again (it exists); ``end-migrate.py`` restores the flag.
"""
import csv
import glob
import logging
import os
import re

from odoo.modules.module import get_module_path

_logger = logging.getLogger(__name__)

FEATURES = ('pharmacy_crm_sync', 'pharmacy_crm_adherence', 'pharmacy_crm_dismissal',
            'pharmacy_crm_import')
_XML_ID = re.compile(r'<(?:record|menuitem|template|report|act_window)\b[^>]*?\bid="(\w+)"')
_CLASS = re.compile(r'^class \w+\(', re.M)
_NAME = re.compile(r"^    _name = '([\w.]+)'", re.M)
_INHERIT = re.compile(r"^    _inherit = '([\w.]+)'", re.M)
_FIELD = re.compile(r'^    (\w+) = (?:fields\.\w+|\w+\.field_definition)\(', re.M)
# models whose fields are also those of the models that _inherits them
_DELEGATING = {'res.partner': ('res.users',)}
_PARENTS = ('_ir_actions_server', '_mail_alias', '_res_partner')
_MEMBER = re.compile(r'^    \S', re.M)
_SQL_CONSTRAINT = re.compile(r"^\s+\('(\w+)', '(?:unique|UNIQUE|check|CHECK)", re.M)


def _statement(body, start):
    """The class-level statement of ``body`` that starts at ``start`` (up to the next)."""
    following = _MEMBER.search(body, start + 1)
    return body[start:following.start() if following else len(body)]


def declarations(path):
    """What an addon's files declare: its xml ids, the models it creates, and per model it
    extends the fields and SQL constraints it adds: (xml_ids, models, {model: (fields,
    constraints)})."""
    xml_ids, models, extended = set(), set(), {}
    for name in glob.glob(os.path.join(path, '**', '*.xml'), recursive=True):
        with open(name, encoding='utf-8') as buf:
            xml_ids.update(_XML_ID.findall(buf.read()))
    for name in glob.glob(os.path.join(path, '**', '*.csv'), recursive=True):
        with open(name, encoding='utf-8') as buf:
            xml_ids.update(row[0] for row in list(csv.reader(buf))[1:] if row)
    for name in glob.glob(os.path.join(path, '**', '*.py'), recursive=True):
        if os.sep + 'tests' + os.sep in name or os.sep + 'migrations' + os.sep in name:
            continue
        with open(name, encoding='utf-8') as buf:
            text = buf.read()
        starts = [m.start() for m in _CLASS.finditer(text)] + [len(text)]
        for start, end in zip(starts, starts[1:]):
            body = text[start:end]
            created, inherited = _NAME.search(body), _INHERIT.search(body)
            if created:
                models.add(created.group(1))
            elif inherited:
                fields_, constraints = extended.setdefault(inherited.group(1), (set(), set()))
                # a field of the model it extends (selection_add) is not the addon's own
                fields_.update(m.group(1) for m in _FIELD.finditer(body)
                               if 'selection_add' not in _statement(body, m.start()))
                constraints.update(_SQL_CONSTRAINT.findall(body))
    return xml_ids, models, extended


def _module_id(cr, name):
    cr.execute('SELECT id FROM ir_module_module WHERE name = %s', [name])
    row = cr.fetchone()
    return row and row[0]


def hand_over(cr, feature):
    """Give ``feature`` what pharmacy_crm holds of it; returns the number of xml ids moved."""
    xml_ids, models, extended = declarations(get_module_path(feature))
    # the parent record of an _inherits model has an xml id of its own: a scheduled action's
    # server action, a channel's alias, a user's partner
    names = set(xml_ids) | {name + suffix for name in xml_ids for suffix in _PARENTS}
    names |= {'model_' + m.replace('.', '_') for m in models}
    # the company rule of each of its models (made by pharmacy.company.rule.mixin, not a file)
    names |= {m.replace('.', '_') + '_rule_company' for m in models}
    cr.execute("SELECT model, name FROM ir_model_fields WHERE model = ANY(%s)", [list(models)])
    model_fields = cr.fetchall()
    for model, (fields_, _constraints) in extended.items():
        for target in (model,) + _DELEGATING.get(model, ()):
            model_fields += [(target, field) for field in fields_]
    names |= {'field_%s_%s' % (model.replace('.', '_'), field) for model, field in model_fields}
    # a field's xml id may carry a suffix after a name collision
    suffixed = '^(%s)_\\d+$' % '|'.join(
        re.escape(name) for name in sorted(names) if name.startswith('field_'))
    # and every record of its models, also one its files no longer name (e.g. a demo record
    # the demo of a later version dropped)
    cr.execute("""UPDATE ir_model_data SET module = %s
                   WHERE module = 'pharmacy_crm'
                     AND (name = ANY(%s) OR name ~ %s OR model = ANY(%s))""",
               [feature, sorted(names), suffixed, sorted(models)])
    moved = cr.rowcount
    # constraints and many2many tables: of its models, and those it adds to the core's
    core, target = _module_id(cr, 'pharmacy_crm'), _module_id(cr, feature)
    cr.execute("SELECT id FROM ir_model WHERE model = ANY(%s)", [list(models)])
    model_ids = [row[0] for row in cr.fetchall()]
    tables = {model.replace('.', '_') for model in extended}
    own = ['%s_%s_fkey' % (model.replace('.', '_'), field) for model, field in model_fields]
    own += ['%s_%s' % (model.replace('.', '_'), name)
            for model, (_f, constraints) in extended.items() for name in constraints]
    cr.execute("""UPDATE ir_model_constraint SET module = %s
                   WHERE module = %s AND (model = ANY(%s) OR name = ANY(%s))""",
               [target, core, model_ids, own])
    cr.execute("""UPDATE ir_model_relation SET module = %s
                   WHERE module = %s AND model = ANY(%s)""", [target, core, model_ids])
    _logger.info('%s: %d xml ids handed over from pharmacy_crm (tables %s extended)', feature,
                 moved, ', '.join(sorted(tables)) or 'none')
    return moved


# the features' copies of their settings block in the managers' form: that form now shows the
# Settings screen's block (written once), and these views would not find their place in it
DROPPED_VIEWS = ('res_config_settings_view_form_pharmacy_sync',
                 'res_config_settings_view_form_pharmacy_adherence',
                 'res_config_settings_view_form_pharmacy_dismissal')


def drop_views(cr, names):
    """Delete the views of pharmacy_crm named ``names`` and their xml ids."""
    cr.execute("""DELETE FROM ir_ui_view WHERE id IN (
                      SELECT res_id FROM ir_model_data WHERE module = 'pharmacy_crm'
                         AND model = 'ir.ui.view' AND name = ANY(%s))""", [list(names)])
    cr.execute("""DELETE FROM ir_model_data WHERE module = 'pharmacy_crm'
                   AND model = 'ir.ui.view' AND name = ANY(%s)""", [list(names)])


def migrate(cr, version):
    if not version:
        return
    drop_views(cr, DROPPED_VIEWS)
    for feature in FEATURES:
        if not get_module_path(feature):
            continue
        hand_over(cr, feature)
        # installed in this run, after the installed modules; their demo records exist
        cr.execute("""UPDATE ir_module_module SET state = 'to install', demo = FALSE
                       WHERE name = %s AND state IN ('uninstalled', 'to install')""",
                   [feature])
