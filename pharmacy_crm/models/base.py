# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError
from odoo.osv import expression


class Base(models.AbstractModel):
    """Field groups guard every route, not only reading.

    Odoo 11 checks a field's ``groups=`` when the field is read, but not when it is used in a
    search domain, an order, a group-by or an export, so a user without the group could count,
    sort or group records by its values. Here every model refuses, with an AccessError, a
    domain leaf (each segment of a dotted path), an ``order``, a ``read_group`` field, group-by
    or order, and an ``export_data`` path on a field the user may not read. A clinical field is
    therefore protected everywhere by declaring ``groups=`` on it. The superuser and the
    record-rule evaluation (which runs as superuser) are not concerned.
    """

    _inherit = 'base'

    @api.model
    def _where_calc(self, domain, active_test=True):
        self._pharmacy_check_domain(domain)
        return super()._where_calc(domain, active_test=active_test)

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        if order:
            self._pharmacy_check_order(order)
        return super()._search(args, offset=offset, limit=limit, order=order, count=count,
                               access_rights_uid=access_rights_uid)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False,
                   lazy=True):
        names = [spec.split(':')[0].strip() for spec in fields or []]
        groupbys = [groupby] if isinstance(groupby, str) else list(groupby or [])
        names += [spec.split(':')[0].strip() for spec in groupbys]
        self._pharmacy_check_paths([[name] for name in names if name])
        if orderby:
            self._pharmacy_check_order(orderby)
        return super().read_group(domain, fields, groupby, offset=offset, limit=limit,
                                  orderby=orderby, lazy=lazy)

    def export_data(self, fields_to_export, raw_data=False):
        self._pharmacy_check_paths([
            [name for name in path.replace(':id', '').split('/') if name not in ('id', '.id')]
            for path in fields_to_export])
        # Odoo 11 exports non-stored computed fields without checking the record rules
        self.check_access_rule('read')
        return super().export_data(fields_to_export, raw_data=raw_data)

    @api.model
    def default_get(self, fields_list):
        """Defaults of fields the user may not read are not given (``ir.default`` may hold
        values someone else set)."""
        values = super().default_get(fields_list)
        if self._uid != SUPERUSER_ID:
            for name in list(values):
                field = self._fields.get(name)
                if field and field.groups and not self.user_has_groups(field.groups):
                    del values[name]
        return values

    @api.model
    def _pharmacy_count_by(self, domain, field_name):
        """{value of the many2one ``field_name``: number of records of ``domain``}, counted as
        ``read_group`` counts them (access rights, record rules and the field guard apply), in
        one query: a ``read_group`` by a many2one also names its groups, which reads every
        column of the grouped records (a patient's counters read the whole contact again)."""
        self.check_access_rights('read')
        query, params = self._pharmacy_count_query(domain, field_name)
        self.env.cr.execute(query, params)
        return dict(self.env.cr.fetchall())

    @api.model
    def _pharmacy_count_query(self, domain, field_name):
        """(SQL, parameters) of ``SELECT <field_name>, count(*) ... GROUP BY 1`` over the
        records of ``domain`` the user may read (record rules and the field guard apply; the
        caller checks the access rights): the statement of ``_pharmacy_count_by``, for a
        caller that runs several in one (``res.partner._compute_pharmacy_counters``)."""
        field = self._fields[field_name]
        assert field.store and field.type == 'many2one', field
        self._pharmacy_check_paths([[field_name]])
        query = self._where_calc(domain)
        self._apply_ir_rules(query, 'read')
        from_clause, where_clause, params = query.get_sql()
        return 'SELECT "%s"."%s", count(*) FROM %s WHERE %s GROUP BY 1' % (
            self._table, field_name, from_clause, where_clause or 'TRUE'), params

    # --- the guard ----------------------------------------------------------------------------
    @api.model
    def _pharmacy_check_domain(self, domain):
        if self._uid == SUPERUSER_ID or not domain:
            return
        self._pharmacy_check_paths([
            leaf[0].split('.') for leaf in domain
            if isinstance(leaf, (list, tuple)) and len(leaf) == 3
            and isinstance(leaf[0], str) and not expression.is_operator(leaf)])

    @api.model
    def _pharmacy_check_order(self, order):
        if self._uid == SUPERUSER_ID:
            return
        self._pharmacy_check_paths([
            [spec.split()[0].split(':')[0]] for spec in order.split(',') if spec.strip()])

    @api.model
    def _pharmacy_check_paths(self, paths):
        """Raise AccessError if a path of field names crosses a field the user may not read."""
        if self._uid == SUPERUSER_ID:
            return
        for path in paths:
            model = self
            for name in path:
                field = model._fields.get(name)
                if field is None:
                    break   # not a field (e.g. a raw SQL alias): Odoo reports it
                if field.groups and not model.user_has_groups(field.groups):
                    raise AccessError(_(
                        'You may not search, sort, group or export by "%(field)s" of '
                        '%(model)s: only %(groups)s may use it. Remove it from your filter, '
                        'order, grouping or export.') % {
                            'field': field.string, 'model': model._description,
                            'groups': model._pharmacy_group_names(field.groups)})
                if not field.relational:
                    break
                model = self.env[field.comodel_name]

    @api.model
    def _pharmacy_group_names(self, groups):
        names = []
        for xmlid in groups.split(','):
            group = self.env.ref(xmlid.strip(), raise_if_not_found=False)
            names.append(group.sudo().full_name if group else xmlid.strip())
        return _(' or ').join(names)
