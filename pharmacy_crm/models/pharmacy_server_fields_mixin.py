# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from lxml import etree

from odoo import _, api, models
from odoo.exceptions import UserError

from .pharmacy_validation_mixin import class_cache, declared_names, model_label

SERVER_WRITE = 'pharmacy_server_write'   # the context key of a ``ServerWrite`` marker
DATA_LOAD = 'pharmacy_data_load'         # the context key of a ``DataLoad`` marker
# the context key a kanban view grouped by a state field gives its writes: a card dragged to
# another column performs the action that leads there (see ``_pharmacy_state_drag``)
STATE_DRAG = 'pharmacy_state_drag'


class ServerWrite(object):
    """The context marker of ``_pharmacy_server_write``: the model and the fields the server
    writes. Only Python code can make one: a JSON-RPC or XML-RPC client sends strings, numbers,
    booleans, lists and mappings, never an instance of this class, whatever context it gives."""

    __slots__ = ('model', 'names')

    def __init__(self, model, names):
        self.model = model
        self.names = frozenset(names)

    def __repr__(self):
        return 'ServerWrite(%r, %r)' % (self.model, sorted(self.names))


class DataLoad(object):
    """The context marker of the module's data files being loaded (``ir.model.data._update``,
    see ``models/ir_model_data.py``): data and demo records are created in the state they
    describe. No RPC client can send it (see ``ServerWrite``)."""

    __slots__ = ()


def declared_states(model):
    """The state fields of ``model`` and their transitions, from the
    ``_pharmacy_state_actions`` of every class of the model (each addon declares its own
    actions, and they add up, as ``declared_names``):
    ``{field: {action: (frozenset(from states), to state, model name)}}``."""
    cache = class_cache(model)
    if '_pharmacy_state_actions' not in cache:
        merged = {}
        for base in reversed(type(model).__mro__):
            for name, actions in vars(base).get('_pharmacy_state_actions', {}).items():
                for action, transition in actions.items():
                    sources, target = transition[:2]
                    sources = (sources,) if isinstance(sources, str) else sources
                    merged.setdefault(name, {})[action] = (
                        frozenset(sources), target,
                        transition[2] if len(transition) > 2 else model._name)
        cache['_pharmacy_state_actions'] = merged
    return cache['_pharmacy_state_actions']


def declared_create_states(model, name):
    """The states a new record may be created in for the state field ``name``: its default
    and those the classes of ``model`` declare in ``_pharmacy_state_create``."""
    cache = class_cache(model)
    key = ('_pharmacy_state_create', name)
    if key not in cache:
        states = set()
        for base in type(model).__mro__:
            states.update(vars(base).get('_pharmacy_state_create', {}).get(name, ()))
        cache[key] = frozenset(states)
    field = model._fields[name]
    default = field.default(model) if callable(field.default) else field.default
    return cache[key] | {default}


