# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from ..models.pharmacy_journey_participant import EXITS
from ..models.pharmacy_journey_history import OUTCOMES


class PharmacyJourneyFunnelReport(models.Model):
    """A journey's funnel, counts only (never which patient), so that marketing users read
    it: for each step, the participants who reached it (by outcome); and for each journey,
    its participants by where they are: in progress, completed, or exited by reason.

    ``row_type`` tells the two kinds of rows apart: *Reached a step* rows have a step and an
    outcome; *Participants* rows have a state and, for an exit, its reason. Marketing users
    read the funnels of the journeys they read (contact journeys); pharmacy staff every one.
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
        [('step', 'Reached a step'), ('state', 'Participants')], readonly=True)
    step_id = fields.Many2one('pharmacy.journey.step', readonly=True)
    sequence = fields.Integer(readonly=True)
    outcome = fields.Selection(OUTCOMES, readonly=True)
    state = fields.Selection(
        [('active', 'In progress'), ('done', 'Completed'), ('exited', 'Exited')],
        readonly=True)
    exit_reason = fields.Selection(EXITS, readonly=True)
    participant_count = fields.Integer(string='Participants', readonly=True)

    def _view_query(self):
        return """
            SELECT row_number() OVER (ORDER BY journey_id, row_type, sequence, step_id,
                                      outcome, state, exit_reason) AS id, *
              FROM (SELECT h.journey_id, h.company_id, 'step'::varchar AS row_type,
                           h.step_id, s.sequence, h.outcome::varchar AS outcome,
                           NULL::varchar AS state, NULL::varchar AS exit_reason,
                           COUNT(*) AS participant_count
                      FROM pharmacy_journey_history h
                      JOIN pharmacy_journey_step s ON s.id = h.step_id
                     GROUP BY 1, 2, 4, 5, 6
                    UNION ALL
                    SELECT pa.journey_id, pa.company_id, 'state', NULL, NULL, NULL,
                           pa.state, pa.exit_reason, COUNT(*)
                      FROM pharmacy_journey_participant pa
                     GROUP BY 1, 2, 7, 8) grouped
        """
