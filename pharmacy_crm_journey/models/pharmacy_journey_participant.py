# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, fields, models

from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today

EXITS = [
    ('goal', 'Goal reached'),
    ('consent', 'Consent withdrawn'),
    ('unsubscribed', 'Unsubscribed'),
    ('left', 'Dismissed, deceased or transferred'),
    ('archived', 'Archived'),
    ('no_email', 'No valid email'),
    ('removed', 'Removed by staff'),
]


class PharmacyJourneyParticipant(models.Model):
    """A patient in a journey: where they are (the step due next and its date), how they
    entered and how they left. Made and moved by the journey's scheduled action only (SQL,
    set-based); one per journey and patient (a unique constraint: a patient enters a journey
    once). Patient data: pharmacy staff only."""

    _name = 'pharmacy.journey.participant'
    _description = 'Customer Journey Participant'
    _inherit = ['pharmacy.patient.record.mixin']
    _order = 'entry_date desc, id desc'
    _rec_name = 'patient_id'
    _pharmacy_server_fields = ('journey_id', 'patient_id', 'step_id', 'entry_date',
                               'next_date', 'exit_date', 'exit_reason', 'history_ids',
                               'held_out')
    _pharmacy_state_actions = {'state': {
        'action_remove': ('active', 'exited'),
        '_pharmacy_advance': ('active', 'done'),
        '_pharmacy_exit': ('active', 'exited'),
    }}

    journey_id = fields.Many2one('pharmacy.journey', required=True, index=True,
                                 ondelete='restrict', readonly=True)
    patient_id = fields.Many2one(readonly=True, track_visibility=False)
    state = fields.Selection(
        [('active', 'In progress'), ('done', 'Completed'), ('exited', 'Exited')],
        required=True, default='active', readonly=True, index=True)
    step_id = fields.Many2one('pharmacy.journey.step', string='Next Step', readonly=True,
                              ondelete='restrict')
    entry_date = fields.Date(string='Entered On', readonly=True)
    next_date = fields.Date(string='Next Step On', readonly=True)
    exit_date = fields.Date(string='Left On', readonly=True)
    exit_reason = fields.Selection(EXITS, readonly=True, index=True)
    held_out = fields.Boolean(
        readonly=True,
        help='Drawn into the journey\'s hold-out when entering: goes through the steps but is '
             'never sent their mails (the comparison group of the campaign return).')
    history_ids = fields.One2many('pharmacy.journey.history', 'participant_id',
                                  string='Path', readonly=True)

    _sql_constraints = [
        ('journey_patient_unique', 'unique (journey_id, patient_id)',
         'A patient enters a journey once.'),
    ]

    @api.multi
    def write(self, vals):
        # who may not write participants hears that first, and nothing of their fields
        self.check_access_rights('write')
        self.check_access_rule('write')
        return super().write(vals)

    @api.multi
    def action_remove(self):
        """Staff take the patient out of the journey (exit "removed by staff"). Returns
        True."""
        self._pharmacy_state_transition('action_remove', {
            'exit_reason': 'removed', 'exit_date': pharmacy_today(self),
            'step_id': False, 'next_date': False})
        return True

    def name_get(self):
        return [(participant.id, '%s – %s' % (participant.sudo().journey_id.name,
                                              participant.patient_id.name))
                for participant in self]

    @api.model
    def _pharmacy_exit_patients(self, patient_ids):
        """Apply the exits (goal, consent...) to the active participants of these patients
        in every running journey: one query. Returns the participants' ids."""
        if not patient_ids:
            return []
        return self.env['pharmacy.journey']._pharmacy_exit(
            "pa.patient_id = ANY(%(patients)s) AND j.state = 'running'",
            {'patients': list(patient_ids)})
