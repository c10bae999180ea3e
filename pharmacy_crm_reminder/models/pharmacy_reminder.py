# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import logging
from email.utils import formataddr

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape, ustr
from odoo.tools.mail import generate_tracking_message_id
from odoo.tools.misc import format_date, split_every

from odoo.addons.mail.models import mail_template

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF

from ..tools.reminder import mentions_any

_logger = logging.getLogger(__name__)

KINDS = [('refill', 'Refill due'), ('pickup', 'Ready for pickup')]
CHANNELS = [('email', 'Email'), ('sms', 'SMS')]
OUTCOMES = [('sent', 'Sent'), ('not_sent', 'Not sent')]
REASONS = [('no_sms_gateway', 'No SMS gateway configured')]
# email reminders rendered and written together (a day at 20,000 patients makes thousands)
BATCH = 1000
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
        """Email each of these new reminders and, for those not sent, note why on the patient's
        chatter; set-based, in batches of ``BATCH`` reminders (see ``_pharmacy_queue_emails``
        for what is written and why it is what ``mail.mail.create`` writes)."""
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
        for ids in split_every(BATCH, emails.ids):
            batch = self.browse(ids)
            batch._pharmacy_queue_emails(batch._pharmacy_render_all(names), root)
        return True

    def _pharmacy_render_all(self, medication_names):
        """{reminder id: (subject, body, sender)} of these email reminders, rendered from their
        template in their patient's language: one rendering call per template, language and
        part for the subject and the sender, the body compiled once (``_pharmacy_render_bodies``).
        A subject naming one of the patient's ``medication_names`` ({patient id: names}) anyway
        (e.g. typed in the template) is replaced by a plain one."""
        items = self._pharmacy_items_all()
        fallback = {}
        groups = {}
        for reminder in self:
            key = (reminder.reminder_type, reminder.patient_id.lang or self.env.lang)
            groups.setdefault(key, []).append(reminder.id)
        result = {}
        for (kind, lang), ids in groups.items():
            reminders = self.browse(ids)
            template = self.env.ref(TEMPLATES[kind]).with_context(lang=lang)
            patients = reminders.mapped('patient_id').with_context(lang=lang)
            subjects = template.render_template(template.subject, 'res.partner', patients.ids)
            senders = template.render_template(template.email_from or '', 'res.partner',
                                               patients.ids)
            env = template.env
            bodies = reminders.with_env(env)._pharmacy_render_bodies(template, items)
            plain = reminders.with_env(env)._pharmacy_plain_subject()
            for reminder in reminders:
                patient = reminder.patient_id
                subject = subjects[patient.id]
                if mentions_any(subject, medication_names.get(patient.id, [])):
                    subject = plain
                sender = senders[patient.id]
                if not sender:
                    company = patient.company_id or self.env.user.company_id
                    if company.id not in fallback:
                        fallback[company.id] = company.email and formataddr(
                            (company.name, company.email)) or \
                            self.env['mail.message']._get_default_from()
                    sender = fallback[company.id]
                result[reminder.id] = (subject, bodies[reminder.id], sender)
        return result

    def _pharmacy_render_bodies(self, template, items):
        """{reminder id: body} of these reminders (one template, one language: the context's),
        each with its own ``ctx['reminder_items']`` (``items``: {reminder id: items}) and
        ``ctx['reminder_date']``.

        What ``mail.template.render_template(body_html, 'res.partner', [patient],
        post_process=True)`` does for one patient, for many: the same jinja environment (the
        safe one when the context says ``safe``), the same variables (``object``, ``user``,
        ``ctx``, ``format_date``, ``format_tz``, ``format_amount``), "False" rendered as an empty
        string, the same post-processing (local links made absolute); but the template compiled
        once, not once per patient (Odoo's method takes one context for every record, and the
        items differ per patient)."""
        env = self.env
        engine = mail_template.mako_safe_template_env if env.context.get('safe') else \
            mail_template.mako_template_env
        compiled = engine.from_string(ustr(template.body_html or ''))
        variables = {
            'format_date': lambda date, format=False, context=None: mail_template.format_date(
                env, date, format),
            'format_tz': lambda dt, tz=False, format=False, context=None:
                mail_template.format_tz(env, dt, tz, format),
            'format_amount': lambda amount, currency, context=None:
                mail_template.format_amount(env, amount, currency),
            'user': env.user,
        }
        dates = {}
        bodies = {}
        for reminder in self:
            if reminder.date not in dates:
                dates[reminder.date] = format_date(env, reminder.date)
            variables['object'] = reminder.patient_id
            variables['ctx'] = dict(env.context, reminder_items=items[reminder.id],
                                    reminder_date=dates[reminder.date])
            try:
                body = compiled.render(variables)
            except Exception:
                _logger.info('Failed to render template %r', template.body_html, exc_info=True)
                raise UserError(_('Failed to render the template %(template)s for %(patient)s.'
                                  ) % {'template': template.name,
                                       'patient': reminder.patient_id.display_name})
            bodies[reminder.id] = template.render_post_process('' if body == 'False' else body)
        return bodies

    def _pharmacy_items_all(self):
        """{reminder id: items}: what each reminder is about, for its template: a list of
        {'label', 'date'}, the fills (pickup) by fill date, the prescriptions (refill) by due
        date; the medication in the label only when the patient allows it (else the Rx
        number); dates in the patient's language. Prefetched over all of them: a few queries."""
        item_dates = self._pharmacy_item_dates()
        formatted, rx_labels = {}, {}

        def fmt(lang, value):
            if (lang, value) not in formatted:
                formatted[lang, value] = format_date(self.env, value, lang_code=lang)
            return formatted[lang, value]

        result = {}
        for reminder in self:
            patient = reminder.patient_id
            show = patient.reminder_show_medication
            lang = patient.lang or self.env.lang
            if lang not in rx_labels:
                rx_labels[lang] = self.with_context(lang=lang)._pharmacy_rx_label()
            if reminder.reminder_type == 'pickup':
                result[reminder.id] = [
                    {'label': self._pharmacy_label(fill.prescription_id, show, rx_labels[lang]),
                     'date': fmt(lang, fill.fill_date)}
                    for fill in reminder.fill_ids.sorted(lambda f: (f.fill_date, f.id))]
            else:
                result[reminder.id] = [
                    {'label': self._pharmacy_label(rx, show, rx_labels[lang]),
                     'date': fmt(lang, item_dates[reminder.id, rx.id])}
                    for rx in reminder.prescription_ids.sorted(
                        lambda r: (r.next_due_date or '', r.id))]
        return result

    def _pharmacy_item_dates(self):
        """{(reminder id, prescription id): date} the patient is reminded of for each
        prescription of these refill reminders: its next due date. A glue addon gives another
        (e.g. the refill sync appointment), for all of them at once."""
        return {(reminder.id, rx.id): rx.next_due_date
                for reminder in self if reminder.reminder_type == 'refill'
                for rx in reminder.prescription_ids}

    @staticmethod
    def _pharmacy_label(prescription, show_medication, rx_label):
        if show_medication:
            return prescription.medication_id.display_name
        return rx_label % prescription.rx_number

    def _pharmacy_rx_label(self):
        """How an item names a prescription without its medication, in the context's
        language."""
        return _('Prescription %s')

    def _pharmacy_plain_subject(self):
        """The subject replacing one that names a medication, in the context's language."""
        return _('A reminder from your pharmacy')

    def _pharmacy_queue_emails(self, rendered, author):
        """Queue the emails ``rendered`` ({reminder id: (subject, body, sender)}) in Odoo's
        outgoing mail, each archived on its patient's chatter as ``author`` (the system), and
        link them to their reminders: a handful of statements for the whole batch.

        The rows are those ``mail.mail.create({'subject', 'body_html', 'email_from',
        'recipient_ids': [(4, patient)], 'model': 'res.partner', 'res_id': patient,
        'author_id', 'message_type': 'email', 'auto_delete': False})`` wrote for one email (the
        first version of this method; ``test_reminder_mail_rows_are_those_of_the_orm`` compares
        the two), one INSERT per table for all of them:

        - ``mail_message`` (the chatter line: model, res_id, record_name the patient's
          display name, message_type 'email', subject, an empty body as Odoo's (the email's
          body is the mail's, readable by administrators only), author, email_from, reply_to
          from ``message_get_reply_to`` (the catchall, or the sender), a new Message-Id
          (``generate_tracking_message_id('<patient>-res.partner')``), no_auto_thread off, no
          subtype, date now);
        - ``mail_mail`` (body_html, state 'outgoing', auto_delete off, notification off: the
          mail is not a notification of an existing message);
        - ``mail_mail_res_partner_rel`` (the recipient: the patient).

        ``mail.mail.create`` writes nothing else: created without ``mail_message_id`` its
        message skips ``_notify`` (context ``message_create_from_mail_mail``): no notification,
        no needaction, no follower, no channel; it invalidates the patient's cache (done here
        for all). Odoo's queue (``mail.mail.process_email_queue``) sends them as any other.
        """
        if not rendered:
            return True
        cr, uid = self.env.cr, self.env.uid
        reminders = self.browse(sorted(rendered))
        patients = {r.id: r.patient_id.id for r in reminders}
        names = dict(self.env['res.partner'].sudo().browse(
            list(set(patients.values()))).name_get())
        reply_to = {}
        by_sender = {}
        for reminder_id, (_subject, _body, sender) in rendered.items():
            by_sender.setdefault(sender, []).append(patients[reminder_id])
        for sender, patient_ids in by_sender.items():
            replies = self.env['res.partner'].message_get_reply_to(patient_ids, default=sender)
            reply_to.update({(sender, pid): replies[pid] for pid in patient_ids})
        cr.execute("SELECT nextval('mail_message_id_seq'), nextval('mail_mail_id_seq') "
                   "FROM generate_series(1, %s)", [len(reminders)])
        ids = cr.fetchall()
        rows = []
        for reminder, (message_id, mail_id) in zip(reminders, ids):
            subject, body, sender = rendered[reminder.id]
            patient_id = patients[reminder.id]
            rows.append((reminder.id, message_id, mail_id, patient_id, names[patient_id],
                         subject, body, sender, reply_to[sender, patient_id],
                         generate_tracking_message_id('%s-res.partner' % patient_id)))
        columns = list(zip(*rows))
        params = {
            'reminder': list(columns[0]), 'message': list(columns[1]),
            'mail': list(columns[2]), 'patient': list(columns[3]),
            'record_name': list(columns[4]), 'subject': list(columns[5]),
            'body': list(columns[6]), 'sender': list(columns[7]),
            'reply_to': list(columns[8]), 'message_id': list(columns[9]),
            'author': author.id, 'uid': uid,
        }
        cr.execute("""
            INSERT INTO mail_message (id, model, res_id, record_name, message_type, subject,
                                      body, author_id, email_from, reply_to, message_id,
                                      no_auto_thread, date, create_uid, create_date,
                                      write_uid, write_date)
            SELECT v.id, 'res.partner', v.patient, v.record_name, 'email', v.subject, '',
                   %(author)s, v.sender, v.reply_to, v.message_id, false,
                   date_trunc('second', now() AT TIME ZONE 'UTC'),
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM unnest(%(message)s::integer[], %(patient)s::integer[],
                          %(record_name)s::varchar[], %(subject)s::varchar[],
                          %(sender)s::varchar[], %(reply_to)s::varchar[],
                          %(message_id)s::varchar[])
                   AS v(id, patient, record_name, subject, sender, reply_to, message_id)""",
                   params)
        cr.execute("""
            INSERT INTO mail_mail (id, mail_message_id, body_html, state, auto_delete,
                                   notification, create_uid, create_date, write_uid,
                                   write_date)
            SELECT v.id, v.message, v.body, 'outgoing', false, false, %(uid)s,
                   now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM unnest(%(mail)s::integer[], %(message)s::integer[], %(body)s::text[])
                   AS v(id, message, body)""", params)
        cr.execute("""
            INSERT INTO mail_mail_res_partner_rel (mail_mail_id, res_partner_id)
            SELECT * FROM unnest(%(mail)s::integer[], %(patient)s::integer[])""", params)
        # the reminders' email and subject (the server's own record)
        cr.execute("""
            UPDATE pharmacy_reminder r SET mail_id = v.mail, subject = v.subject
              FROM unnest(%(reminder)s::integer[], %(mail)s::integer[], %(subject)s::varchar[])
                   AS v(id, mail, subject)
             WHERE r.id = v.id""", params)
        self.env['mail.message'].invalidate_cache()
        self.env['mail.mail'].invalidate_cache()
        self.env['res.partner'].invalidate_cache(ids=list(set(patients.values())))
        reminders.invalidate_cache(['mail_id', 'subject', 'mail_state'])
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
