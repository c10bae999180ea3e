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
# 'sent': the email was queued in Odoo's outgoing mail (its delivery is the Email Status)
OUTCOMES = [('sent', 'Email queued'), ('not_sent', 'Not sent')]
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
# the patient has a number to text
HAS_PHONE_SQL = "COALESCE(NULLIF(TRIM(p.mobile), ''), NULLIF(TRIM(p.phone), '')) IS NOT NULL"


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
        the same day inserts nothing twice; one overlapping this one waits at the insert for
        the other's reminders, then fails to serialize (Odoo's REPEATABLE READ) and is rolled
        back whole: retried (Odoo retries an RPC call, the scheduler the next day) it sees them.
        Then each new email reminder is rendered from its template and queued in Odoo's
        outgoing mail, archived on the patient's chatter as the system, set-based by batches
        (``_pharmacy_deliver``); an SMS reminder is logged as not sent (no SMS gateway).
        ``patient_ids``: these patients only (the patient form's button). Returns the
        reminders made.
        """
        params = dict(self._pharmacy_candidate_params(
            list(patient_ids) if patient_ids is not None else None), uid=self.env.uid)
        self.recompute()    # the stored due dates the statement reads
        self.env.cr.execute(self._pharmacy_insert_sql(), params)
        rows = self.env.cr.fetchall()
        self._pharmacy_analyze(len(rows))
        reminders = self.browse([row[0] for row in rows])
        reminders.invalidate_cache()
        reminders.sudo()._pharmacy_deliver()
        _logger.info('reminders: %d made (%d emailed)', len(rows),
                     len([row for row in rows if row[1] == 'email']))
        return reminders

    @api.model
    def _pharmacy_analyze(self, added):
        """ANALYZE the reminders' tables when this run added more rows than autovacuum's rule
        (50 + 10% of the table): the statistics of a table that was empty (a new pharmacy, the
        first run) would make PostgreSQL plan the delivery's queries for one row, a nested
        loop over thousands; autovacuum sees the rows only once committed."""
        cr = self.env.cr
        for table in ('pharmacy_reminder', 'pharmacy_reminder_prescription_rel',
                      'pharmacy_reminder_fill_rel'):
            cr.execute('SELECT reltuples FROM pg_class WHERE oid = %s::regclass', [table])
            if added > 50 + 0.1 * max(cr.fetchone()[0], 0):
                cr.execute('ANALYZE %s' % table)  # pylint: disable=sql-injection
        return True

    @api.model
    def _pharmacy_refill_items_sql(self):
        """SQL selecting the refill items (patient_id, prescription_id, due_date): the active
        prescriptions due within ``%(due_days)s`` days, or overdue by at most
        ``%(overdue_days)s`` days (a refill missed is reminded, still once per fill; one overdue
        longer is a lapsed patient's, for the win-back campaigns, not for a reminder every
        fill cycle forever). A glue
        addon changes it (refill sync: the patient's appointment instead). It may join the
        statement's ``today`` (company_id, today): each pharmacy's date, computed once per
        pharmacy, not once per prescription (``pharmacy_today`` reads the company's time zone:
        100,000 calls cost seconds)."""
        return """
            SELECT m.patient_id, m.id AS prescription_id, m.next_due_date AS due_date
              FROM pharmacy_patient_medication m
              LEFT JOIN today t ON t.company_id = m.company_id
             WHERE m.active AND m.state = 'active'
               AND m.next_due_date BETWEEN COALESCE(t.today, pharmacy_today(NULL))
                                           - %(overdue_days)s
                                       AND COALESCE(t.today, pharmacy_today(NULL))
                                           + %(due_days)s"""

    @api.model
    def _pharmacy_insert_sql(self):
        """The statement choosing the candidates and inserting their reminders (see
        ``_cron_send_reminders``); returns the (id, channel) of the reminders inserted.

        - a prescription is reminded once per fill: not when a reminder after its last fill
          named it; a fill waiting for pickup once;
        - a patient with a fill waiting gets the pickup reminder first, the refills wait for
          the next day the caps allow;
        - caps: no reminder sent in the last ``gap_days`` days, fewer than ``week_cap`` sent in
          the 7 days ending today (``tools.reminder.may_remind``); the unique (patient, date)
          makes it one a day whatever the gap;
        - channel: SMS when the patient prefers to be contacted by SMS or phone, has a phone
          and did not refuse SMS reminders; else email when they have a valid address and did
          not refuse email reminders, else SMS when they have a phone and did not refuse SMS,
          else none.

        The statement is ``_pharmacy_candidates_sql`` (the candidates, with whether the caps
        let them be reminded today) followed by the inserts.

        What was reminded and sent before is read once per run, as sets joined to the
        candidates (the last reminder of each prescription due, the waiting fills already
        reminded, the reminders sent in the last days per patient), not by a subquery per
        candidate: a subquery per candidate over a table PostgreSQL believes empty (its
        statistics before the first ANALYZE) was a scan of the whole table per candidate.
        """
        return self._pharmacy_candidates_sql() + """,
inserted AS (
    INSERT INTO pharmacy_reminder
           (patient_id, company_id, date, reminder_type, channel, outcome, reason, due_date,
            create_uid, create_date, write_uid, write_date)
    SELECT patient_id, company_id, today, kind, channel,
           CASE channel WHEN 'email' THEN 'sent' ELSE 'not_sent' END,
           CASE channel WHEN 'sms' THEN 'no_sms_gateway' END, due_date,
           %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
      FROM candidates WHERE channel IS NOT NULL AND gap_ok AND week_ok
    ON CONFLICT (patient_id, date) DO NOTHING
    RETURNING id, patient_id, channel
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
SELECT id, channel FROM inserted ORDER BY id"""

    @api.model
    def _pharmacy_candidates_sql(self):
        """The ``WITH`` part of ``_pharmacy_insert_sql`` up to ``candidates``: the active
        patients with something to remind (``kind``, ``rx_ids``, ``fill_ids``, ``due_date``),
        their ``channel`` (NULL: none), and whether the caps allow a reminder today
        (``gap_ok``: none sent in the last ``gap_days`` days, ``week_ok``: fewer than
        ``week_cap`` sent in the 7 days ending today). Also read by
        ``_pharmacy_why_not_reminded`` to tell staff why a patient got nothing."""
        return """
WITH today AS (SELECT id AS company_id, pharmacy_today(id) AS today FROM res_company),
refill_items AS ({refill}),
reminded_rx AS MATERIALIZED (
    SELECT rp.prescription_id, MAX(r.date) AS last_date
      FROM pharmacy_reminder_prescription_rel rp
      JOIN pharmacy_reminder r ON r.id = rp.reminder_id
     WHERE rp.prescription_id IN (SELECT prescription_id FROM refill_items)
     GROUP BY rp.prescription_id
),
refill AS (
    SELECT i.patient_id, i.prescription_id, i.due_date
      FROM refill_items i
      JOIN pharmacy_patient_medication m ON m.id = i.prescription_id
      LEFT JOIN reminded_rx x ON x.prescription_id = i.prescription_id
     WHERE m.active AND m.state = 'active'
       AND (x.last_date IS NULL
            OR x.last_date <= COALESCE(m.last_fill_date, '1900-01-01'::date))
),
waiting AS MATERIALIZED (
    SELECT f.patient_id, f.id AS fill_id, f.prescription_id, f.fill_date
      FROM pharmacy_fill f
      JOIN pharmacy_patient_medication m ON m.id = f.prescription_id
      LEFT JOIN today t ON t.company_id = f.company_id
     WHERE f.state IN ('filled', 'ready') AND m.active AND m.state = 'active'
       AND f.fill_date <= COALESCE(t.today, pharmacy_today(NULL)) - %(pickup_days)s
),
reminded_fills AS MATERIALIZED (
    SELECT DISTINCT rf.dispensed_fill_id AS fill_id
      FROM pharmacy_reminder_fill_rel rf
     WHERE rf.dispensed_fill_id IN (SELECT fill_id FROM waiting)
),
pickup AS (
    SELECT w.* FROM waiting w LEFT JOIN reminded_fills x USING (fill_id)
     WHERE x.fill_id IS NULL
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
sent AS MATERIALIZED (
    SELECT r.patient_id, MAX(r.date) AS last_date, array_agg(r.date) AS dates
      FROM pharmacy_reminder r
     WHERE r.outcome = 'sent'
       AND r.date > (SELECT MIN(today) FROM today) - GREATEST(%(gap_days)s, 7)
     GROUP BY r.patient_id
),
candidates AS (
    SELECT c.*, p.company_id, d.today,
           CASE WHEN p.preferred_contact_channel IN ('sms', 'phone') AND {has_phone}
                     AND {sms_ok} THEN 'sms'
                WHEN {valid_email} AND {email_ok} THEN 'email'
                WHEN {has_phone} AND {sms_ok} THEN 'sms' END AS channel,
           (s.last_date IS NULL OR s.last_date <= d.today - %(gap_days)s) AS gap_ok,
           (SELECT COUNT(*) FROM unnest(s.dates) AS x(date)
             WHERE x.date > d.today - 7) < %(week_cap)s AS week_ok,
           s.last_date AS last_sent
      FROM chosen c
      JOIN res_partner p ON p.id = c.patient_id
      LEFT JOIN today t ON t.company_id = p.company_id
     CROSS JOIN LATERAL (SELECT COALESCE(t.today, pharmacy_today(NULL)) AS today) d
      LEFT JOIN sent s ON s.patient_id = p.id
     WHERE p.is_patient AND p.active AND p.patient_state = 'active'
       AND (%(patient_ids)s::integer[] IS NULL OR p.id = ANY(%(patient_ids)s::integer[]))
)""".format(
            refill=self._pharmacy_refill_items_sql(), valid_email=VALID_EMAIL_SQL,
            email_ok=NOT_REFUSED_SQL % 'email', sms_ok=NOT_REFUSED_SQL % 'sms',
            has_phone=HAS_PHONE_SQL)

    @api.model
    def _pharmacy_candidate_params(self, patient_ids):
        """The parameters of ``_pharmacy_candidates_sql``: the reminder settings (days before
        a due date, days waiting for pickup, days overdue, the caps) and ``patient_ids`` (None:
        every patient)."""
        Setting = self.env['pharmacy.setting']
        return {
            'due_days': Setting.get('reminder_due_days'),
            'pickup_days': Setting.get('reminder_pickup_days'),
            'gap_days': Setting.get('reminder_gap_days'),
            'week_cap': Setting.get('reminder_week_cap'),
            'overdue_days': Setting.get('reminder_overdue_days'),
            'patient_ids': patient_ids,
        }

    @api.model
    def _pharmacy_why_not_reminded(self, patient):
        """Why ``patient`` (one active patient or not) got no reminder today, in plain words
        for the staff who pressed "Send Due Reminders Now": not an active patient; already
        reminded today; nothing due (nothing in the window not reminded since its fill);
        the caps (one every ``gap_days`` days, ``week_cap`` a week); no channel (no valid email
        or email refused, and no phone or SMS refused). One query: the candidates of
        ``_pharmacy_candidates_sql`` for this patient."""
        params = self._pharmacy_candidate_params([patient.id])
        patient = patient.sudo()
        if not (patient.is_patient and patient.active and patient.patient_state == 'active'):
            return _('%s is not an active patient of the pharmacy: no reminder is sent.'
                     ) % patient.name
        today = patient.company_id.pharmacy_today()
        if self.search_count([('patient_id', '=', patient.id), ('date', '=', today)]):
            return _('%s was already reminded today (at most one reminder a day).'
                     ) % patient.name
        self.env.cr.execute(self._pharmacy_candidates_sql() + """
            SELECT channel, gap_ok, week_ok, last_sent FROM candidates""", params)
        row = self.env.cr.fetchone()
        if not row:
            return _('Nothing to remind %(patient)s of: no active prescription due within '
                     '%(due)s days or overdue by at most %(overdue)s days that was not '
                     'already reminded since its last fill, and no fill waiting for pickup '
                     'for %(pickup)s days or more.') % {
                'patient': patient.name, 'due': params['due_days'],
                'overdue': params['overdue_days'], 'pickup': params['pickup_days']}
        channel, gap_ok, week_ok, last_sent = row
        if not gap_ok:
            return _('%(patient)s was last reminded on %(date)s: at most one reminder every '
                     '%(gap)s days.') % {'patient': patient.name,
                                         'date': format_date(self.env, last_sent),
                                         'gap': params['gap_days']}
        if not week_ok:
            return _('%(patient)s already got %(cap)s reminders in the last 7 days (the '
                     'weekly limit).') % {'patient': patient.name, 'cap': params['week_cap']}
        if not channel:
            return _('No way to remind %s: no valid email address (or email reminders '
                     'refused) and no phone number for SMS (or SMS reminders refused).'
                     ) % patient.name
        return _('No reminder was made for %s.') % patient.name

    def _pharmacy_deliver(self):
        """Email each of these new reminders and, for those not sent, note why on the patient's
        chatter; set-based: what the emails need is read by a few SQL queries, the templates
        are rendered and the emails written by batches of ``BATCH`` (see
        ``_pharmacy_queue_emails`` for what is written and why it is what ``mail.mail.create``
        writes). No query per reminder."""
        root = self.env.ref('base.partner_root')
        self.env.cr.execute("""
            SELECT r.id, r.channel, r.patient_id, r.reminder_type, r.date, p.lang,
                   COALESCE(p.reminder_show_medication, false)
              FROM pharmacy_reminder r JOIN res_partner p ON p.id = r.patient_id
             WHERE r.id = ANY(%s) ORDER BY r.id""", [self.ids])
        rows = self.env.cr.fetchall()
        self._pharmacy_note_not_sent(self.browse([row[0] for row in rows if row[1] != 'email']),
                                     root)
        emails = [row[:1] + row[2:] for row in rows if row[1] == 'email']
        if not emails:
            return True
        # the medications of each patient (one query), which no subject may name
        self.env.cr.execute("""
            SELECT m.patient_id, array_agg(DISTINCT d.name)
              FROM pharmacy_patient_medication m
              JOIN pharmacy_medication d ON d.id = m.medication_id
             WHERE m.patient_id = ANY(%s) GROUP BY m.patient_id""",
                            [list({row[1] for row in emails})])
        names = dict(self.env.cr.fetchall())
        for batch in split_every(BATCH, emails):
            self._pharmacy_queue_emails(batch, self._pharmacy_render_all(batch, names), root)
        return True

    @api.model
    def _pharmacy_render_all(self, emails, medication_names):
        """{reminder id: (subject, body, sender)} of the email reminders ``emails`` (rows
        (id, patient id, type, date, lang, show medication)), rendered from their template in
        their patient's language: one rendering call per template and language for the
        subjects, one for the senders, the body compiled once (``_pharmacy_render_bodies``).
        The patients are read only for the fields the templates use (``prefetch_fields`` off),
        for the whole batch at once. A subject naming one of the patient's
        ``medication_names`` ({patient id: names}) anyway (e.g. typed in the template) is
        replaced by a plain one."""
        items = self._pharmacy_items_all(emails)
        fallback = {}
        groups = {}
        for row in emails:
            groups.setdefault((row[2], row[4] or self.env.lang), []).append(row)
        result = {}
        for (kind, lang), rows in groups.items():
            template = self.env.ref(TEMPLATES[kind]).with_context(
                lang=lang, prefetch_fields=False)
            patient_ids = [row[1] for row in rows]
            subjects = template.render_template(template.subject, 'res.partner', patient_ids)
            senders = template.render_template(template.email_from or '', 'res.partner',
                                               patient_ids)
            bodies = self.with_env(template.env)._pharmacy_render_bodies(template, rows, items)
            plain = self.with_env(template.env)._pharmacy_plain_subject()
            patients = template.env['res.partner'].browse(patient_ids)
            for row, patient in zip(rows, patients):
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
                result[row[0]] = (subject, bodies[row[0]], sender)
        return result

    @api.model
    def _pharmacy_render_bodies(self, template, rows, items):
        """{reminder id: body} of the reminders ``rows`` (one template, one language: the
        context's), each with its own ``ctx['reminder_items']`` (``items``: {reminder id:
        items}) and ``ctx['reminder_date']``.

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
        patients = env['res.partner'].browse([row[1] for row in rows])
        dates = {}
        bodies = {}
        for row, patient in zip(rows, patients):
            if row[3] not in dates:
                dates[row[3]] = format_date(env, row[3])
            variables['object'] = patient
            variables['ctx'] = dict(env.context, reminder_items=items[row[0]],
                                    reminder_date=dates[row[3]])
            try:
                body = compiled.render(variables)
            except Exception:
                _logger.info('Failed to render template %r', template.body_html, exc_info=True)
                raise UserError(_('Failed to render the template %(template)s for %(patient)s.'
                                  ) % {'template': template.name,
                                       'patient': patient.display_name})
            bodies[row[0]] = template.render_post_process('' if body == 'False' else body)
        return bodies

    @api.model
    def _pharmacy_items_all(self, emails):
        """{reminder id: items} of the email reminders ``emails`` (rows (id, patient id, type,
        date, lang, show medication)): what each is about, for its template: a list of
        {'label', 'date'}, the fills (pickup) by fill date, the prescriptions (refill) by due
        date (``_pharmacy_item_dates`` may give another date); the medication in the label only
        when the patient allows it (else the Rx number); dates in the patient's language. Two
        queries and one name_get of the medications named, for all of them."""
        ids = [row[0] for row in emails]
        cr = self.env.cr
        cr.execute("""
            SELECT rp.reminder_id, m.id, m.rx_number, m.medication_id, m.next_due_date
              FROM pharmacy_reminder_prescription_rel rp
              JOIN pharmacy_reminder r ON r.id = rp.reminder_id AND r.reminder_type = 'refill'
              JOIN pharmacy_patient_medication m ON m.id = rp.prescription_id
             WHERE rp.reminder_id = ANY(%s)
             ORDER BY rp.reminder_id, m.next_due_date NULLS FIRST, m.id""", [ids])
        refill = cr.fetchall()
        cr.execute("""
            SELECT rf.reminder_id, m.id, m.rx_number, m.medication_id, f.fill_date
              FROM pharmacy_reminder_fill_rel rf
              JOIN pharmacy_fill f ON f.id = rf.dispensed_fill_id
              JOIN pharmacy_patient_medication m ON m.id = f.prescription_id
             WHERE rf.reminder_id = ANY(%s)
             ORDER BY rf.reminder_id, f.fill_date, f.id""", [ids])
        pickup = cr.fetchall()
        item_dates = self.browse(ids)._pharmacy_item_dates()
        reminders = {row[0]: row for row in emails}
        shown = {line[3] for line in refill + pickup if reminders[line[0]][5]}
        medications = dict(self.env['pharmacy.medication'].browse(list(shown)).name_get())
        formatted, rx_labels = {}, {}
        result = {row[0]: [] for row in emails}
        for line in refill + pickup:
            reminder_id, rx_id, rx_number, medication_id, date = line
            _rid, _patient, kind, _date, lang, show = reminders[reminder_id]
            lang = lang or self.env.lang
            if kind == 'refill':
                date = item_dates.get((reminder_id, rx_id), date)
            if lang not in rx_labels:
                rx_labels[lang] = self.with_context(lang=lang)._pharmacy_rx_label()
            if (lang, date) not in formatted:
                formatted[lang, date] = format_date(self.env, date, lang_code=lang)
            result[reminder_id].append({
                'label': medications[medication_id] if show else rx_labels[lang] % rx_number,
                'date': formatted[lang, date]})
        return result

    def _pharmacy_item_dates(self):
        """{(reminder id, prescription id): date} for the prescriptions of these refill
        reminders reminded of another date than their next due date: none here; a glue addon
        gives them (e.g. the refill sync appointment), for all the reminders at once."""
        return {}

    def _pharmacy_rx_label(self):
        """How an item names a prescription without its medication, in the context's
        language."""
        return _('Prescription %s')

    def _pharmacy_plain_subject(self):
        """The subject replacing one that names a medication, in the context's language."""
        return _('A reminder from your pharmacy')

    @api.model
    def _pharmacy_queue_emails(self, emails, rendered, author):
        """Queue the emails ``rendered`` ({reminder id: (subject, body, sender)}) of the
        reminders ``emails`` (rows starting with (id, patient id)) in Odoo's outgoing mail,
        each archived on its patient's chatter as ``author`` (the system), and link them to
        their reminders: a handful of statements for the whole batch.

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
        patients = {row[0]: row[1] for row in emails}
        names = dict(self.env['res.partner'].sudo().with_context(
            prefetch_fields=False).browse(list(patients.values())).name_get())
        reply_to = {}
        by_sender = {}
        for reminder_id, (_subject, _body, sender) in rendered.items():
            by_sender.setdefault(sender, []).append(patients[reminder_id])
        for sender, patient_ids in by_sender.items():
            replies = self.env['res.partner'].message_get_reply_to(patient_ids, default=sender)
            reply_to.update({(sender, pid): replies[pid] for pid in patient_ids})
        cr.execute("SELECT nextval('mail_message_id_seq'), nextval('mail_mail_id_seq') "
                   "FROM generate_series(1, %s)", [len(emails)])
        ids = cr.fetchall()
        rows = []
        for (reminder_id, patient_id), (message_id, mail_id) in zip(patients.items(), ids):
            subject, body, sender = rendered[reminder_id]
            rows.append((reminder_id, message_id, mail_id, patient_id, names[patient_id],
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
        extra, extra_values = self.env['mail.message']._pharmacy_insert_defaults((
            'id', 'model', 'res_id', 'record_name', 'message_type', 'subject', 'body',
            'author_id', 'email_from', 'reply_to', 'message_id', 'no_auto_thread', 'date'),
            params)
        query = """
            INSERT INTO mail_message (id, model, res_id, record_name, message_type, subject,
                                      body, author_id, email_from, reply_to, message_id,
                                      no_auto_thread, date, create_uid, create_date,
                                      write_uid, write_date{columns})
            SELECT v.id, 'res.partner', v.patient, v.record_name, 'email', v.subject, '',
                   %(author)s, v.sender, v.reply_to, v.message_id, false,
                   date_trunc('second', now() AT TIME ZONE 'UTC'),
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'{values}
              FROM unnest(%(message)s::integer[], %(patient)s::integer[],
                          %(record_name)s::varchar[], %(subject)s::varchar[],
                          %(sender)s::varchar[], %(reply_to)s::varchar[],
                          %(message_id)s::varchar[])
                   AS v(id, patient, record_name, subject, sender, reply_to, message_id)"""
        cr.execute(query.format(columns=extra, values=extra_values), params)
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
        self.env['res.partner'].invalidate_cache(ids=list(patients.values()))
        self.browse(list(patients)).invalidate_cache(['mail_id', 'subject', 'mail_state'])
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
