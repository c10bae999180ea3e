# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models, tools


class PharmacySqlViewMixin(models.AbstractModel):
    """A read-only model over a PostgreSQL view (``_auto = False``): the model gives the view's
    SELECT in ``_view_query``; the mixin creates the view."""

    _name = 'pharmacy.sql.view.mixin'
    _description = 'Pharmacy SQL View'

    @api.model_cr
    def init(self):
        result = super().init()
        if not self._abstract:
            # once every table of the module exists: Odoo initialises a module's models in no
            # fixed order when the module extends ``base`` (as pharmacy_crm does)
            self.pool.post_init(self._create_view)
        return result

    def _create_view(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute('CREATE VIEW "%s" AS (%s)' % (self._table, self._view_query()),
                            self._view_params())

    def _view_query(self):
        """The SELECT of the view."""
        raise NotImplementedError

    def _view_params(self):
        """The parameters of ``_view_query`` (None: it has no placeholder)."""
        return None
