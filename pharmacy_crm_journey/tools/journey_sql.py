# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""A journey's rules as SQL over every participant at once (no ORM).

Every condition is a boolean SQL expression on ``pharmacy_journey_participant pa`` joined to
its patient ``res_partner p``; every date is the pharmacy's (``pharmacy_today(company_id)``),
never the server's. Fills and records dated after that day are not seen (the demo runs the
journeys on past days).

Exits, checked before every step a run performs (so before every send), the first that holds
is the reason (a participant exits once):

``left``          dismissed, deceased or transferred out (no longer served);
``archived``      the contact is archived;
``goal``          the journey's goal is a fill and the patient had a counted fill on or after
                  the day they entered (returned fills do not count);
``unsubscribed``  the contact opted out (Odoo's ``opt_out``, which an unsubscribe sets and
                  which refuses the email marketing consent, source *Email reply*);
``consent``       no *granted* email marketing consent any more, refused or withdrawn
                  otherwise (in store, by phone, a form: opt-out is then set too);
``no_email``      no valid email address any more.

These are the marketing segments' exclusions (``pharmacy_crm_marketing.tools.segments``) in
the same order, with the goal after the two that say the patient is gone.
"""

from odoo.addons.pharmacy_crm_marketing.tools.segments import VALID_EMAIL_RE

EXIT_REASONS = ('left', 'archived', 'goal', 'unsubscribed', 'consent', 'no_email')

CONSENT_GRANTED_SQL = """EXISTS (
    SELECT 1 FROM pharmacy_consent c
     WHERE c.patient_id = p.id AND c.channel = 'email' AND c.purpose = 'marketing'
       AND c.state = 'granted')"""

FILL_SINCE_ENTRY_SQL = """EXISTS (
    SELECT 1 FROM pharmacy_fill f
     WHERE f.patient_id = p.id AND f.counts AND f.fill_date >= pa.entry_date
       AND f.fill_date <= pharmacy_today(p.company_id))"""

# the latest mail a journey sent the participant was opened (its tracking image was loaded)
OPENED_LAST_MAIL_SQL = """COALESCE((
    SELECT s.opened IS NOT NULL
      FROM pharmacy_journey_history h
      JOIN mail_mail_statistics s ON s.id = h.statistics_id
     WHERE h.participant_id = pa.id
     ORDER BY h.id DESC LIMIT 1), FALSE)"""

# two or more active prescriptions of maintenance medications
MAINTENANCE_2_SQL = """(
    SELECT COUNT(DISTINCT m.medication_id) FROM pharmacy_patient_medication m
      JOIN pharmacy_medication d ON d.id = m.medication_id
     WHERE m.patient_id = p.id AND m.active AND m.state = 'active'
       AND d.is_maintenance) >= 2"""

# (the reasons are materialized: the UPDATE then fetches each participant by its id, whatever
# the planner believes of a table that just grew by thousands of entrants)
EXIT_SQL = """
    WITH reasons AS MATERIALIZED (
        SELECT pa.id,
               CASE WHEN COALESCE(p.patient_state, 'active') <> 'active' THEN 'left'
                    WHEN NOT p.active THEN 'archived'
                    WHEN j.goal = 'fill' AND {fill} THEN 'goal'
                    WHEN NOT {consent} AND p.opt_out AND NOT EXISTS (
                        SELECT 1 FROM pharmacy_consent c
                         WHERE c.patient_id = p.id AND c.channel = 'email'
                           AND c.purpose = 'marketing'
                           AND COALESCE(c.source, 'email') <> 'email') THEN 'unsubscribed'
                    WHEN NOT {consent} THEN 'consent'
                    WHEN p.opt_out THEN 'unsubscribed'
                    WHEN p.email IS NULL OR btrim(p.email) !~ '{email_re}' THEN 'no_email'
               END AS reason
          FROM pharmacy_journey_participant pa
          JOIN res_partner p ON p.id = pa.patient_id
          JOIN pharmacy_journey j ON j.id = pa.journey_id
         WHERE pa.state = 'active' AND {where})
    UPDATE pharmacy_journey_participant pa
       SET state = 'exited', exit_reason = r.reason, step_id = NULL, next_date = NULL,
           exit_date = pharmacy_today(pa.company_id), write_date = %(now)s,
           write_uid = %(uid)s
      FROM reasons r
     WHERE pa.id = r.id AND r.reason IS NOT NULL
 RETURNING pa.id
