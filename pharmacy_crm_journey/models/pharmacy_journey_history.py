# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

OUTCOMES = [
    ('sent', 'Mail sent'),
    ('held_out', 'Held out (no mail)'),
    ('activity', 'Activity created'),
    ('waited', 'Waiting'),
    ('branch_yes', 'Condition met'),
    ('branch_no', 'Condition not met'),
]


class PharmacyJourneyHistory(models.Model):
    """One step performed for one participant: the step, the pharmacy's date, the outcome
    (and the mail's statistics, for its opening). Written by the journey's scheduled action
    only (SQL: nobody has the right to write it); at most one per participant and step (a
    unique index: a step is never performed twice for a participant, even by two overlapping
    runs)."""

    _name = 'pharmacy.journey.history'
    _description = 'Customer Journey Step Performed'
    _inherit = ['pharmacy.phi.mixin', 'pharmacy.audit.mixin']
    _order = 'participant_id, id'
    _rec_name = 'step_id'

    participant_id = fields.Many2one('pharmacy.journey.participant', required=True,
                                     index=True, ondelete='restrict', readonly=True)
    # stored by the SQL that records a step (the participant's, never changed)
    journey_id = fields.Many2one('pharmacy.journey', readonly=True, index=True,
                                 ondelete='restrict')
    # the participant's patient (as every record about a patient that belongs to another):
    # also written by the SQL that records a step
    patient_id = fields.Many2one('res.partner', related='participant_id.patient_id',
                                 store=True, readonly=True, index=True)
    company_id = fields.Many2one('res.company', readonly=True, index=True)
    step_id = fields.Many2one('pharmacy.journey.step', readonly=True, required=True,
                              ondelete='restrict')
    step_type = fields.Selection(related='step_id.step_type', readonly=True)
    date = fields.Date(readonly=True, required=True)
    outcome = fields.Selection(OUTCOMES, readonly=True, required=True)
    statistics_id = fields.Many2one('mail.mail.statistics', string='Mail', readonly=True,
                                    ondelete='set null')
    opened = fields.Datetime(related='statistics_id.opened', readonly=True)

    _sql_constraints = [
        ('participant_step_unique', 'unique (participant_id, step_id)',
         'A step is performed once per participant.'),
    ]
