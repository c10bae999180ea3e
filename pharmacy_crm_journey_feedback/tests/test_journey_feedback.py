# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The welcome series' feedback mail links the patient's own invitation to the satisfaction
survey (never a tracked link), once a quarter."""
from odoo.addons.pharmacy_crm.tests.common import PharmacyCase


class TestJourneyFeedback(PharmacyCase):

    def test_the_feedback_mail_links_the_patients_survey(self):
        step = self.env.ref('pharmacy_crm_journey.pharmacy_journey_welcome_step_feedback')
        self.assertEqual(step.template_id, self.env.ref(
            'pharmacy_crm_journey_feedback.mail_template_journey_feedback_survey'))
        patient = self.env['res.partner'].create({
            'name': 'Jrn Survey', 'is_patient': True, 'email': 'jrn.survey@example.com',
            'birthdate_date': '1961-02-03', 'nkda': True})
        self.env['pharmacy.consent'].create({
            'patient_id': patient.id, 'channel': 'email', 'purpose': 'marketing',
            'state': 'granted', 'date': '2024-01-01', 'source': 'in_store'})
        segment = self.env['pharmacy.segment'].create({
            'name': 'Jrn survey', 'partner_domain': "[('email', '=', 'jrn.survey@example.com')]"})
        journey = self.env['pharmacy.journey'].create({
            'name': 'Jrn survey', 'entry_type': 'segment', 'segment_id': segment.id,
            'step_ids': [(0, 0, {'name': 'Feedback', 'step_type': 'mail',
                                 'template_id': step.template_id.id})]})
        journey.action_start()
        journey._pharmacy_run()
        answer = self.env['survey.user_input'].search([('partner_id', '=', patient.id)])
        survey = self.env.ref('pharmacy_crm_feedback.survey_pharmacy_feedback')
        self.assertEqual((len(answer), answer.survey_id, answer.state), (1, survey, 'new'))
        url = '%s/%s' % (survey.public_url, answer.token)
        mail = self.env['mail.mail'].search([('recipient_ids', 'in', patient.ids)])
        self.assertEqual(len(mail), 1)
        self.assertIn('href="%s"' % url, mail.body_html)
        self.assertFalse(self.env['link.tracker'].search([('url', 'like', '/survey/')]))
        # invited already this quarter, not answered: linked again, no second invitation
        self.assertFalse(journey.step_ids._pharmacy_invite_to_feedback(patient.ids))
        # the link is the patient's: pharmacy staff only
        self.assertEqual(patient.sudo(self.technician).pharmacy_feedback_url, url)