"""


def exit_query(where):
    """SQL exiting the active participants selected by ``where`` (a condition on ``pa``,
    ``p`` and ``j``, with named parameters) that meet an exit, with its reason; parameters
    ``now`` and ``uid``; returns their ids."""
    return EXIT_SQL.format(fill=FILL_SINCE_ENTRY_SQL, consent=CONSENT_GRANTED_SQL,
                           email_re=VALID_EMAIL_RE, where=where)


# a participant due: active, and the day of its next step has come (each pharmacy's date
# computed once, not once per participant)
DUE_SQL = """
    SELECT pa.id, pa.step_id FROM pharmacy_journey_participant pa
      JOIN (SELECT c.id, pharmacy_today(c.id) AS today FROM res_company c) t
        ON t.id = pa.company_id
     WHERE pa.journey_id = %(journey)s AND pa.state = 'active' AND pa.step_id IS NOT NULL
       AND pa.next_date <= t.today
     ORDER BY pa.id LIMIT %(limit)s
       FOR UPDATE OF pa SKIP LOCKED
"""

# One execution of a step per participant, enforced by the unique index on
# (participant_id, step_id): a second run, or an overlapping one, inserts nothing (or fails
# on the concurrent update and rolls back), so it performs nothing.
RECORD_STEP_SQL = """
    INSERT INTO pharmacy_journey_history
        (participant_id, step_id, journey_id, patient_id, company_id, date, outcome,
         create_uid, create_date, write_uid, write_date)
    SELECT pa.id, %(step)s, pa.journey_id, pa.patient_id, pa.company_id,
           t.today, %(outcome)s, %(uid)s, %(now)s, %(uid)s, %(now)s
      FROM pharmacy_journey_participant pa
      JOIN (SELECT c.id, pharmacy_today(c.id) AS today FROM res_company c) t
        ON t.id = pa.company_id
     WHERE pa.id = ANY(%(ids)s)
        ON CONFLICT (participant_id, step_id) DO NOTHING
 RETURNING id, participant_id, patient_id
"""


def condition_query(condition_sql):
    """SQL returning the ids among ``%(ids)s`` of the participants meeting the condition."""
    return """
        SELECT pa.id FROM pharmacy_journey_participant pa
          JOIN res_partner p ON p.id = pa.patient_id
         WHERE pa.id = ANY(%(ids)s) AND ({condition})
    """.format(condition=condition_sql)


# Entry events: a condition on ``res_partner p`` with one parameter, the journey's days.
ENTRY_SQL = {
    # a new patient: first counted fill (without a fill: the record) at most N days old
    'new_patient': """COALESCE(
        (SELECT MIN(f.fill_date) FROM pharmacy_fill f WHERE f.patient_id = p.id AND f.counts),
        (p.create_date AT TIME ZONE 'UTC')::date)
        BETWEEN pharmacy_today(p.company_id) - (%s - 1) AND pharmacy_today(p.company_id)""",
    # the first counted fill is at most N days old
    'first_fill': """(SELECT MIN(f.fill_date) FROM pharmacy_fill f
                       WHERE f.patient_id = p.id AND f.counts)
        BETWEEN pharmacy_today(p.company_id) - (%s - 1) AND pharmacy_today(p.company_id)""",
    # lapsed: the last counted fill is N to N + 30 days old (just lapsed: someone who left
    # years ago is not won back by a journey, and 30 days cover a stopped scheduled action)
    'lapsed': """(SELECT MAX(f.fill_date) FROM pharmacy_fill f
                   WHERE f.patient_id = p.id AND f.counts
                     AND f.fill_date <= pharmacy_today(p.company_id))
        BETWEEN pharmacy_today(p.company_id) - (%s + 30) AND pharmacy_today(p.company_id) - %s""",
}
# how many times each entry condition takes the journey's days
ENTRY_PARAMS = {'new_patient': 1, 'first_fill': 1, 'lapsed': 2}

MAX_HOLDOUT_PERCENT = 50


def holdout_to_draw(entrants, held_out, percent):
    """How many of a run's new entrants a journey holds out: the hold-out of all its
    ``entrants`` so far (the new ones included) rounded half up, as a mailing's, minus the
    ``held_out`` ones already drawn (never negative).

    Why cumulative: patients enter a journey a few at a time (one or two new patients a day),
    so rounding each run's share alone would hold out nobody at 10 %; drawn against the total,
    the hold-out stays at the percentage over the journey's life (10 % of 25 entrants: 3).
    Which of the new entrants are held out is drawn at random (``HOLDOUT_SQL``).

    >>> holdout_to_draw(25, 2, 10)
    1
    >>> holdout_to_draw(1, 0, 10)
    0
    """
    return max(0, int(entrants * percent / 100.0 + 0.5) - held_out)


# Hold out, among the new entrants ``%(ids)s`` of the journey ``%(journey)s``, the number
# ``holdout_to_draw`` gives, chosen at random (a hash of the journey and the patient: the same
# draw whichever run makes it): they are recorded at each mail step (outcome "held out") but
# never sent its mail, the comparison group of the journey's campaign return.
HOLDOUT_SQL = """
    WITH totals AS (
        SELECT count(*) AS entrants, count(*) FILTER (WHERE held_out) AS held
          FROM pharmacy_journey_participant WHERE journey_id = %(journey)s),
         drawn AS (
        SELECT pa.id FROM pharmacy_journey_participant pa
         WHERE pa.id = ANY(%(ids)s)
         ORDER BY md5(pa.journey_id || ':' || pa.patient_id), pa.id
         LIMIT (SELECT GREATEST(0, floor(entrants * %(percent)s / 100.0 + 0.5)::integer - held)
                  FROM totals))
    UPDATE pharmacy_journey_participant pa SET held_out = TRUE
      FROM drawn WHERE pa.id = drawn.id
