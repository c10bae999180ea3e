# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, models
from odoo.exceptions import UserError

from .pharmacy_validation_mixin import declared_names

PHARMACY_STAFF = 'pharmacy_crm.group_pharmacy_technician'
PHARMACIST = 'pharmacy_crm.group_pharmacy_pharmacist'


class PharmacyPhiMixin(models.AbstractModel):
    """Protected health information: what every pharmacy record holding patient data shares.

    - Its records are visible to pharmacy staff of its company only (access rights and
      record rules); ``_pharmacy_hidden_query`` says the same in SQL so that the activities,
      attachments, messages and followers of a record are hidden from whoever may not read
      the record (see ``pharmacy.phi.document.mixin``).
    - Values are checked against their fields (``pharmacy.validation.mixin``); fields the
      server computes (related or computed without an inverse) are refused in ``create``
      and ``write``: the company of a record is its patient's, never given.
    - Its records are never deleted (``_pharmacy_never_delete``): they are archived or change
      state, and their history stays.
    """

    _name = 'pharmacy.phi.mixin'
    _inherit = ['pharmacy.validation.mixin']
    _description = 'Protected Health Information'
    _pharmacy_phi = True
    _pharmacy_never_delete = True
    _pharmacy_server_fields = ()   # plain fields only the server writes

    @api.model
    def _pharmacy_prepare_vals(self, vals):
        vals = super()._pharmacy_prepare_vals(vals)
        self._pharmacy_check_server_fields(vals)
        return vals

    def unlink(self):
        if self._pharmacy_never_delete:
            raise UserError(_(
                '%s are part of the patient record and are never deleted. Archive them, put '
                'them on hold or change their state instead.') % self._description)
        return super().unlink()

    @api.model
    def _pharmacy_check_server_fields(self, vals):
        server = declared_names(self, '_pharmacy_server_fields')
        names = [name for name in vals if name in server or (
            name in self._fields and (self._fields[name].related or (
                self._fields[name].compute and not self._fields[name].inverse)))]
        if names:
            raise UserError(_(
                '%(fields)s of %(model)s cannot be set: the pharmacy computes them. Change '
                'the values they come from instead (e.g. the patient or the prescription).')
                % {'fields': ', '.join(self._fields[n].string for n in names),
                   'model': self._description})

    @api.model
    def _pharmacy_hidden_query(self, user, company_ids):
        """Which records of this model ``user`` may not read, as SQL for an ``inselect``;
        ``company_ids``: the user's companies (``_pharmacy_company_ids``), for staff.

        Returns None when the user may read them all, True when none, else (query, params)
        selecting the ids hidden: records of companies other than the user's. A record without
        a company yet (its related company is stored after its followers, during ``create``)
        is not hidden, as in the company rules.
        """
        if not user.has_group(PHARMACY_STAFF):
            return True
        return ('SELECT id FROM "%s" WHERE company_id IS NOT NULL AND '
                'NOT (company_id = ANY(%%s))' % self._table, [company_ids])

    @api.model
    def _pharmacy_company_ids(self, user):
        """The companies whose records ``user`` sees: theirs and its children (as the rules)."""
        return self.env['res.company'].sudo().search(
            [('id', 'child_of', user.company_id.id)]).ids
