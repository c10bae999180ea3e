# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from ..models.pharmacy_journey_participant import EXITS
from ..models.pharmacy_journey_history import OUTCOMES


class PharmacyJourneyFunnelReport(models.Model):
    """A journey's funnel, counts only (never which patient), so that marketing users read
    it, in three kinds of rows (``row_type``):

    - *Reached a step*: per step and outcome, the participants who reached the step
      (``reached_count``; a participant performs a step once, so summed over a journey's steps
      it counts step reaches, not participants);
    - *Waiting at a step*: per step, the participants in progress whose next step it is
      (``waiting_count``; summed over a journey: its participants in progress);
    - *Participants*: per state and exit reason, the journey's participants
      (``participant_count``; summed over a journey: its participants).

    The views group the steps under their journey (two journeys may have steps of the same
    name), in the journey's order. Marketing users read the funnels of the journeys they read
    (contact journeys); pharmacy staff every one. Counts, numbers, selections and relations
    only (no text field: see ``tests/pharmacy_models.py``).
    """

    _name = 'pharmacy.journey.funnel.report'
    _inherit = ['pharmacy.sql.view.mixin', 'pharmacy.company.rule.mixin']
    _description = 'Customer Journey Funnel'
    _auto = False
    _pharmacy_counts_only = True   # read by marketing: see tests/pharmacy_models.py
    _order = 'journey_id, row_type, sequence, step_id'

    journey_id = fields.Many2one('pharmacy.journey', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    row_type = fields.Selection(
        [('step', 'Reached a step'), ('waiting', 'Waiting at a step'),
         ('state', 'Participants')], readonly=True)
    step_id = fields.Many2one('pharmacy.journey.step', readonly=True)
    sequence = fields.Integer(readonly=True)
    outcome = fields.Selection(OUTCOMES, readonly=True)
    state = fields.Selection(
        [('active', 'In progress'), ('done', 'Completed'), ('exited', 'Exited')],
        readonly=True)
    exit_reason = fields.Selection(EXITS, readonly=True)
    reached_count = fields.Integer(
        string='Reached the Step', readonly=True,
        help='Participants who reached the step. Summed over steps: step reaches (a '
             'participant goes through several steps).')
    waiting_count = fields.Integer(
        string='Waiting at the Step', readonly=True,
        help='Participants in progress whose next step this is. Summed over a journey: its '
             'participants in progress.')
    participant_count = fields.Integer(
        string='Participants', readonly=True,
        help="Participants by state and exit reason (the rows of type Participants).")

    def _view_query(self):
        return """
            SELECT row_number() OVER (ORDER BY journey_id, row_type, sequence, step_id,
                                      outcome, state, exit_reason) AS id, *
              FROM (SELECT h.journey_id, h.company_id, 'step'::varchar AS row_type,
                           h.step_id, s.sequence, h.outcome::varchar AS outcome,
                           NULL::varchar AS state, NULL::varchar AS exit_reason,
                           COUNT(*) AS reached_count,
                           0 AS waiting_count, 0 AS participant_count
                      FROM pharmacy_journey_history h
                      JOIN pharmacy_journey_step s ON s.id = h.step_id
                     GROUP BY 1, 2, 4, 5, 6
                    UNION ALL
                    SELECT pa.journey_id, pa.company_id, 'waiting', pa.step_id, s.sequence,
                           NULL, NULL, NULL, 0, COUNT(*), 0
                      FROM pharmacy_journey_participant pa
                      JOIN pharmacy_journey_step s ON s.id = pa.step_id
                     WHERE pa.state = 'active'
                     GROUP BY 1, 2, 4, 5
                    UNION ALL
                    SELECT pa.journey_id, pa.company_id, 'state', NULL, NULL, NULL,
                           pa.state, pa.exit_reason, 0, 0, COUNT(*)
                      FROM pharmacy_journey_participant pa
                     GROUP BY 1, 2, 7, 8) grouped
        """
