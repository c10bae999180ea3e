# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, models
from odoo.exceptions import ValidationError

from ..tools import values as checks


class PharmacyValidationMixin(models.AbstractModel):
    """Values are checked against their field before they reach the database.

    ``create`` and ``write`` refuse, with a ValidationError naming the field, the value
    (shortened) and what is expected: values that are not a mapping, unknown fields (see
    ``_pharmacy_refuse_unknown_fields``), wrong
    types, integers beyond PostgreSQL's ``integer``, non-finite or huge floats, impossible
    dates or years outside 1900-2100, text longer than the field allows, unknown selection
    keys, many2one ids that do not exist or do not satisfy the field's domain, malformed
    x2many commands. List this mixin FIRST in ``_inherit`` so that the check runs before
    ``mail.thread`` and the other parents look at the values; a model's own ``create`` or
    ``write`` that reads ``vals`` before ``super()`` calls ``_pharmacy_check_values`` itself or
    uses the ``_pharmacy_prepare_vals`` hook.

    On create, the defaults a client chose (``default_<field>`` keys of the context, the
    ``ir.default`` values a user may set) reach the record as values do: they are checked and
    prepared with the values (see ``check_values``), so that no rule and no server-owned field
    is bypassed through them. The defaults a field declares are the server's.
    """

    _name = 'pharmacy.validation.mixin'
    _description = 'Validated Pharmacy Values'
    _pharmacy_validated_fields = None   # None: every field; else the names to check
    # An unknown field is refused on the pharmacy's own models: only the pharmacy's code and
    # clients write them, and a misspelled or obsolete name there is clinical data lost in
    # silence. A model the pharmacy shares with every addon (res.partner) or Odoo's own (the
    # chatter's lines) leaves it to Odoo, which drops it with its warning: other addons send
    # their obsolete keys there (OCA's privacy_consent sends ``notify_email``).
    _pharmacy_refuse_unknown_fields = True

    @api.model
    def create(self, vals):
        vals = self._pharmacy_check_values(vals)   # the client's defaults included
        missing = [field._description_string(self.env) for name, field in self._fields.items()
                   if field.required and field.store and not field.compute
                   and name not in vals and field.default is None]
        if missing:
            raise ValidationError(_('%(fields)s of a new %(model)s: required, please fill '
                                    'them in.') % {'fields': ', '.join(missing),
                                                   'model': model_label(self)})
        vals = self._pharmacy_prepare_vals(vals)
        return super().create(vals)

    def write(self, vals):
        if not self:
            # as Odoo does: nothing to write. (The checks below would take an empty ``self``
            # for a create and add the context's ``default_*`` values.)
            return True
        vals = self._pharmacy_check_values(vals)
        vals = self._pharmacy_prepare_vals(vals)
        return super().write(vals)

    def toggle_active(self):
        """Archive or unarchive (Odoo's button), answering True: an RPC client gets a value."""
        super().toggle_active()
        return True

    @api.model
    def _pharmacy_prepare_vals(self, vals):
        """Hook: check or change the checked ``vals`` before they are written and return
        them (``self`` is the records written, empty on create)."""
        return vals

    @api.model
    def _pharmacy_check_values(self, vals):
        return check_values(self, vals, declared_names(self, '_pharmacy_validated_fields'))


def declared_names(model, attr):
    """The field names ``attr`` (``_pharmacy_validated_fields``, ``_pharmacy_server_fields``)
    declared by every class of ``model``: each addon that extends a model declares only its own
    names, and they add up (a plain class attribute would keep the last addon's only). None
    when no class gives names but one declares None (every field)."""
    klass = type(model)
    cache = class_cache(model)
    if attr not in cache:
        values = [vars(base)[attr] for base in klass.__mro__ if attr in vars(base)]
        names = [value for value in values if value is not None]
        cache[attr] = frozenset().union(*names) if names or not values else None
    return cache[attr]


def class_cache(model):
    """A dict cached on the registry's class of ``model``, for what its classes declare.
    Cached per class hierarchy: while modules load, Odoo 11 gives the registry's class the
    bases of each new addon (a new ``__bases__`` tuple), and what is declared must follow."""
    klass = type(model)
    bases, cache = klass.__dict__.get('_pharmacy_declared_names') or (None, None)
    if bases is not klass.__bases__:
        cache = {}
        setattr(klass, '_pharmacy_declared_names', (klass.__bases__, cache))
    return cache


