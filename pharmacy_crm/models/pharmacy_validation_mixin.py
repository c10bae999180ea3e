# Copyright 2026 Pharmacy CRM contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import _, api, models
from odoo.exceptions import ValidationError

from ..tools import values as checks


class PharmacyValidationMixin(models.AbstractModel):
    """Values are checked against their field before they reach the database.

    ``create`` and ``write`` refuse, with a ValidationError naming the field, the value
    (shortened) and what is expected: values that are not a mapping, unknown fields, wrong
    types, integers beyond PostgreSQL's ``integer``, non-finite or huge floats, impossible
    dates or years outside 1900-2100, text longer than the field allows, unknown selection
    keys, many2one ids that do not exist or do not satisfy the field's domain, malformed
    x2many commands. List this mixin FIRST in ``_inherit`` so that the check runs before
    ``mail.thread`` and the other parents look at the values; a model's own ``create`` or
    ``write`` that reads ``vals`` before ``super()`` calls ``_pharmacy_check_values`` itself or
    uses the ``_pharmacy_prepare_vals`` hook.
    """

    _name = 'pharmacy.validation.mixin'
    _description = 'Validated Pharmacy Values'
    _pharmacy_validated_fields = None   # None: every field; else the names to check

    @api.model
    def create(self, vals):
        vals = self._pharmacy_check_values(vals)
        missing = [field.string for name, field in self._fields.items()
                   if field.required and field.store and not field.compute
                   and name not in vals and field.default is None
                   and 'default_' + name not in self.env.context]
        if missing:
            raise ValidationError(_('%(fields)s of a new %(model)s: required, please fill '
                                    'them in.') % {'fields': ', '.join(missing),
                                                   'model': self._description})
        vals = self._pharmacy_prepare_vals(vals)
        return super().create(vals)

    def write(self, vals):
        vals = self._pharmacy_check_values(vals)
        vals = self._pharmacy_prepare_vals(vals)
        return super().write(vals)

    @api.model
    def _pharmacy_prepare_vals(self, vals):
        """Hook: check or change the checked ``vals`` before they are written and return
        them (``self`` is the records written, empty on create)."""
        return vals

    @api.model
    def _pharmacy_check_values(self, vals):
        return check_values(self, vals, self._pharmacy_validated_fields)


def check_values(self, vals, names=None):
    """Return a checked copy of ``vals`` for the model ``self``, or raise ValidationError.

    ``names``: the fields to check (all when None). The model is named ``self`` so that
    ``_()`` finds the user's language.
    """
    if not isinstance(vals, dict):
        raise ValidationError(_(
            'Values of a %(model)s must be given as a mapping {field name: value}, not '
            '%(value)s.') % {'model': self._description, 'value': checks.shorten(vals)})
    checked = dict(vals)
    for name, value in vals.items():
        field = self._fields.get(name) if isinstance(name, str) else None
        if field is None:
            raise ValidationError(_('%(model)s has no field %(name)s.') % {
                'model': self._description, 'name': checks.shorten(name)})
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
                'field': field.string, 'model': self._description,
                'value': checks.shorten(value),
                'expected': _expected(self, field, err)})
    return checked


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
        if ids:
            _check_target(self, field, ids, with_domain=False)
        return value
    return value


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
    }
    return messages[err.code] % params
