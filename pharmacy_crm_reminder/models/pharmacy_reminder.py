# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import logging
from email.utils import formataddr

from odoo import _, api, fields, models
from odoo.tools import html_escape
from odoo.tools.misc import format_date

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF

from ..tools.reminder import mentions_any

_logger = logging.getLogger(__name__)

KINDS = [('refill', 'Refill due'), ('pickup', 'Ready for pickup')]
CHANNELS = [('email', 'Email'), ('sms', 'SMS')]
OUTCOMES = [('sent', 'Sent'), ('not_sent', 'Not sent')]
REASONS = [('no_sms_gateway', 'No SMS gateway configured')]
TEMPLATES = {'refill': 'pharmacy_crm_reminder.mail_template_refill_reminder',
             'pickup': 'pharmacy_crm_reminder.mail_template_pickup_reminder'}
# an address a mail server would take: something@domain.tld, no space
VALID_EMAIL_SQL = r"p.email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'"
# the patient did not refuse reminders (treatment communication) on this channel
NOT_REFUSED_SQL = """NOT EXISTS (
    SELECT 1 FROM pharmacy_consent c
     WHERE c.patient_id = p.id AND c.channel = '%s' AND c.purpose = 'treatment'
       AND c.state = 'refused')"""


class PharmacyReminder(models.Model):
    """One refill or pickup reminder to one patient on one day (the pharmacy's date): sent by
    email, or not sent with its reason (SMS: no gateway). Written by the scheduled action only;
    its caps read it. At most one per patient and day (a unique constraint)."""

    _name = 'pharmacy.reminder'
    _description = 'Refill and Pickup Reminder'
    _inherit = ['pharmacy.patient.record.mixin']
    _order = 'date desc, id desc'
    _rec_name = 'patient_id'

    date = fields.Date(required=True, index=True, readonly=True,
                       help="The pharmacy's date the reminder was made.")
    reminder_type = fields.Selection(KINDS, string='Type', required=True, readonly=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    # an outcome, not a state: a reminder is made sent or not sent and never changes
    outcome = fields.Selection(OUTCOMES, required=True, readonly=True, index=True)
    reason = fields.Selection(REASONS, string='Not Sent Because', readonly=True)
    due_date = fields.Date(
        readonly=True, help='The earliest due date (refill) or fill date (pickup) reminded.')
    subject = fields.Char(readonly=True)
    prescription_ids = fields.Many2many(
        'pharmacy.patient.medication', 'pharmacy_reminder_prescription_rel', 'reminder_id',
        'prescription_id', string='Prescriptions', readonly=True, groups=PHARMACY_STAFF)
    fill_ids = fields.Many2many(
        'pharmacy.fill', 'pharmacy_reminder_fill_rel', 'reminder_id', 'dispensed_fill_id',
        string='Fills', readonly=True, groups=PHARMACY_STAFF)
    mail_id = fields.Many2one('mail.mail', string='Email', readonly=True, ondelete='set null',
                              groups=PHARMACY_STAFF)
    mail_state = fields.Selection(related='mail_id.state', string='Email Status',
                                  readonly=True, groups=PHARMACY_STAFF)

    _sql_constraints = [
        ('patient_date_uniq', 'unique(patient_id, date)',
         'A patient gets at most one reminder a day.'),
    ]

    # --- the scheduled action ---------------------------------------------------------------
    @api.model
    def _cron_send_reminders(self, patient_ids=None):
        """Remind every patient who has something due, within consent and caps.

        In one SQL statement (``_pharmacy_insert_sql``): the candidates (active, unarchived
        patients served by the pharmacy, with a prescription due or a fill waiting, not
        reminded of it yet, within the caps, with a channel they did not refuse) and their
        reminders, inserted with ``ON CONFLICT DO NOTHING`` on (patient, date): a second run on
        the same day, or one overlapping this one, inserts nothing twice. Then each new email
        reminder is rendered from its template and queued in Odoo's outgoing mail, archived on
        the patient's chatter as the system; an SMS reminder is logged as not sent (no SMS
        gateway). ``patient_ids``: these patients only (the patient form's button). Returns the
        reminders made.
        """
        Setting = self.env['pharmacy.setting']
        params = {
            'due_days': Setting.get('reminder_due_days'),
            'pickup_days': Setting.get('reminder_pickup_days'),
            'gap_days': Setting.get('reminder_gap_days'),
            'week_cap': Setting.get('reminder_week_cap'),
            'uid': self.env.uid,
            'patient_ids': list(patient_ids) if patient_ids is not None else None,
        }
        self.recompute()    # the stored due dates the statement reads
        self.env.cr.execute(self._pharmacy_insert_sql(), params)
        reminders = self.browse([row[0] for row in self.env.cr.fetchall()])
        reminders.invalidate_cache()
        reminders.sudo()._pharmacy_deliver()
        _logger.info('reminders: %d made (%d emailed)', len(reminders),
                     len(reminders.filtered(lambda r: r.channel == 'email')))
        return reminders

    @api.model
    def _pharmacy_refill_items_sql(self):
        """SQL selecting the refill items (patient_id, prescription_id, due_date): the active
        prescriptions due within ``%(due_days)s`` days (from the pharmacy's today on). A glue
        addon changes it (refill sync: the patient's appointment instead)."""
        return """
            SELECT m.patient_id, m.id AS prescription_id, m.next_due_date AS due_date
              FROM pharmacy_patient_medication m
             WHERE m.active AND m.state = 'active'
               AND m.next_due_date BETWEEN pharmacy_today(m.company_id)
                                       AND pharmacy_today(m.company_id) + %(due_days)s"""

    @api.model
    def _pharmacy_insert_sql(self):
        """The statement choosing the candidates and inserting their reminders (see
        ``_cron_send_reminders``); returns the ids inserted.

        - a prescription is reminded once per fill: not when a reminder after its last fill
          named it; a fill waiting for pickup once;
        - a patient with a fill waiting gets the pickup reminder first, the refills wait for
          the next day the caps allow;
        - caps: no reminder sent in the last ``gap_days`` days, fewer than ``week_cap`` sent in
          the 7 days ending today (``tools.reminder.may_remind``); the unique (patient, date)
          makes it one a day whatever the gap;
        - channel: email when the patient has a valid address and did not refuse email
          reminders, else SMS when they have a phone and did not refuse SMS, else none.
        """
        return """
WITH refill_items AS ({refill}),
refill AS (
    SELECT i.patient_id, i.prescription_id, i.due_date
      FROM refill_items i
      JOIN pharmacy_patient_medication m ON m.id = i.prescription_id
     WHERE m.active AND m.state = 'active'
       AND NOT EXISTS (
            SELECT 1 FROM pharmacy_reminder_prescription_rel rp
              JOIN pharmacy_reminder r ON r.id = rp.reminder_id
             WHERE rp.prescription_id = i.prescription_id
               AND r.date > COALESCE(m.last_fill_date, '1900-01-01'::date))
),
pickup AS (
    SELECT f.patient_id, f.id AS fill_id, f.prescription_id, f.fill_date
      FROM pharmacy_fill f
      JOIN pharmacy_patient_medication m ON m.id = f.prescription_id
     WHERE f.state IN ('filled', 'ready') AND m.active AND m.state = 'active'
       AND f.fill_date <= pharmacy_today(f.company_id) - %(pickup_days)s
       AND NOT EXISTS (SELECT 1 FROM pharmacy_reminder_fill_rel rf
                        WHERE rf.dispensed_fill_id = f.id)
),
items AS (
    SELECT patient_id, 'pickup' AS kind, array_agg(DISTINCT prescription_id) AS rx_ids,
           array_agg(fill_id) AS fill_ids, MIN(fill_date) AS due_date
      FROM pickup GROUP BY patient_id
    UNION ALL
    SELECT patient_id, 'refill', array_agg(DISTINCT prescription_id), NULL::integer[],
           MIN(due_date)
      FROM refill GROUP BY patient_id
),
chosen AS (
    SELECT DISTINCT ON (patient_id) * FROM items ORDER BY patient_id, kind = 'pickup' DESC
),
candidates AS (
    SELECT c.*, p.company_id, pharmacy_today(p.company_id) AS today,
           CASE WHEN {valid_email} AND {email_ok} THEN 'email'
                WHEN COALESCE(NULLIF(TRIM(p.mobile), ''), NULLIF(TRIM(p.phone), ''))
                     IS NOT NULL AND {sms_ok} THEN 'sms' END AS channel
      FROM chosen c
      JOIN res_partner p ON p.id = c.patient_id
     WHERE p.is_patient AND p.active AND p.patient_state = 'active'
       AND (%(patient_ids)s::integer[] IS NULL OR p.id = ANY(%(patient_ids)s::integer[]))
       AND NOT EXISTS (
            SELECT 1 FROM pharmacy_reminder r
             WHERE r.patient_id = p.id AND r.outcome = 'sent'
               AND r.date > pharmacy_today(p.company_id) - %(gap_days)s)
       AND (SELECT COUNT(*) FROM pharmacy_reminder r
             WHERE r.patient_id = p.id AND r.outcome = 'sent'
               AND r.date > pharmacy_today(p.company_id) - 7) < %(week_cap)s
),
inserted AS (
    INSERT INTO pharmacy_reminder
           (patient_id, company_id, date, reminder_type, channel, outcome, reason, due_date,
            create_uid, create_date, write_uid, write_date)
    SELECT patient_id, company_id, today, kind, channel,
           CASE channel WHEN 'email' THEN 'sent' ELSE 'not_sent' END,
           CASE channel WHEN 'sms' THEN 'no_sms_gateway' END, due_date,
           %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
      FROM candidates WHERE channel IS NOT NULL
    ON CONFLICT (patient_id, date) DO NOTHING
    RETURNING id, patient_id
),
prescriptions AS (
    INSERT INTO pharmacy_reminder_prescription_rel (reminder_id, prescription_id)
    SELECT i.id, unnest(c.rx_ids) FROM inserted i JOIN candidates c USING (patient_id)
),
fills AS (
    INSERT INTO pharmacy_reminder_fill_rel (reminder_id, dispensed_fill_id)
    SELECT i.id, unnest(c.fill_ids) FROM inserted i JOIN candidates c USING (patient_id)
     WHERE c.fill_ids IS NOT NULL
)
SELECT id FROM inserted ORDER BY id""".format(
            refill=self._pharmacy_refill_items_sql(), valid_email=VALID_EMAIL_SQL,
            email_ok=NOT_REFUSED_SQL % 'email', sms_ok=NOT_REFUSED_SQL % 'sms')

    def _pharmacy_deliver(self):
        """Email each of these new reminders (rendered per patient, queued in Odoo's outgoing
        mail and archived on the patient's chatter, as the system); for those not sent, a note
        on the patient's chatter saying why, written for all of them by one statement."""
        root = self.env.ref('base.partner_root')
        self._pharmacy_note_not_sent(self.filtered(lambda r: r.channel != 'email'), root)
        emails = self.filtered(lambda r: r.channel == 'email')
        if not emails:
            return True
        # the medications of each patient (one query), which no subject may name
        self.env.cr.execute("""
            SELECT m.patient_id, array_agg(DISTINCT d.name)
              FROM pharmacy_patient_medication m
              JOIN pharmacy_medication d ON d.id = m.medication_id
             WHERE m.patient_id = ANY(%s) GROUP BY m.patient_id""",
                            [emails.mapped('patient_id').ids])
        names = dict(self.env.cr.fetchall())
        # every email rendered first, then created: creating a message empties the cache
        # the rendering reads
        rendered = [(reminder.id, reminder.patient_id.id) + reminder._pharmacy_render(
            names.get(reminder.patient_id.id, [])) for reminder in emails]
        written = []
        for reminder_id, patient_id, subject, body, email_from in rendered:
            mail = self.env['mail.mail'].create({
                'subject': subject, 'body_html': body, 'email_from': email_from,
                'recipient_ids': [(4, patient_id)], 'model': 'res.partner',
                'res_id': patient_id, 'author_id': root.id, 'message_type': 'email',
                'auto_delete': False,
            })
            written.append((reminder_id, mail.id, subject))
        # the reminders' email and subject, by one statement (the server's own record)
        self.env.cr.execute("""
            UPDATE pharmacy_reminder r SET mail_id = v.mail_id, subject = v.subject
              FROM unnest(%s::integer[], %s::integer[], %s::varchar[]) AS v(id, mail_id, subject)
             WHERE r.id = v.id""", [[w[0] for w in written], [w[1] for w in written],
                                    [w[2] for w in written]])
        emails.invalidate_cache(['mail_id', 'subject'])
        return True

    @api.model
    def _pharmacy_note_not_sent(self, reminders, author):
        """A note on the chatter of the patient of each reminder not sent (SMS: no gateway), by
        ``author`` (the system), as one INSERT: a day's reminders to SMS-only patients can be
        many, and a message posted through the ORM costs tens of queries each."""
        if not reminders:
            return True
        kinds = dict(self._fields['reminder_type']._description_selection(self.env))
        bodies = {kind: '<p>%s</p>' % html_escape(_(
            'Reminder (%(kind)s) not sent by SMS: no SMS gateway is configured. See the '
            'Reminders of the patient.') % {'kind': label}) for kind, label in kinds.items()}
        self.env.cr.execute("""
            INSERT INTO mail_message (model, res_id, record_name, body, message_type,
                                      subtype_id, author_id, email_from, date,
                                      create_uid, create_date, write_uid, write_date)
            SELECT 'res.partner', r.patient_id, p.name,
                   CASE r.reminder_type WHEN 'pickup' THEN %(pickup)s ELSE %(refill)s END,
                   'comment',
                   %(subtype)s, %(author)s, %(email_from)s, now() AT TIME ZONE 'UTC',
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM pharmacy_reminder r JOIN res_partner p ON p.id = r.patient_id
             WHERE r.id = ANY(%(ids)s)""", {
            'pickup': bodies['pickup'], 'refill': bodies['refill'],
            'subtype': self.env.ref('mail.mt_note').id, 'author': author.id,
            'email_from': author.email and formataddr((author.name, author.email)) or None,
            'uid': self.env.uid, 'ids': reminders.ids})
        self.env['mail.message'].invalidate_cache()
        return True

    def _pharmacy_items(self):
        """What the reminder is about, for its template: a list of {'label', 'date'}; the
        medication in the label only when the patient allows it (else the Rx number)."""
        self.ensure_one()
        show = self.patient_id.reminder_show_medication
        env = self.with_context(lang=self.patient_id.lang or self.env.lang).env
        items = []
        if self.reminder_type == 'pickup':
            for fill in self.fill_ids.sorted('fill_date'):
                items.append({'label': self._pharmacy_label(fill.prescription_id, show),
                              'date': format_date(env, fill.fill_date)})
        else:
            for rx in self.prescription_ids.sorted(lambda r: (r.next_due_date or '', r.id)):
                items.append({'label': self._pharmacy_label(rx, show),
                              'date': format_date(env, self._pharmacy_item_date(rx))})
        return items

    def _pharmacy_item_date(self, prescription):
        """The date the patient is reminded of for ``prescription`` (its next due date; a glue
        addon gives another, e.g. the refill sync appointment)."""
        return prescription.next_due_date

    @staticmethod
    def _pharmacy_label(prescription, show_medication):
        if show_medication:
            return prescription.medication_id.display_name
        return _('Prescription %s') % prescription.rx_number

    def _pharmacy_render(self, medication_names):
        """(subject, body, sender) of this email reminder from its template, in the patient's
        language. The subject is rendered without the items, and replaced by a plain one when
        it would name one of ``medication_names`` (the patient's medications) anyway (e.g.
        typed in the template)."""
        self.ensure_one()
        patient = self.patient_id
        template = self.env.ref(TEMPLATES[self.reminder_type]).with_context(
            lang=patient.lang or self.env.lang)
        subject = template.render_template(template.subject, 'res.partner', [patient.id])[
            patient.id]
        if mentions_any(subject, medication_names):
            subject = _('A reminder from your pharmacy')
        body = template.with_context(reminder_items=self._pharmacy_items(),
                                     reminder_date=format_date(self.env, self.date)
                                     ).render_template(template.body_html, 'res.partner',
                                                       [patient.id], post_process=True)[
            patient.id]
        email_from = template.render_template(template.email_from or '', 'res.partner',
                                              [patient.id])[patient.id]
        if not email_from:
            company = patient.company_id or self.env.user.company_id
            email_from = company.email and formataddr((company.name, company.email)) or \
                self.env['mail.message']._get_default_from()
        return subject, body, email_from