def check_values(self, vals, names=None):
    """Return a checked copy of ``vals`` for the model ``self``, or raise ValidationError.

    ``names``: the fields to check (all when None). The model is named ``self`` so that
    ``_()`` finds the user's language. A key that is no field of the model is refused when the
    model's ``_pharmacy_refuse_unknown_fields`` is true (the pharmacy's models), else left in
    the values for Odoo, which drops it with its warning ("includes unknown fields"), as for
    any addon's model; a key that is not a string is refused (Odoo would fail on it).

    On create (``self`` holds no record), the defaults the client chose for the fields
    missing from ``vals`` (``given_defaults``, for the fields in ``names`` and the model's
    ``_pharmacy_server_fields``) are checked like the values and returned with them: the
    model's own create then sees them as values, so that its rules and its refusal of
    server-owned fields hold for defaults too. Odoo would have added them to the values
    anyway, but after the model's create had looked at the values.
    """
    checked = _check_fields(self, vals, names)
    if not self:
        concerned = None if names is None else set(names) | declared_names(
            self, '_pharmacy_server_fields')
        defaults = given_defaults(self, checked, concerned)
        if defaults:
            checked = dict(_check_fields(self, defaults, names), **checked)
    return checked


def _check_fields(self, vals, names):
    if not isinstance(vals, dict):
        raise ValidationError(_(
            'Values of a %(model)s must be given as a mapping {field name: value}, not '
            '%(value)s.') % {'model': model_label(self), 'value': checks.shorten(vals)})
    checked = dict(vals)
    refuse_unknown = getattr(self, '_pharmacy_refuse_unknown_fields', False)
    for name, value in vals.items():
        field = self._fields.get(name) if isinstance(name, str) else None
        if field is None and isinstance(name, str) and not refuse_unknown:
            continue   # not the pharmacy's: Odoo drops it with its warning
        if field is None:
            raise ValidationError(_('%(model)s has no field %(name)s.') % {
                'model': model_label(self), 'name': checks.shorten(name)})
        if names is not None and name not in names:
            continue
        try:
            checked[name] = _check_value(self, field, value)
            blank = value is False or value is None or (
                isinstance(value, str) and not value.strip())
            if field.required and not field.compute and field.type != 'boolean' and blank:
                raise checks.InvalidValue('required')
        except checks.InvalidValue as err:
            raise ValidationError(_('%(field)s of %(model)s: %(value)s is not valid: '
                                    '%(expected)s.') % {
                'field': field._description_string(self.env), 'model': model_label(self),
                'value': checks.shorten(value),
                'expected': _expected(self, field, err)})
    return checked


def given_defaults(self, vals, names=None):
    """The defaults a client chose for the fields of ``self`` missing from ``vals``, as values
    to create with: ``default_<field>`` keys of the context, else the ``ir.default`` values
    that apply to the user (Odoo's ``default_get`` order). A list of ids for a many2many and
    a list of dicts for a one2many become commands, as Odoo makes them. ``names``: the fields
    concerned (all when None). Odoo's log fields (id, create and write uid and date) are
    ignored: Odoo drops them."""
    if not isinstance(vals, dict):
        return {}
    context = self.env.context
    chosen = {key[8:]: value for key, value in context.items()
              if isinstance(key, str) and key.startswith('default_')}
    for name, value in self.env['ir.default'].get_model_defaults(self._name).items():
        chosen.setdefault(name, value)
    defaults = {}
    for name, value in chosen.items():
        field = self._fields.get(name)
        if field is None or name in vals or name in models.MAGIC_COLUMNS or (
                names is not None and name not in names):
            continue
        if isinstance(value, list) and value and field.type == 'many2many' and all(
                type(i) is int for i in value):
            value = [(6, 0, value)]
        elif isinstance(value, list) and value and field.type == 'one2many' and all(
                isinstance(v, dict) for v in value):
            value = [(0, 0, v) for v in value]
        defaults[name] = value
    return defaults


def _check_value(self, field, value):
    kind = field.type
    if kind == 'boolean':
        return checks.check_boolean(value)
    if kind == 'integer':
        return checks.check_integer(value)
    if kind in ('float', 'monetary'):
        return checks.check_float(value)
    if kind == 'date':
        return checks.check_date(value)
    if kind == 'datetime':
        return checks.check_datetime(value)
    if kind == 'char':
        return checks.check_text(value, field.size or checks.CHAR_SIZE)
    if kind in ('text', 'html'):
        return checks.check_text(value, checks.TEXT_SIZE)
    if kind == 'selection':
        return checks.check_selection(value, field.get_values(self.env))
    if kind == 'many2one':
        if isinstance(value, models.BaseModel) and len(value) <= 1:
            value = value.id
        value = checks.check_record_id(value)
        if value:
            _check_target(self, field, [value])
        return value
    if kind in ('one2many', 'many2many'):
        ids = checks.check_commands(value)
        if _is_document_lines(self, field):
            _check_document_commands(self, field, value)
        elif ids:
            _check_target(self, field, ids, with_domain=False)
        return value
    return value