class PharmacyServerFieldsMixin(models.AbstractModel):
    """Fields only the server writes, and the one way it writes them.

    The server fields of a model are the names its classes declare in
    ``_pharmacy_server_fields`` (each addon its own, see ``declared_names``) and, when
    ``_pharmacy_refuse_computed`` (patient data, ``pharmacy.phi.mixin``), its related fields and
    its computed fields without an inverse. ``create`` and ``write`` refuse them
    (``_pharmacy_check_server_fields``, a UserError naming them). The server writes them with
    ``_pharmacy_server_write``: an ORM write, so that the access rights and record rules of the
    environment's user, tracking, the access log and recomputation apply as to any write.
    """

    _name = 'pharmacy.server.fields.mixin'
    _description = 'Fields Written by the Pharmacy Server'
    _pharmacy_server_fields = ()      # plain fields only the server writes
    _pharmacy_refuse_computed = False   # also refuse related and computed fields
    # The state fields of the model, their transitions and the action performing each:
    # ``{field: {action: (from state(s), to state[, model of the action])}}``, each addon its
    # own actions (they add up, see ``declared_states``). A client never writes a state field
    # (a UserError names the actions that lead to the state asked); the action checks the
    # states it starts from and writes through ``_pharmacy_state_transition``. The model of
    # the action is given when another model performs it (a dismissal sets the patient's
    # status). A key starting with ``_`` is a transition the server makes on its own (e.g.
    # a scheduled action).
    _pharmacy_state_actions = {}
    # ``{field: states}``: the states a record may be created in besides the field's default
    _pharmacy_state_create = {}

    def toggle_active(self):
        """Archive or unarchive (Odoo's button), answering True: an RPC client gets a value."""
        super().toggle_active()
        return True

    def copy_data(self, default=None):
        """A copy starts in the state a new record starts in (not the original's: a state
        changes by its actions), unless ``default`` gives one."""
        result = super().copy_data(default)
        names = set(declared_states(self)) - set(default or {})
        for vals in result:
            for name in names:
                vals.pop(name, None)
        return result

    def _pharmacy_server_write(self, vals):
        """Write ``vals``, server fields included, on these records as the environment's user
        (whose access rights and record rules apply: call it on ``sudo()`` records where the
        server acts for a user who may not write them). Returns True."""
        return self.with_context(**{SERVER_WRITE: ServerWrite(self._name, vals)}).write(vals)

    def _pharmacy_server_writing(self):
        """Whether the current write is a ``_pharmacy_server_write`` of this model."""
        marker = self.env.context.get(SERVER_WRITE)
        return isinstance(marker, ServerWrite) and marker.model == self._name

    @api.model
    def _pharmacy_check_server_fields(self, vals):
        """Refuse (UserError) the server fields in ``vals``, except those the current
        ``_pharmacy_server_write`` of this model writes, and the state fields written by a
        client (``_pharmacy_check_state_fields``)."""
        self._pharmacy_check_state_fields(vals)
        marker = self.env.context.get(SERVER_WRITE)
        allowed = marker.names if self._pharmacy_server_writing() else frozenset()
        server = declared_names(self, '_pharmacy_server_fields')
        names = [name for name in vals if name not in allowed and (name in server or (
            self._pharmacy_refuse_computed and name in self._fields and (
                self._fields[name].related or (
                    self._fields[name].compute and not self._fields[name].inverse))))]
        if names:
            raise UserError(_(
                '%(fields)s of %(model)s cannot be set: the pharmacy computes them. Change '
                'the values they come from instead (e.g. the patient or the prescription).')
                % {'fields': ', '.join(self._fields[n].string for n in names),
                   'model': self._description})
        return True

    # --- state fields: changed by their actions only ------------------------------------
    @api.model
    def _pharmacy_check_state_fields(self, vals):
        """Refuse (UserError naming the actions to use) a state field in ``vals`` unless the
        server writes it (``_pharmacy_state_transition``, ``_pharmacy_server_write``) or the
        module's data is loaded. A new record may start in the field's default state (or a
        declared ``_pharmacy_state_create``); writing the state a record already has is no
        change, unless the field is read-only. ``self`` holds the records written, none on
        create."""
        states = declared_states(self)
        names = [name for name in vals if name in states]
        if not names or isinstance(self.env.context.get(DATA_LOAD), DataLoad):
            return True
        marker = self.env.context.get(SERVER_WRITE)
        allowed = marker.names if self._pharmacy_server_writing() else frozenset()
        for name in names:
            value = vals[name]
            if name in allowed:
                continue
            if not self and value in declared_create_states(self, name):
                continue
            # who may not write these records hears that first (and nothing of their state)
            self.check_access_rights('write' if self else 'create')
            if self:
                self.check_access_rule('write')
            current = set(self.sudo().mapped(name)) if self else set()
            if self and current == {value} and not self._fields[name].readonly:
                continue   # no change (a read-only state is the server's, even unchanged)
            raise UserError(self._pharmacy_state_message(name, value, current))
        return True

    @api.model
    def _pharmacy_state_message(self, name, value, current):
        """Why ``name`` cannot be set to ``value`` by a write, naming the actions to use."""
        field = self._fields[name]
        labels = dict(field._description_selection(self.env))
        actions = declared_states(self)[name]
        leading = [action for action, (sources, target, _model) in sorted(actions.items())
                   if target == value and (not current or current & sources)]
        params = {'field': field._description_string(self.env), 'model': model_label(self),
                  'state': labels.get(value, value)}
        if leading:
            params['actions'] = ', '.join(self._pharmacy_action_label(actions, action)
                                          for action in leading)
            return _('%(field)s of a %(model)s changes only through its actions: to make it '
                     '%(state)s, use %(actions)s.') % params
        params['actions'] = ', '.join(self._pharmacy_action_label(actions, action)
                                      for action in sorted(actions)) or _('none')
        return _('%(field)s of a %(model)s changes only through its actions, and none makes '
                 'it %(state)s from its current state. Its actions: %(actions)s.') % params

    @api.model
    def _pharmacy_action_label(self, actions, action):
        """An action as the message names it: the label of its button (as the user's views
        show it) and its method, e.g. "Confirm (pharmacy.sync.appointment.action_confirm)";
        a key starting with ``_`` is the server's own (a scheduled action)."""
        model = actions[action][2]
        if action.startswith('_'):
            return _('the pharmacy\'s scheduled action (%(method)s)') % {
                'method': '%s.%s' % (model, action)}
        label = None
        views = self.env['ir.ui.view'].sudo().search([
            ('model', '=', model), ('arch_db', 'like', 'name="%s"' % action)])
        for view in views:
            arch = etree.fromstring(view.arch_db.encode())
            buttons = arch.xpath('//button[@name=$name][@type="object"][@string]', name=action)
            if buttons:
                label = buttons[0].get('string')
                break
        label = label or action.replace('action_', '', 1).replace('_', ' ').capitalize()
        return '"%s" (%s.%s)' % (label, model, action)

    def _pharmacy_state_transition(self, action, vals=None):
        """Perform the transition ``action`` declares on these records: each must be in one
        of its starting states (else a UserError), then the state and ``vals`` are written
        through ``_pharmacy_server_write`` (as the environment's user). Returns True."""
        for name, actions in declared_states(self).items():
            if action in actions:
                break
        else:
            raise KeyError('%s declares no state action %s' % (self._name, action))
        sources, target, _model = actions[action]
        wrong = self.sudo().filtered(lambda record: record[name] not in sources)
        if wrong:
            labels = dict(self._fields[name]._description_selection(self.env))
            raise UserError(_(
                '%(action)s does not apply to %(records)s: it makes a %(model)s %(target)s '
                'from %(sources)s only (%(field)s now: %(states)s).') % {
                    'action': self._pharmacy_action_label(actions, action),
                    'records': ', '.join(wrong.mapped('display_name')),
                    'model': model_label(self), 'target': labels[target],
                    'sources': ', '.join(labels[s] for s in sorted(sources)),
                    'field': self._fields[name]._description_string(self.env),
                    'states': ', '.join(sorted({labels[s] for s in wrong.mapped(name)}))})
        if not self:
            return True
        self._pharmacy_server_write(dict(vals or {}, **{name: target}))
        # the write ran in the marker's environment: what it recomputed (e.g. a prescription's
        # dates after a fill's return) is read again here, not from this environment's cache
        self.invalidate_cache()
        return True

    def _pharmacy_dragged_state(self, vals):
        """``(field, state)`` when ``vals`` is a kanban card dragged to the column of another
        state (a write of one state field in a ``STATE_DRAG`` context), else None."""
        if not (self and self.env.context.get(STATE_DRAG) and isinstance(vals, dict)
                and len(vals) == 1 and not self._pharmacy_server_writing()):
            return None
        [(name, value)] = vals.items()
        return (name, value) if name in declared_states(self) else None

    def _pharmacy_state_drag(self, name, value):
        """A card dragged to the column ``value``: the one action that leads there from the
        card's state is performed (with its rules) if it needs nothing more; else a
        UserError names the actions to use. Returns True."""
        records = self.filtered(lambda record: record[name] != value)
        actions = declared_states(self)[name]
        current = set(records.mapped(name))
        leading = {action for action, (sources, target, model) in actions.items()
                   if target == value and model == self._name and not action.startswith('_')
                   and current and current <= sources}
        if len(leading) != 1:
            raise UserError(self._pharmacy_state_message(name, value, current))
        action = leading.pop()
        result = getattr(records.with_context(**{STATE_DRAG: False}), action)()
        if isinstance(result, dict) and result.get('type') != 'ir.actions.act_window_close':
            # the action asks for more (a wizard, a form): done with its button only
            raise UserError(self._pharmacy_state_message(name, value, current))
        return True