"""

# The mails of a journey step, one per ``(history id, patient)``, written at once as Odoo's
# ``mail.mail.create`` writes them one by one: the message (``mail_message``, type email, on
# the patient), the mail (``mail_mail``, outgoing: the mail queue sends it), its recipient
# (the patient) and its statistics row (opening, as mass mailing tracks it); the history row
# of the step gets the statistics. Parameters: arrays ``history``, ``patient``, ``subject``,
# ``body``, ``email_from``, ``reply_to``, ``message_id`` (unique), ``record_name``, and
# ``author``, ``server``, ``auto_delete``, ``uid``, ``now``.
SEND_SQL = """
    WITH r AS (
        SELECT * FROM unnest(%(history)s::integer[], %(patient)s::integer[],
                             %(subject)s::varchar[], %(body)s::text[],
                             %(email_from)s::varchar[], %(reply_to)s::varchar[],
                             %(message_id)s::varchar[], %(record_name)s::varchar[])
            AS r(history_id, patient_id, subject, body, email_from, reply_to, message_id,
                 record_name)),
    messages AS (
        INSERT INTO mail_message (subject, date, body, model, res_id, record_name, message_type,
                                  email_from, author_id, no_auto_thread, message_id, reply_to,
                                  mail_server_id, create_uid, create_date, write_uid,
                                  write_date)
        SELECT r.subject, %(now)s, '', 'res.partner', r.patient_id, r.record_name, 'email',
               r.email_from, %(author)s, FALSE, r.message_id, r.reply_to, %(server)s,
               %(uid)s, %(now)s, %(uid)s, %(now)s
          FROM r
     RETURNING id, message_id),
    mails AS (
        INSERT INTO mail_mail (mail_message_id, body_html, notification, state, auto_delete,
                               create_uid, create_date, write_uid, write_date)
        SELECT m.id, r.body, FALSE, 'outgoing', %(auto_delete)s,
               %(uid)s, %(now)s, %(uid)s, %(now)s
          FROM messages m JOIN r ON r.message_id = m.message_id
     RETURNING id, mail_message_id),
    sent AS (
        SELECT mails.id AS mail_id, r.*
          FROM mails JOIN messages m ON m.id = mails.mail_message_id
          JOIN r ON r.message_id = m.message_id),
    recipients AS (
        INSERT INTO mail_mail_res_partner_rel (mail_mail_id, res_partner_id)
        SELECT mail_id, patient_id FROM sent),
    statistics AS (
        INSERT INTO mail_mail_statistics (mail_mail_id, mail_mail_id_int, message_id, model,
                                          res_id, scheduled, state, state_update,
                                          create_uid, create_date, write_uid, write_date)
        SELECT mail_id, mail_id, message_id, 'res.partner', patient_id, %(now)s,
               'outgoing', %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
          FROM sent
     RETURNING id, mail_mail_id)
    UPDATE pharmacy_journey_history h SET statistics_id = statistics.id
      FROM statistics JOIN sent ON sent.mail_id = statistics.mail_mail_id
     WHERE h.id = sent.history_id
"""
