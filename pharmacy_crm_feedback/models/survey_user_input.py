# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape
from odoo.tools.misc import format_date

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_MANAGER, PHARMACY_STAFF
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today

from ..tools.nps import category


class SurveyUserInput(models.Model):
    """An answer to the satisfaction survey, linked to the patient (``partner_id``): once
    completed, its score (0-10) is kept and the pharmacy's date of the answer; a detractor's
    answer (0-6) gives the patient's pharmacy manager a service recovery activity on the
    patient (read by pharmacy staff only: the core's rule on a patient's activities)."""

    _inherit = 'survey.user_input'

    pharmacy_nps_score = fields.Integer(
        string='Likelihood to Recommend', readonly=True,
        help='The answer from 0 to 10 to "How likely are you to recommend us?".')
    pharmacy_answered_on = fields.Date(string='Answered On', readonly=True)
    pharmacy_category = fields.Selection(
        [('promoter', 'Promoter'), ('passive', 'Passive'), ('detractor', 'Detractor')],
        string='NPS Category', readonly=True)
    pharmacy_sent_on = fields.Date(
        string='Sent On', compute='_compute_pharmacy_sent_on',
        help="The pharmacy's date the survey was sent (its creation).")
    pharmacy_comment = fields.Text(
        string='Comment', compute='_compute_pharmacy_comment', groups=PHARMACY_STAFF,
        help="The patient's answer to the optional comment question.")
    pharmacy_patient_company_id = fields.Many2one(
        'res.company', string="Patient's Pharmacy", compute='_compute_pharmacy_patient_company_id',
        search='_search_pharmacy_patient_company_id',
        help="The pharmacy (company) of the patient who answered; empty when the answer is not "
             "a patient's. Searched by the record rules of the answers.")

    def _compute_pharmacy_sent_on(self):
        for answer in self:
            answer.pharmacy_sent_on = answer.date_create and answer.sudo().partner_id.company_id \
                .pharmacy_date(answer.date_create)

    def _compute_pharmacy_patient_company_id(self):
        for answer in self:
            partner = answer.sudo().partner_id
            answer.pharmacy_patient_company_id = partner.is_patient and partner.company_id

    @api.model
    def _search_pharmacy_patient_company_id(self, operator, value):
        """``= False``: answers without a patient; ``in`` companies: the answers of those
        companies' patients. One SQL sub-select (``patient_company_answers``; a path such as
        ``partner_id.company_id`` in a rule would search every contact of the company and
        send their ids back in the query: a patient's form cost grew with the patients)."""
        return [('id', 'inselect', patient_company_answers(operator, value))]

    def _compute_pharmacy_comment(self):
        for answer in self:
            lines = answer.user_input_line_ids.filtered(
                lambda line: line.question_id.pharmacy_role == 'comment' and not line.skipped)
            answer.pharmacy_comment = ' '.join(lines.mapped('value_free_text')) or False

    def write(self, vals):
        result = super().write(vals)
        if vals.get('state') == 'done':
            self._pharmacy_feedback_done()
        return result

    def _pharmacy_feedback_done(self):
        """Keep the score of the completed satisfaction surveys among ``self`` (one query for
        the scores) and open service recovery for detractors. Returns True."""
        answers = self.sudo().filtered(lambda a: a.survey_id.pharmacy_feedback
                                       and a.partner_id.is_patient)
        if not answers:
            return True
        self.env.cr.execute("""
            SELECT line.user_input_id, max(line.value_number),
                   string_agg(line.value_free_text, ' ') FILTER (WHERE q.pharmacy_role = 'comment')
              FROM survey_user_input_line line
              JOIN survey_question q ON q.id = line.question_id
             WHERE line.user_input_id = ANY(%s) AND NOT COALESCE(line.skipped, false)
               AND q.pharmacy_role IN ('nps', 'comment')
          GROUP BY line.user_input_id
        """, [answers.ids])
        found = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for answer in answers:
            score, comment = found.get(answer.id, (None, None))
            if score is None:
                continue
            score = int(round(score))
            # the date of the answer when one was given (the demo's answers), else today
            answer.write({'pharmacy_nps_score': score, 'pharmacy_category': category(score),
                          'pharmacy_answered_on': answer.pharmacy_answered_on
                          or pharmacy_today(answer.partner_id)})
            if answer.pharmacy_category == 'detractor':
                answer._pharmacy_service_recovery(comment)
        return True

    def _pharmacy_service_recovery(self, comment):
        """A To Do for a pharmacy manager of the patient's company on the patient: call back
        the detractor. Returns the activity."""
        self.ensure_one()
        patient = self.partner_id
        managers = self.env.ref(PHARMACY_MANAGER).users.filtered(
            lambda user: patient.company_id in user.company_ids and user.id != SUPERUSER_ID)
        manager = managers.sorted('id')[:1] or self.env.ref('base.user_admin')
        question = self.survey_id.page_ids.mapped('question_ids').filtered(
            lambda q: q.pharmacy_role == 'nps')[:1]
        note = _('<p>%(name)s answered %(score)s out of 10 to "%(question)s" on %(date)s.</p>') % {
            'name': html_escape(patient.name), 'score': self.pharmacy_nps_score,
            'question': html_escape(question.question or ''),
            'date': format_date(self.env, self.pharmacy_answered_on)}
        if comment:
            note += _('<p>Comment: %s</p>') % html_escape(comment)
        return self.env['mail.activity'].sudo().create({
            'res_model_id': self.env['ir.model']._get_id('res.partner'),
            'res_id': patient.id,
            'activity_type_id': self.env.ref('mail.mail_activity_data_todo').id,
            'summary': _('Service recovery: call back (%s/10)') % self.pharmacy_nps_score,
            'note': note,
            'user_id': manager.id,
            'date_deadline': pharmacy_today(patient),
        })

    @api.model
    def _pharmacy_demo_feedback(self, rows):
        """Demo data: completed satisfaction surveys, ``rows`` of ``[patient id, score,
        comment, days ago]``, answered that many days before the pharmacy's today (the
        detractors get their service recovery activity). Returns True."""
        survey = self.env.ref('pharmacy_crm_feedback.survey_pharmacy_feedback')
        questions = {question.pharmacy_role: question
                     for question in survey.page_ids.mapped('question_ids')}
        Line = self.env['survey.user_input_line'].sudo()
        for patient_id, score, comment, days_ago in rows:
            patient = self.env['res.partner'].browse(patient_id)
            day = fields.Date.from_string(pharmacy_today(patient)) - timedelta(days=days_ago)
            # sent and answered that day, mid-morning at the pharmacy
            sent = fields.Datetime.from_string(patient.company_id.pharmacy_day_start(day)) \
                + timedelta(hours=10)
            answer = self.sudo().create({'survey_id': survey.id, 'partner_id': patient.id,
                                         'email': patient.email, 'type': 'link',
                                         'pharmacy_answered_on': fields.Date.to_string(day)})
            self.env.cr.execute("UPDATE survey_user_input SET date_create = %s WHERE id = %s",
                                [sent, answer.id])
            Line.create({'user_input_id': answer.id, 'question_id': questions['nps'].id,
                         'survey_id': survey.id, 'answer_type': 'number',
                         'value_number': score})
            if comment:
                Line.create({'user_input_id': answer.id, 'question_id': questions['comment'].id,
                             'survey_id': survey.id, 'answer_type': 'free_text',
                             'value_free_text': comment})
            answer.write({'state': 'done'})
            self.env.cr.execute(
                "UPDATE mail_activity SET date_deadline = %s WHERE res_model = 'res.partner' "
                "AND res_id = %s AND date_deadline > %s", [day + timedelta(days=1), patient.id,
                                                           day])
        self.invalidate_cache()
        return True


def patient_company_answers(operator, value):
    """The SQL (and its parameters) of the ids of the answers whose patient's pharmacy
    ``operator`` ``value``: ``= False``, the answers of no patient; ``in`` a list of company
    ids, the answers of those companies' patients. The record rules of the answers (on ``id``)
    and of their lines (on ``user_input_id``) search it as one sub-select."""
    if operator == '=' and value is False:
        return ('SELECT id FROM survey_user_input WHERE partner_id IS NULL OR partner_id NOT IN '
                '(SELECT id FROM res_partner WHERE is_patient)', [])
    if operator == 'in' and isinstance(value, (list, tuple)):
        return ('SELECT answer.id FROM survey_user_input answer JOIN res_partner patient ON '
                'patient.id = answer.partner_id WHERE patient.is_patient AND '
                'patient.company_id = ANY(%s)', [list(value)])
    raise UserError(_('The patient\'s pharmacy is searched with "= False" or "in" a list of '
                      'companies only.'))
