# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields

from .pharmacy_phi_mixin import PHARMACY_MANAGER

KINDS = ('integer', 'float', 'char', 'keys')


class PharmacySettingSpec(object):
    """The declaration of one pharmacy setting, written once in the addon that owns it and
    listed by ``pharmacy.setting._pharmacy_settings()``.

    A setting named ``<name>`` is stored in the system parameter ``pharmacy_crm.<name>``
    (``key``) and shown on the settings screen as the field ``pharmacy_<name>`` of
    ``res.config.settings`` (``field``), which ``field_definition()`` builds from this
    declaration (label, help, default, digits).

    - ``kind``: ``integer``, ``float`` (``digits`` decimals at most), ``char`` (free text,
      empty allowed) or ``keys`` (keys of the selection field ``selection`` = (model, field),
      separated by commas; "none" or nothing for none);
    - ``minimum``/``maximum``: the range, both included, except the minimum when
      ``above_minimum`` (e.g. more than 0 and at most 1); ``days``: a number of days (said
      so in the error message);
    - ``default``: the value when the parameter does not exist (or is deleted);
    - ``group``: XML id of the group that may change it, besides administrators;
    - ``apply``: name of a method of ``pharmacy.setting`` called with the new value once
      the parameter is stored (e.g. to recompute what depends on it);
    - ``store``: name of a method of ``pharmacy.setting`` that stores the parameter's text
      (None: back to the default) and applies it, instead of the plain SQL write.
    """

    def __init__(self, name, kind, label, default, help_text='', minimum=None, maximum=None,
                 above_minimum=False, digits=None, days=False, selection=None,
                 group=PHARMACY_MANAGER, apply=None, store=None):
        if (kind not in KINDS
                or kind in ('integer', 'float') and None in (minimum, maximum)
                or kind == 'float' and digits is None
                or kind == 'keys' and not selection):
            raise ValueError('pharmacy setting %s: a %s needs its range (float: and digits; '
                             'keys: their selection)' % (name, kind))
        self.name = name
        self.kind = kind
        self.label = label
        self.default = default
        self.help = help_text
        self.minimum = minimum
        self.maximum = maximum
        self.above_minimum = above_minimum
        self.digits = digits
        self.days = days
        self.selection = selection
        self.group = group
        self.apply = apply
        self.store = store

    def __repr__(self):
        return '<PharmacySettingSpec %s>' % self.name

    @property
    def key(self):
        """The key of the system parameter."""
        return 'pharmacy_crm.' + self.name

    @property
    def field(self):
        """The name of the field of ``res.config.settings`` (the settings screen)."""
        return 'pharmacy_' + self.name

    def format(self, value):
        """The parameter's text for a valid typed ``value`` (the text is what is stored)."""
        if self.kind == 'integer':
            return str(int(value))
        if self.kind == 'float':
            return repr(round(float(value), self.digits))
        if self.kind == 'keys':
            return ','.join(value) or 'none'
        return value or ''

    def to_field(self, value):
        """A typed value as the settings screen's field holds it."""
        if self.kind == 'keys':
            return ','.join(value)
        if self.kind == 'char':
            return value or False
        return value

    def field_definition(self):
        """The field ``pharmacy_<name>`` of ``res.config.settings``."""
        if self.kind == 'integer':
            return fields.Integer(string=self.label, default=self.default, help=self.help)
        if self.kind == 'float':
            return fields.Float(string=self.label, digits=(16, self.digits),
                                default=self.default, help=self.help)
        return fields.Char(string=self.label, default=self.to_field(self.default),
                           help=self.help)
