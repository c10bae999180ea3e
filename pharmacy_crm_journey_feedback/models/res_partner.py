# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF


class ResPartner(models.Model):
    """The patient's link to the satisfaction survey, for a journey's mail template
    (``${object.pharmacy_feedback_url}``): the public link of the survey with the token of the
    patient's latest unanswered invitation (an answer record of the survey, made by the
    journey's mail step just before the mail). A token lets whoever holds it answer as the
    patient: pharmacy staff only (a journey with this template is started by staff)."""

    _inherit = 'res.partner'

    pharmacy_feedback_url = fields.Char(
        string='Satisfaction Survey Link', compute='_compute_pharmacy_feedback_url',
        groups=PHARMACY_STAFF,
        help='The satisfaction survey with the patient\'s latest invitation, for mail '
             'templates; empty without an invitation.')

    def _compute_pharmacy_feedback_url(self):
        survey = self.env.ref('pharmacy_crm_feedback.survey_pharmacy_feedback',
                              raise_if_not_found=False)
        tokens = {}
        if survey and self.ids:
            self.env.cr.execute("""
                SELECT DISTINCT ON (partner_id) partner_id, token FROM survey_user_input
                 WHERE survey_id = %s AND partner_id = ANY(%s) AND state <> 'done'
                 ORDER BY partner_id, id DESC""", [survey.id, self.ids])
            tokens = dict(self.env.cr.fetchall())
        base = survey.sudo().public_url if survey else ''
        for partner in self:
            token = tokens.get(partner.id)
            partner.pharmacy_feedback_url = token and '%s/%s' % (base, token) or False