def _is_document_lines(self, field):
    """A one2many whose inverse is an integer ``res_id`` and not a many2one: the chatter's
    messages, followers and activities of a record."""
    return field.type == 'one2many' and (
        self.env[field.comodel_name]._fields[field.inverse_name].type != 'many2one')


def _check_document_commands(self, field, commands):
    """Only the two commands Odoo's mail code sends are taken: create a line, (0, 0, values),
    and update one of this record's lines, (1, id, values). Odoo 11 fails on the integer
    ``res_id`` with (3, id), (5,) and (6, 0, ids) (an AttributeError), (4, id) would move a
    line from another document and (2, id) delete one, which the chatter does by its own
    actions (unfollow, mark done). The values of a line are checked as those of a record of
    its model (types, existing records, required fields)."""
    comodel = self.env[field.comodel_name]
    for command in commands or []:
        if command[0] not in (0, 1):
            raise checks.InvalidValue('document_commands')
        code, line_id, vals = command[:3]
        if code == 1:   # a line of this record: its res_id and, by the domain, its model
            domain = field.domain(self) if callable(field.domain) else field.domain or []
            if not comodel.sudo().search_count([
                    ('id', '=', line_id), (field.inverse_name, 'in', self.ids or [0])] + domain):
                raise checks.InvalidValue('document_line')
        try:
            _check_fields(comodel, vals, None)
        except ValidationError as err:
            raise checks.InvalidValue('document_value', message=err.name) from None
        missing = code == 0 and [
            sub.string for name, sub in comodel._fields.items()
            if sub.required and sub.store and not sub.compute and sub.default is None
            and name != field.inverse_name and name not in vals]
        if missing:
            raise checks.InvalidValue('document_required', fields=', '.join(missing),
                                      model=comodel._description)


def _check_target(self, field, ids, with_domain=True):
    """The records exist (archived ones included) and satisfy the field's domain."""
    comodel = self.env[field.comodel_name].sudo().with_context(active_test=False)
    ids = set(ids)
    if len(comodel.search([('id', 'in', list(ids))])) != len(ids):
        raise checks.InvalidValue('missing')
    domain = field.domain if with_domain and isinstance(field.domain, list) else []
    if domain and len(comodel.search([('id', 'in', list(ids))] + domain)) != len(ids):
        raise checks.InvalidValue('domain', domain=domain)


def _expected(self, field, err):
    """What the field expects, in the user's language."""
    params = err.params
    if err.code == 'selection':
        return _('expected one of %s') % ', '.join(
            '"%s"' % label for _k, label in field._description_selection(self.env))
    if err.code == 'domain':
        comodel = self.env[field.comodel_name]
        rules = [
            '%s %s %s' % (comodel._fields[leaf[0]].string, leaf[1], leaf[2])
            if isinstance(leaf, (list, tuple)) and leaf[0] in comodel._fields else str(leaf)
            for leaf in params['domain']]
        return _('a %(model)s here must satisfy: %(rules)s') % {
            'model': comodel._description, 'rules': ', '.join(rules)}
    if err.code == 'missing':
        return _('no %s has this id') % self.env[field.comodel_name]._description
    if err.code == 'record_id':
        return _('expected the id (a positive whole number) of a %s') % (
            self.env[field.comodel_name]._description)
    messages = {
        'boolean': _('expected true or false'),
        'integer': _('expected a whole number between %(minimum)s and %(maximum)s'),
        'float': _('expected a finite number between -%(limit)g and %(limit)g'),
        'date': _('expected a real date written YYYY-MM-DD'),
        'datetime': _('expected a real date and time written YYYY-MM-DD HH:MM:SS'),
        'year': _('expected a date between the years %(minimum)s and %(maximum)s'),
        'text': _('expected text'),
        'size': _('expected at most %(size)s characters (got %(length)s)'),
        'commands': _('expected a list of commands such as [(4, id)] or [(6, 0, ids)]'),
        'required': _('it is required: enter a value'),
        'document_commands': _('the lines of a document are only created (0, 0, values) or '
                               'updated (1, id, values) here; use the chatter for the rest'),
        'document_line': _('(1, id, values) updates a line of this record only'),
        'document_value': '%(message)s',
        'document_required': _('%(fields)s of a new %(model)s: required'),
    }
    return messages[err.code] % params


def model_label(self):
    """The model's name in the user's language (``ir.model`` names are translated)."""
    return self.env['ir.model'].sudo()._get(self._name).name or self._description
