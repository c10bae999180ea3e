# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class SurveyQuestion(models.Model):
    """Which question of the satisfaction survey holds the score and which the comment."""

    _inherit = 'survey.question'

    pharmacy_role = fields.Selection(
        [('nps', 'Likelihood to recommend (0-10)'), ('comment', 'Comment')],
        string='Pharmacy Feedback Role',
        help='On the satisfaction survey: the answer that gives the Net Promoter Score '
             '(a number from 0 to 10), or the comment.')
