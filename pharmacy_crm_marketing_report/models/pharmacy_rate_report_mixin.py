# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models

from ..tools.rates import group_fields, regroup_rates


class PharmacyRateReportMixin(models.AbstractModel):
    """A counts-only report whose rates (``_pharmacy_rates``: rate field -> (count fields,
    function), see ``tools/rates.py``) are computed for every group of a grouped read (the
    pivot's months and totals, the graph's bars) from the group's summed counts: the average
    of rows' rates describes no group of patients."""

    _name = 'pharmacy.rate.report.mixin'
    _description = 'Report With Rates of Summed Counts'
    _pharmacy_rates = {}

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False,
                   lazy=True):
        """A group's rates from its summed counts, not the average of its rows' rates."""
        groups = super().read_group(
            domain, group_fields(fields, self._pharmacy_rates), groupby, offset=offset,
            limit=limit, orderby=orderby, lazy=lazy)
        return regroup_rates(groups, self._pharmacy_rates)
