# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from collections import defaultdict

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .pharmacy_phi_mixin import PHARMACY_STAFF


class PharmacyPhiDocumentMixin(models.AbstractModel):
    """What is attached to a record (activities, attachments, messages, followers) is read
    only by who may read the record.

    Odoo 11 lets every internal user read activities and, for many models, attachments and
    messages without asking the record. A global record rule on each of these models,
    ``[('pharmacy_reader_id', '=', user.id)]``, keeps the rows attached to a pharmacy record
    (every model with ``_pharmacy_phi``) to the users who may read it, using the record's
    ``_pharmacy_hidden_query``: one SQL sub-select per pharmacy model, no per-row check.
    """

    _name = 'pharmacy.phi.document.mixin'
    _description = 'Attached to Pharmacy Records'
    _pharmacy_model_field = 'res_model'
    _pharmacy_res_id_field = 'res_id'
    _pharmacy_patients_too = True   # also what is attached to patient contacts

    pharmacy_reader_id = fields.Many2one(
        'res.users', string='Readable by (pharmacy)', compute='_compute_pharmacy_reader_id',
        search='_search_pharmacy_reader_id',
        help='Search only: [("pharmacy_reader_id", "=", uid)] keeps what uid may read.')

    def _compute_pharmacy_reader_id(self):
        for record in self:
            record.pharmacy_reader_id = self.env.user

    @api.model
    def _search_pharmacy_reader_id(self, operator, value):
        if operator != '=' or not isinstance(value, int):
            raise UserError(_('Readable by (pharmacy) is searched with "=" and a user id only.'))
        if value == SUPERUSER_ID:
            return [(1, '=', 1)]
        user = self.env['res.users'].sudo().browse(value)
        # the user's companies, searched once for every pharmacy model
        company_ids = (self.env['pharmacy.phi.mixin']._pharmacy_company_ids(user)
                       if user.has_group(PHARMACY_STAFF) else [])
        model_field, res_id_field = self._pharmacy_model_field, self._pharmacy_res_id_field
        domains = []
        for model_name in self._pharmacy_phi_models():
            hidden = self.env[model_name]._pharmacy_hidden_query(user, company_ids)
            # "not in": a row without a model (NULL) is attached to no pharmacy record (with
            # "!=", SQL's NULL would leave it to the id test of every model's hidden records)
            if hidden is True:
                domains.append([(model_field, 'not in', [model_name])])
            elif hidden:
                domains.append(['|', (model_field, 'not in', [model_name]),
                                (res_id_field, 'not inselect', hidden)])
        # normalized: a search method's domain is used as it is
        return expression.AND(domains) if domains else [(1, '=', 1)]

    def _pharmacy_unreadable_by(self, user):
        """The records of ``self`` attached to a pharmacy record ``user`` may not read: the rule
        of ``pharmacy_reader_id``, but with each record's model as the ORM holds it. A check
        during ``create`` needs that: a stored related model name (an activity's ``res_model``)
        reaches the database only after the constraints ran, so a SQL search would read NULL.
        One query per pharmacy model present in ``self``."""
        records = self.sudo()
        if user.id == SUPERUSER_ID or not records:
            return records.browse()
        company_ids = (self.env['pharmacy.phi.mixin']._pharmacy_company_ids(user)
                       if user.has_group(PHARMACY_STAFF) else [])
        phi_models = set(self._pharmacy_phi_models())
        by_model = defaultdict(lambda: records.browse())
        for record in records:
            if record[self._pharmacy_model_field] in phi_models:
                by_model[record[self._pharmacy_model_field]] |= record
        unreadable = records.browse()
        for model_name, attached in by_model.items():
            hidden = self.env[model_name]._pharmacy_hidden_query(user, company_ids)
            if hidden is True:
                unreadable |= attached
            elif hidden:
                query, params = hidden
                self.env.cr.execute('SELECT id FROM (%s) AS hidden WHERE id = ANY(%%s)' % query,
                                    list(params) + [attached.mapped(self._pharmacy_res_id_field)])
                hidden_ids = {row[0] for row in self.env.cr.fetchall()}
                unreadable |= attached.filtered(
                    lambda record: record[self._pharmacy_res_id_field] in hidden_ids)
        return unreadable

    @api.model
    def _pharmacy_phi_models(self):
        return [name for name, model in self.env.registry.items()
                if getattr(model, '_pharmacy_phi', False) and not model._abstract
                and (self._pharmacy_patients_too or name != 'res.partner')]
