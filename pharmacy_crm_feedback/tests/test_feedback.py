# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The survey goes after a pickup to whom may receive it, once a quarter; answers give the
NPS per month and a detractor gives the manager a service recovery activity that only
pharmacy staff read."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tools.misc import format_date

from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today
from odoo.addons.pharmacy_crm_marketing.tests.common import MarketingCase


class TestFeedback(MarketingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref('pharmacy_crm_feedback.survey_pharmacy_feedback')
        cls.company = cls.env['res.company'].create({
            'name': 'Feedback Test Pharmacy', 'parent_id': cls.env.ref('base.main_company').id})
        cls.manager.company_ids |= cls.company
        cls.technician.company_ids |= cls.company
        cls.marketer.company_ids |= cls.company
        cls.questions = {q.pharmacy_role: q for q in cls.survey.page_ids.mapped('question_ids')}

    def _picked_up(self, patient, days_ago=1):
        today = fields.Date.from_string(pharmacy_today(patient))
        rx = self._prescription(patient_id=patient.id, date_written='2026-01-02')
        day = fields.Date.to_string(today - timedelta(days=days_ago))
        return self._fill(rx, day, state='picked_up', pickup_date=day)

    def _answer(self, patient, score, comment=''):
        answer = self.env['survey.user_input'].create({
            'survey_id': self.survey.id, 'partner_id': patient.id, 'type': 'link'})
        Line = self.env['survey.user_input_line']
        Line.create({'user_input_id': answer.id, 'question_id': self.questions['nps'].id,
                     'survey_id': self.survey.id, 'answer_type': 'number',
                     'value_number': score})
        if comment:
            Line.create({'user_input_id': answer.id,
                         'question_id': self.questions['comment'].id,
                         'survey_id': self.survey.id, 'answer_type': 'free_text',
                         'value_free_text': comment})
        answer.write({'state': 'done'})
        return answer

    def test_sent_after_a_pickup_with_consent_once_a_quarter(self):
        granted, silent = self.patients['granted'], self.patients['silent']
        opted_out = self.patients['opted_out']
        asked_lately = self.env['res.partner'].create({
            'name': 'Asked Lately', 'is_patient': True, 'email': 'asked@example.com',
            'birthdate_date': '1970-01-01', 'allergies': 'None known'})
        self._consent(asked_lately, 'granted')
        no_pickup = self.env['res.partner'].create({
            'name': 'No Pickup', 'is_patient': True, 'email': 'nopickup@example.com',
            'birthdate_date': '1970-01-01', 'allergies': 'None known'})
        self._consent(no_pickup, 'granted')
        for patient in (granted, silent, opted_out, asked_lately):
            self._picked_up(patient)
        self._picked_up(no_pickup, days_ago=20)
        earlier = self.env['survey.user_input'].create({
            'survey_id': self.survey.id, 'partner_id': asked_lately.id, 'type': 'link'})
        self.env.cr.execute("UPDATE survey_user_input SET date_create = now() - interval "
                            "'60 days' WHERE id = %s", [earlier.id])
        Input = self.env['survey.user_input']
        ours = granted | silent | opted_out | asked_lately | no_pickup
        before = Input.search([('partner_id', 'in', ours.ids)])
        for _run in range(2):   # a second run the same day sends nothing more
            self.assertIs(self.env['survey.survey']._cron_pharmacy_feedback(), True)
        sent = Input.search([('partner_id', 'in', ours.ids)]) - before
        self.assertEqual(sent.mapped('partner_id'), granted)
        self.assertEqual((sent.type, sent.survey_id), ('link', self.survey))
        mail = self.env['mail.mail'].search([('model', '=', 'survey.user_input'),
                                             ('res_id', '=', sent.id)])
        self.assertEqual(mail.email_to, granted.email)
        self.assertIn('/survey/start/', mail.body_html)
        self.assertIn(sent.token, mail.body_html)

    def test_nps_per_month_and_service_recovery(self):
        scores = [10, 9, 9, 10, 9, 8, 7, 7, 6, 0]   # 5 promoters, 3 passives, 2 detractors
        patients = self.env['res.partner']
        for number, score in enumerate(scores):
            patient = self.env['res.partner'].create({
                'name': 'Nps %d' % number, 'is_patient': True, 'company_id': self.company.id,
                'email': 'nps%d@example.com' % number, 'birthdate_date': '1970-01-01',
                'allergies': 'None known'})
            self._answer(patient, score, comment='Long wait' if score == 0 else '')
            patients |= patient
        answers = self.env['survey.user_input'].search([('partner_id', 'in', patients.ids)])
        self.assertEqual(sorted(answers.mapped('pharmacy_nps_score')), sorted(scores))
        row, = self.env['pharmacy.nps.report'].sudo(self.marketer).search_read(
            [('company_id', '=', self.company.id)])
        self.assertEqual(
            (row['response_count'], row['promoter_count'], row['passive_count'],
             row['detractor_count'], row['nps']), (10, 5, 3, 2, 30.0))
        activities = self.env['mail.activity'].search([
            ('res_model', '=', 'res.partner'), ('res_id', 'in', patients.ids)])
        # the two detractors, whatever the order of their activities (same deadline)
        self.assertEqual(sorted(activities.mapped('res_id')), sorted(patients[-2:].ids))
        self.assertEqual(activities.mapped('user_id'), self.manager)
        zero = activities.filtered(lambda a: a.res_id == patients[-1].id)
        self.assertIn('Long wait', zero.note)
        self.assertIn('0/10', zero.summary)
        # pharmacy staff read the activity and the answers; marketing reads counts only
        self.assertEqual(self.env['mail.activity'].sudo(self.technician).search_count(
            [('id', 'in', activities.ids)]), 2)
        self.assertFalse(self.env['mail.activity'].sudo(self.marketer).search(
            [('id', 'in', activities.ids)]))
        with self.assertRaises(AccessError):
            activities.sudo(self.marketer).read(['note'])
        for user in (self.marketer, self.internal_user, self.portal_user):
            self.assertFalse(self.env['survey.user_input'].sudo(user).search(
                [('id', 'in', answers.ids)]), user.login)
            self.assertFalse(self.env['survey.user_input_line'].sudo(user).search(
                [('user_input_id', 'in', answers.ids)]), user.login)
        self.assertEqual(self.env['survey.user_input'].sudo(self.technician).search_count(
            [('id', 'in', answers.ids)]), 10)

    def test_an_answer_of_another_day_says_its_own_date(self):
        """A detractor answer dated 5 days ago (the demo's): the activity says that date, not
        today's, and quotes the survey's question; the answer shows the day it was sent and
        its comment."""
        patient = self.env['res.partner'].create({
            'name': 'Late Answer', 'is_patient': True, 'company_id': self.company.id,
            'email': 'late.answer@example.com', 'birthdate_date': '1970-01-01',
            'allergies': 'None known'})
        self.env['survey.user_input']._pharmacy_demo_feedback([[patient.id, 2, 'Rude', 5]])
        day = fields.Date.from_string(pharmacy_today(patient)) - timedelta(days=5)
        activity = self.env['mail.activity'].search([
            ('res_model', '=', 'res.partner'), ('res_id', '=', patient.id)])
        self.assertIn(' on %s.' % format_date(self.env, fields.Date.to_string(day)),
                      activity.note)
        self.assertIn(self.questions['nps'].question, activity.note)
        answer = self.env['survey.user_input'].search([('partner_id', '=', patient.id)])
        self.assertEqual((answer.pharmacy_answered_on, answer.pharmacy_sent_on,
                          answer.pharmacy_comment),
                         (fields.Date.to_string(day), fields.Date.to_string(day), 'Rude'))
