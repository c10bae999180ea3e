# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, models
from odoo.exceptions import UserError

from .pharmacy_validation_mixin import declared_names

SERVER_WRITE = 'pharmacy_server_write'   # the context key of a ``ServerWrite`` marker


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
        ``_pharmacy_server_write`` of this model writes."""
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
