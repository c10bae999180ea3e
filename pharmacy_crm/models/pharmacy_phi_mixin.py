# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, models
from odoo.exceptions import UserError

# the pharmacy's groups, named here once: every addon imports them from this module
PHARMACY_STAFF = 'pharmacy_crm.group_pharmacy_technician'
PHARMACIST = 'pharmacy_crm.group_pharmacy_pharmacist'
PHARMACY_MANAGER = 'pharmacy_crm.group_pharmacy_manager'


class PharmacyPhiMixin(models.AbstractModel):
    """Protected health information: what every pharmacy record holding patient data shares.

    - Its records are visible to pharmacy staff of its company only (access rights, and the
      company rule of ``pharmacy.company.rule.mixin`` on its stored ``company_id``);
      ``_pharmacy_hidden_query`` says the same in SQL so that the activities, attachments,
      messages and followers of a record are hidden from whoever may not read the record
      (see ``pharmacy.phi.document.mixin``).
    - Values are checked against their fields (``pharmacy.validation.mixin``); fields the
      server sets (``_pharmacy_server_fields``, related fields, computed fields without an
      inverse) are refused in ``create`` and ``write`` and written by the server with
      ``_pharmacy_server_write`` (``pharmacy.server.fields.mixin``): the company of a record
      is its patient's, never given.
    - Its records are never deleted (``_pharmacy_never_delete``): they are archived or change
      state, and their history stays.
    """

    _name = 'pharmacy.phi.mixin'
    _inherit = ['pharmacy.validation.mixin', 'pharmacy.server.fields.mixin',
                'pharmacy.company.rule.mixin']
    _description = 'Protected Health Information'
    _pharmacy_phi = True
    _pharmacy_never_delete = True
    _pharmacy_refuse_computed = True

    @api.model
    def _pharmacy_prepare_vals(self, vals):
        vals = super()._pharmacy_prepare_vals(vals)
        self._pharmacy_check_server_fields(vals)
        return vals

    def write(self, vals):
        # before the values are checked: a kanban card dragged to another state's column
        dragged = self._pharmacy_dragged_state(vals)
        if dragged:
            return self._pharmacy_state_drag(*dragged)
        return super().write(vals)

    def unlink(self):
        if self._pharmacy_never_delete:
            raise UserError(_(
                '%s are part of the patient record and are never deleted. Archive them, put '
                'them on hold or change their state instead.') % self._description)
        return super().unlink()

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
        return list(self.env['res.company']._pharmacy_company_family(user.company_id.id))
