# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models

from odoo.addons.pharmacy_crm_feedback.models.survey_survey import INTERVAL_DAYS

FEEDBACK_URL = 'pharmacy_feedback_url'


class PharmacyJourneyStep(models.Model):
    """A journey mail whose template links the satisfaction survey
    (``object.pharmacy_feedback_url``) invites each patient first: an answer record of the
    survey (its token is the patient's link), unless the patient was invited in the last 90
    days and has not answered (that invitation is linked again: at most one survey a quarter
    per patient, as after a pickup)."""

    _inherit = 'pharmacy.journey.step'

    @api.model
    def _pharmacy_untracked_url_parts(self):
        # a survey link carries the patient's token: never a tracked link marketing reads
        return super()._pharmacy_untracked_url_parts() + ('/survey/',)

    def _pharmacy_send(self, done):
        template = self.template_id
        if done and FEEDBACK_URL in (template.body_html or ''):
            self._pharmacy_invite_to_feedback([row[2] for row in done])
        return super()._pharmacy_send(done)

    def _pharmacy_invite_to_feedback(self, patient_ids):
        """An invitation to the satisfaction survey for each of ``patient_ids`` without an
        unanswered one of the last 90 days (one query to find them). Returns the new answer
        records."""
        survey = self.env.ref('pharmacy_crm_feedback.survey_pharmacy_feedback')
        self.env.cr.execute("""
            SELECT p.id, p.email FROM res_partner p
             WHERE p.id = ANY(%s) AND NOT EXISTS (
                   SELECT 1 FROM survey_user_input i
                    WHERE i.partner_id = p.id AND i.survey_id = %s AND i.state <> 'done'
                      AND i.date_create::date > pharmacy_today(p.company_id) - %s)
        """, [list(patient_ids), survey.id, INTERVAL_DAYS])
        UserInput = self.env['survey.user_input'].sudo()
        answers = UserInput
        for partner_id, email in self.env.cr.fetchall():
            answers |= UserInput.create({'survey_id': survey.id, 'partner_id': partner_id,
                                         'email': email, 'type': 'link'})
        self.env['res.partner'].invalidate_cache(['pharmacy_feedback_url'], patient_ids)
        return answers
