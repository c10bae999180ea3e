# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today

OUTCOMES = [
    ('reached', 'Reached'),
    ('voicemail', 'Voicemail'),
    ('no_answer', 'No answer'),
    ('refused', 'Refused'),
]
BARRIERS = [
    ('cost', 'Cost'),
    ('side_effects', 'Side effects'),
    ('forgot', 'Forgot'),
    ('ran_out', 'Ran out'),
    ('stopped_by_prescriber', 'Stopped by prescriber'),
    ('other', 'Other'),
]


class PharmacyAdherenceOutreach(models.TransientModel):
    """Log an adherence call: a done activity "Adherence outreach" on the patient, whose
    feedback holds the class, PDC, outcome, barrier and note (in the patient's chatter)."""

    _name = 'pharmacy.adherence.outreach'
    _description = 'Log Adherence Outreach'

    adherence_id = fields.Many2one('pharmacy.adherence', required=True, ondelete='cascade')
    patient_id = fields.Many2one(related='adherence_id.patient_id', readonly=True)
    outcome = fields.Selection(OUTCOMES, required=True)
    barrier = fields.Selection(BARRIERS)
    note = fields.Text()

    @api.model
    def create(self, vals):
        """Pharmacy staff who may read the figure only: the wizard shows the figure's patient
        (a related field, read as superuser)."""
        self._check_staff()
        row = self.env['pharmacy.adherence'].browse(vals.get('adherence_id'))
        row.check_access_rights('read')
        row.check_access_rule('read')
        return super().create(vals)

    @api.model
    def _check_staff(self):
        if not self.env.user.has_group(PHARMACY_STAFF):
            raise AccessError(_('Only pharmacy staff log adherence outreach.'))

    @api.model
    def _feedback(self, wizard):
        labels = dict(OUTCOMES), dict(BARRIERS)
        row = wizard.adherence_id
        parts = [_('%(klass)s PDC %(pdc).0f%% (%(start)s to %(end)s).') % {
                     'klass': row.class_id.name, 'pdc': row.pdc * 100,
                     'start': row.date_start, 'end': row.date_end},
                 _('Outcome: %s.') % _(labels[0][wizard.outcome])]
        if wizard.barrier:
            parts.append(_('Barrier: %s.') % _(labels[1][wizard.barrier]))
        if wizard.note:
            parts.append(wizard.note)
        return ' '.join(parts)

    def action_log(self):
        """Create the activity on the patient and mark it done with the feedback."""
        self._check_staff()
        activity_type = self.env.ref('pharmacy_crm_adherence.mail_activity_type_adherence_outreach')
        partner_model = self.env['ir.model']._get('res.partner')
        for wizard in self:
            activity = self.env['mail.activity'].create({
                'res_model_id': partner_model.id, 'res_id': wizard.patient_id.id,
                'activity_type_id': activity_type.id, 'user_id': self.env.uid,
                'summary': _('Adherence outreach: %s') % wizard.adherence_id.class_id.name,
                'date_deadline': pharmacy_today(self)})
            activity.action_feedback(self._feedback(wizard))
        return {'type': 'ir.actions.act_window_close'}
