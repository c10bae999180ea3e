# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import SUPERUSER_ID, api, fields, models
from odoo.osv import expression

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF


class ResPartner(models.Model):
    """A patient's pipeline (open opportunities, a new one prefilled) and where the patient
    came from (referral source and medium, referred by a patient)."""

    _inherit = 'res.partner'
    _pharmacy_validated_fields = ('pharmacy_source_id', 'pharmacy_medium_id',
                                  'pharmacy_referred_by_id')
    _pharmacy_server_fields = ('pharmacy_open_lead_count',)

    pharmacy_source_id = fields.Many2one(
        'utm.source', string='Came From', groups=PHARMACY_STAFF, ondelete='restrict',
        help='How the patient found the pharmacy: word of mouth, prescriber, website, '
             'walk-in, a campaign...')
    pharmacy_medium_id = fields.Many2one(
        'utm.medium', string='Came Through', groups=PHARMACY_STAFF, ondelete='restrict')
    pharmacy_referred_by_id = fields.Many2one(
        'res.partner', string='Referred By', groups=PHARMACY_STAFF, ondelete='set null',
        domain=[('is_patient', '=', True)], help='The patient who referred this patient.')
    pharmacy_open_lead_count = fields.Integer(
        string='Opportunities', compute='_compute_pharmacy_counters',
        groups=PHARMACY_STAFF, help="Open opportunities of the pharmacy's pipeline.")

    @api.model
    def _where_calc(self, domain, active_test=True):
        if self._uid != SUPERUSER_ID and domain:
            domain = [term for leaf in domain for term in self._pharmacy_opportunity_leaf(leaf)]
        return super()._where_calc(domain, active_test=active_test)

    @api.model
    def _pharmacy_opportunity_leaf(self, leaf):
        """crm's ``opportunity_ids`` searched with ``!= False`` or with lead ids: Odoo 11
        answers these in SQL without the leads' record rules, which told anyone which patients
        have a pharmacy lead (and which patient lead 49 is about). Rewritten here to the leads
        the user reads (an AccessError for a user who reads no lead); other leaves unchanged.
        Returns the terms replacing ``leaf``."""
        if not (isinstance(leaf, (list, tuple)) and len(leaf) == 3
                and leaf[0] == 'opportunity_ids' and not expression.is_operator(leaf)):
            return [leaf]
        operator, value = leaf[1], leaf[2]
        leads = [('type', '=', 'opportunity'), ('partner_id', '!=', False)]
        if value is False and operator in ('=', '!='):
            negate = operator == '='
        elif operator in ('=', '!=', 'in', 'not in') and not isinstance(value, str):
            negate = operator in ('!=', 'not in')
            ids = value if isinstance(value, (list, tuple)) else [value]
            leads.append(('id', 'in', [i for i in ids if isinstance(i, int)]))
        else:
            return [leaf]   # by name: crm.lead.name_search, which applies the rules
        term = ('opportunity_ids', 'in', self.env['crm.lead'].with_context(
            active_test=False)._search(leads) or [0])
        return ['!', term] if negate else [term]

    def _pharmacy_counters(self):
        """open opportunities = the patient's pharmacy leads not won (with the other
        counters)."""
        counters = super()._pharmacy_counters()
        counters['pharmacy_open_lead_count'] = (
            'crm.lead', [('pharmacy_work_type', '!=', False), ('probability', '<', 100)],
            'partner_id')
        return counters

    def action_pharmacy_open_leads(self):
        self.ensure_one()
        action = self.env.ref('pharmacy_crm_pipeline.crm_lead_action_pharmacy').read()[0]
        action['domain'] = [('partner_id', '=', self.id), ('pharmacy_work_type', '!=', False)]
        action['context'] = self._pharmacy_new_lead_context()
        return action

    def action_pharmacy_new_lead(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window', 'res_model': 'crm.lead', 'view_mode': 'form',
            'views': [(self.env.ref('pharmacy_crm_pipeline.crm_lead_view_form_pharmacy').id,
                       'form')],
            'context': self._pharmacy_new_lead_context(),
        }

    def _pharmacy_new_lead_context(self):
        return {
            'pharmacy_pipeline': True, 'default_type': 'opportunity',
            'default_partner_id': self.id, 'default_pharmacy_work_type': 'clinical_service',
            'default_team_id': self.env['crm.team']._pharmacy_team(self.company_id).id,
            'default_name': self.name,
        }

    def _pharmacy_patient_left(self, reason):
        """A patient who left (dismissed, transferred, deceased) has no open opportunity: they
        are lost, "moved away" (one UPDATE)."""
        result = super()._pharmacy_patient_left(reason)
        if self.ids:
            moved = self.env.ref('pharmacy_crm_pipeline.crm_lost_reason_moved_away')
            self.env.cr.execute("""
                UPDATE crm_lead SET active = FALSE, probability = 0, lost_reason = %s
                 WHERE partner_id = ANY(%s) AND pharmacy_work_type IS NOT NULL
                   AND active AND probability < 100""", [moved.id, self.ids])
            self.env['crm.lead'].invalidate_cache()
        return result
