# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Who a marketing message may reach, as SQL (no ORM).

A patient is kept from marketing when any of these holds, reported by the first reason in
this order (a patient counts once, for the strongest reason):

``left``        dismissed, deceased or transferred out: no longer served at all;
``archived``    the contact is archived;
``no_email``    no valid email address (as a segment counts it, ``segments.VALID_EMAIL_RE``):
                nothing can be sent to it;
``opted_out``   the contact opted out (Odoo's ``opt_out``);
``no_consent``  no *granted* email marketing consent (``pharmacy.consent``): marketing is sent
                only after an explicit grant, never on silence.

Recipients of any model are matched to patients by email address as Odoo's own mass mailing
blacklist matches them (first address, lower case), and a ``res.partner`` recipient by its id
too: a message to an address some excluded patient uses is not sent, whoever holds it.
"""

from .segments import VALID_EMAIL_RE

EXCLUSION_REASONS = ('left', 'archived', 'no_email', 'opted_out', 'no_consent')

# the address Odoo's mass mailing extracts from an email field (mass_mailing._get_blacklist)
EMAIL_SQL = "lower(substring({0}, '([^ ,;<@]+@[^> ,;]+)'))"

EXCLUDED_PATIENTS_SQL = """
    SELECT p.id, {email} AS email,
           CASE WHEN COALESCE(p.patient_state, 'active') <> 'active' THEN 'left'
                WHEN NOT p.active THEN 'archived'
                WHEN p.email IS NULL OR btrim(p.email) !~ '{email_re}' THEN 'no_email'
                WHEN p.opt_out THEN 'opted_out'
                ELSE 'no_consent' END AS reason
      FROM res_partner p
     WHERE p.is_patient
       AND (COALESCE(p.patient_state, 'active') <> 'active' OR NOT p.active OR p.opt_out
            OR p.email IS NULL OR btrim(p.email) !~ '{email_re}'
            OR NOT EXISTS (SELECT 1 FROM pharmacy_consent c
                            WHERE c.patient_id = p.id AND c.channel = 'email'
                              AND c.purpose = 'marketing' AND c.state = 'granted'))
""".format(email=EMAIL_SQL.format('p.email'), email_re=VALID_EMAIL_RE)


def excluded_recipients_query(table, mail_field, is_partner):
    """SQL returning ``(id, reason)`` for the rows of ``table`` among ``%(ids)s`` that reach an
    excluded patient (by address, and by id when ``table`` is ``res_partner``), one row per
    recipient with its first reason in ``EXCLUSION_REASONS`` order."""
    by_id = 't.id = x.id OR ' if is_partner else ''
    order = ', '.join("'%s'" % reason for reason in EXCLUSION_REASONS)
    return """
        WITH x AS ({excluded})
        SELECT DISTINCT ON (t.id) t.id, x.reason
          FROM {table} t
          JOIN x ON {by_id}(x.email IS NOT NULL AND {email} = x.email)
         WHERE t.id = ANY(%(ids)s)
         ORDER BY t.id, array_position(ARRAY[{order}], x.reason)
    """.format(excluded=EXCLUDED_PATIENTS_SQL, table=table, by_id=by_id,
               email=EMAIL_SQL.format('t.%s' % mail_field), order=order)
