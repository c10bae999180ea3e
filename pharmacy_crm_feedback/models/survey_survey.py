# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import logging

from odoo import api, fields, models

from odoo.addons.pharmacy_crm_marketing.tools.recipients import EXCLUDED_PATIENTS_SQL

_logger = logging.getLogger(__name__)

PICKUP_DAYS = 7          # a pickup in the last 7 days (so a missed daily run catches up)
INTERVAL_DAYS = 90       # at most one survey a quarter per patient

# Patients to ask: a counted fill picked up in the last PICKUP_DAYS days (the pharmacy's
# dates), a valid address, no satisfaction survey sent in the last INTERVAL_DAYS days, and
# none of the marketing exclusions (no granted email marketing consent, opted out, archived,
# no longer served): see the addon's readme for why marketing consent.
PATIENTS_TO_ASK_SQL = """
    SELECT p.id, p.email
      FROM res_partner p
     WHERE p.is_patient AND p.active AND p.company_id IS NOT NULL
       AND p.email LIKE '%%@%%'
       AND EXISTS (SELECT 1 FROM pharmacy_fill f
                    WHERE f.patient_id = p.id AND f.counts AND f.pickup_date IS NOT NULL
                      AND f.pickup_date BETWEEN pharmacy_today(p.company_id) - {pickup}
                                            AND pharmacy_today(p.company_id))
       AND NOT EXISTS (SELECT 1 FROM survey_user_input i
                         JOIN survey_survey s ON s.id = i.survey_id AND s.pharmacy_feedback
                        WHERE i.partner_id = p.id
                          AND i.date_create::date > pharmacy_today(p.company_id) - {interval})
       AND NOT EXISTS (SELECT 1 FROM ({excluded}) x WHERE x.id = p.id)
  ORDER BY p.id
""".format(pickup=PICKUP_DAYS, interval=INTERVAL_DAYS,
           excluded=EXCLUDED_PATIENTS_SQL.replace('%', '%%'))


class SurveySurvey(models.Model):
    """The pharmacy's satisfaction survey (``pharmacy_feedback``), sent after a pickup by a
    daily scheduled action."""

    _inherit = 'survey.survey'

    pharmacy_feedback = fields.Boolean(
        string='Pharmacy Satisfaction Survey',
        help='Sent by email to patients after a pickup (at most once a quarter, with their '
             'email marketing consent); its answers give the Net Promoter Score.')

    @api.model
    def _cron_pharmacy_feedback(self):
        """Invite the patients who picked up lately (``PATIENTS_TO_ASK_SQL``, one query for
        every pharmacy) to the satisfaction survey: one answer record (with its token) per
        patient, and the invitation queued from the mail template. Returns True."""
        survey = self.sudo().search([('pharmacy_feedback', '=', True)], limit=1)
        if not survey:
            return True
        self.env.cr.execute(PATIENTS_TO_ASK_SQL)
        rows = self.env.cr.fetchall()
        template = self.env.ref('pharmacy_crm_feedback.mail_template_pharmacy_feedback')
        UserInput = self.env['survey.user_input'].sudo()
        for partner_id, email in rows:
            answer = UserInput.create({'survey_id': survey.id, 'partner_id': partner_id,
                                       'email': email, 'type': 'link'})
            template.sudo().send_mail(answer.id)
        _logger.info('Satisfaction survey sent to %d patients', len(rows))
        return True
