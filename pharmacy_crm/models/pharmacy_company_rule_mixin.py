# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models

# the one company rule: records of the user's company and of its children, and records without
# a company (a medication shared by every pharmacy; a patient's records always have one, but a
# related company is stored just after the record's followers, during create).
# ``pharmacy_company_ids`` (see ir_rule.py) is the ``child_of`` of the user's company, computed
# once when Odoo computes the user's rule domain (cached), not at every search
COMPANY_RULE_DOMAIN = ("['|', ('company_id', '=', False), "
                       "('company_id', 'in', pharmacy_company_ids)]")


class PharmacyCompanyRuleMixin(models.AbstractModel):
    """Records of another pharmacy (company) are invisible: the same global record rule,
    ``COMPANY_RULE_DOMAIN`` on the stored ``company_id``, for every model inheriting this mixin.

    An Odoo 11 record rule belongs to one model: the mixin creates the rule of each model
    inheriting it when the model's module is installed or updated (``init``), and sets it back
    to the domain above on every update; no addon declares a company rule of its own. The rule's
    xml id is ``<module of the model>.<table>_rule_company``, the one the addons' XML files
    used to give it: a database updated from them keeps its rules. Uninstalling the module
    removes the rule with the model.
    """

    _name = 'pharmacy.company.rule.mixin'
    _description = 'Pharmacy Records of One Company'

    @api.model_cr
    def init(self):
        result = super().init()
        if not self._abstract:
            # once Odoo has reflected the model in ir.model (post-init work queued before)
            self.pool.post_init(self._pharmacy_company_rule)
        return result

    @api.model
    def _pharmacy_company_rule(self):
        """Create or update the company rule of this model; return it (an ``ir.rule``)."""
        field = self._fields.get('company_id')
        if not (field and field.store and field.type == 'many2one'
                and field.comodel_name == 'res.company'):
            raise TypeError('%s inherits pharmacy.company.rule.mixin: it needs a stored '
                            'company_id (a res.company)' % self._name)
        rule_id = self.env['ir.model.data']._update('ir.rule', self._original_module, {
            'name': '%s: multi-company' % self._name,
            'model_id': self.env['ir.model']._get_id(self._name),
            'domain_force': COMPANY_RULE_DOMAIN,
            'groups': [(5,)],    # global
            'active': True,
            'perm_read': True, 'perm_write': True, 'perm_create': True, 'perm_unlink': True,
        }, xml_id=company_rule_xml_id(self), mode='update')
        return self.env['ir.rule'].browse(rule_id)


def company_rule_xml_id(model):
    """The name of the xml id (in the module of ``model``) of the company rule of ``model``."""
    return '%s_rule_company' % model._table
