# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import logging
from datetime import timedelta

import psycopg2

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html_escape, mute_logger

from ..tools import season_start, sql_date_format
from .pharmacy_setting import CLINICAL_SERVICE_AGE
from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_now, pharmacy_today

_logger = logging.getLogger(__name__)

WORK_TYPES = [
    ('transfer_in', 'Transfer in'),
    ('sync_enrolment', 'Refill sync enrollment'),
    ('clinical_service', 'Clinical service'),
    ('win_back', 'Win-back'),
    ('adherence_outreach', 'Adherence outreach'),
]
# a lead is open while active (not lost) and not won (probability 100): the partial unique
# index, the proposals and the closing all use this one predicate
OPEN_LEAD = "active AND probability < 100"


class CrmLead(models.Model):
    """The pharmacy's pipeline on Odoo's leads: a lead with a work type (``pharmacy_work_type``)
    is a pharmacy lead, in its company's pharmacy team.

    A pharmacy lead is clinical data ("5 maintenance prescriptions", "no fill in 90 days"):
    only the pharmacy staff of its company read it (a global record rule on
    ``pharmacy_lead_reader_id``); its activities, messages, attachments and followers follow
    (``_pharmacy_phi`` and ``_pharmacy_hidden_query``, read by the core's
    ``pharmacy.phi.document.mixin``); its pharmacy fields carry ``groups=`` so that nobody else
    searches, groups or exports by them either.

    Leads are proposed by the pharmacy's data (``_pharmacy_propose_leads``, set-based) and
    closed by it (``_pharmacy_close_by_data``, after every fill change and by the scheduled
    action). One open lead per patient, work type and service: a partial unique index, so
    that two overlapping runs cannot create a second one (``ON CONFLICT DO NOTHING``).

    The access log (the core's ``pharmacy.audit.mixin``) records who opened, created, changed
    or exported a pharmacy lead, with its patient; other leads are not logged.
    """

    _name = 'crm.lead'
    _inherit = ['crm.lead', 'pharmacy.audit.mixin']
    _pharmacy_phi = True   # its activities, attachments, messages follow the lead's rule
    # opening a pharmacy lead (its form reads why it was proposed): a view of patient data
    _audit_view_fields = ('description', 'pharmacy_medications')

    pharmacy_work_type = fields.Selection(
        WORK_TYPES, string='Pharmacy Work', index=True, groups=PHARMACY_STAFF,
        track_visibility='onchange',
        help='The kind of pharmacy work: a lead with one is in the pharmacy pipeline and holds '
             'patient data.')
    pharmacy_lead_reader_id = fields.Many2one(
        'res.users', string='Readable by (pharmacy lead)',
        compute='_compute_pharmacy_lead_reader_id', search='_search_pharmacy_lead_reader_id',
        help='Search only: [("pharmacy_lead_reader_id", "=", uid)] keeps the leads uid reads.')
    pharmacy_service_tag_id = fields.Many2one(
        'crm.lead.tag', string='Service', groups=PHARMACY_STAFF, ondelete='restrict',
        domain=[('is_pharmacy_service', '=', True)],
        help='The clinical service offered (one open lead per patient and service).')
    pharmacy_current_pharmacy = fields.Char(
        string='Current Pharmacy', groups=PHARMACY_STAFF,
        help='Where the prospect fills today (transfer in).')
    pharmacy_medications = fields.Text(
        string='Medications to Transfer', groups=PHARMACY_STAFF,
        help='As the prospect gave them, free text: checked by a pharmacist at the transfer.')
    pharmacy_contact_time = fields.Char(
        string='Preferred Contact Time', groups=PHARMACY_STAFF)
    pharmacy_contact_consent = fields.Boolean(
        string='Agreed to Be Contacted', groups=PHARMACY_STAFF,
        help='The prospect agreed to be contacted about the transfer (recorded as consent on '
             'conversion).')
    pharmacy_referred_by_id = fields.Many2one(
        'res.partner', string='Referred By', groups=PHARMACY_STAFF,
        domain=[('is_patient', '=', True)], help='The patient who referred this person.')
    pharmacy_adherence_id = fields.Many2one(
        'pharmacy.adherence', string='Adherence Figure', groups=PHARMACY_STAFF, readonly=True,
        ondelete='set null', help='The figure of the adherence worklist this outreach is for.')
    pharmacy_reference_date = fields.Date(
        string='Last Fill When Opened', groups=PHARMACY_STAFF, readonly=True,
        help='Win-back: the last counted fill when the lead was proposed or opened; a later one '
             'wins it.')
    pharmacy_proposed = fields.Boolean(
        string='Proposed by Data', groups=PHARMACY_STAFF, readonly=True,
        help='Created by the scheduled action from the pharmacy\'s data.')

    def _compute_pharmacy_lead_reader_id(self):
        for lead in self:
            lead.pharmacy_lead_reader_id = self.env.user

    @api.model
    def _search_pharmacy_lead_reader_id(self, operator, value):
        """Pharmacy leads: pharmacy staff of their company only; other leads: as Odoo says."""
        if operator != '=' or not isinstance(value, int):
            raise UserError(_('Readable by (pharmacy lead) is searched with "=" and a user id '
                              'only.'))
        if value == SUPERUSER_ID:
            return [(1, '=', 1)]
        user = self.env['res.users'].sudo().browse(value)
        if not user.has_group(PHARMACY_STAFF):
            return [('pharmacy_work_type', '=', False)]
        company_ids = self.env['pharmacy.phi.mixin']._pharmacy_company_ids(user)
        return ['|', ('pharmacy_work_type', '=', False), ('company_id', 'in', company_ids)]

    @api.model
    def _pharmacy_hidden_query(self, user, company_ids):
        """The pharmacy leads ``user`` may not read, as SQL (see ``pharmacy.phi.mixin``)."""
        if not user.has_group(PHARMACY_STAFF):
            return ('SELECT id FROM crm_lead WHERE pharmacy_work_type IS NOT NULL', [])
        return ('SELECT id FROM crm_lead WHERE pharmacy_work_type IS NOT NULL AND '
                '(company_id IS NULL OR NOT (company_id = ANY(%s)))', [company_ids])

    def _audit_log(self, event, field_names=(), one_entry=False, any_partner=False):
        """Only pharmacy leads are patient data: the others are not logged."""
        leads = self.browse(self.sudo().filtered('pharmacy_work_type').ids)
        if not leads:
            return None
        return super(CrmLead, leads)._audit_log(
            event, field_names=field_names, one_entry=one_entry, any_partner=any_partner)

    def _audit_patients(self):
        """A pharmacy lead's patient is its contact when that contact is a patient (a
        transfer-in prospect is not one until converted)."""
        return {lead.id: lead.partner_id.id if lead.partner_id.is_patient else None
                for lead in self}

    def _message_track(self, tracked_fields, initial):
        """The chatter of a pharmacy lead in the pipeline's words: Patient, Assigned To,
        Team (crm's Customer, Salesperson, Sales Channel); no Expected Revenue (crm tracks it
        on every change, a pharmacy lead has none)."""
        if self.sudo().pharmacy_work_type:
            labels = {'partner_id': _('Patient'), 'user_id': _('Assigned To'),
                      'team_id': _('Team')}
            tracked_fields = {
                name: dict(info, string=labels.get(name, info.get('string')))
                for name, info in tracked_fields.items() if name != 'planned_revenue'}
        return super()._message_track(tracked_fields, initial)

    @api.model_cr
    def init(self):
        """One open lead per patient, work type and service, enforced by PostgreSQL."""
        result = super().init()
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS crm_lead_pharmacy_one_open
                ON crm_lead (partner_id, pharmacy_work_type,
                             COALESCE(pharmacy_service_tag_id, 0))
             WHERE pharmacy_work_type IS NOT NULL AND partner_id IS NOT NULL
               AND active AND probability < 100""")   # OPEN_LEAD
        return result

    # --- defaults, constraints -----------------------------------------------------------------
    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get('pharmacy_pipeline') and 'team_id' in fields_list:
            values['team_id'] = self.env['crm.team']._pharmacy_team(self.env.user.company_id).id
        return values

    @api.constrains('team_id', 'pharmacy_work_type')
    def _check_pharmacy_team(self):
        for lead in self.sudo():
            if bool(lead.pharmacy_work_type) != bool(lead.team_id.is_pharmacy):
                raise ValidationError(_(
                    'Lead "%s": a lead of the pharmacy team needs a pharmacy work type, and a '
                    'lead with a pharmacy work type belongs to a pharmacy team. Set both or '
                    'neither.') % lead.name)

    @api.constrains('user_id', 'pharmacy_work_type', 'company_id')
    def _check_pharmacy_user(self):
        """A pharmacy lead is assigned to pharmacy staff of its company only: crm mails the
        assignee the lead's name ("Adherence outreach: <patient>"), which a user who may not
        read the lead must not receive."""
        for lead in self.sudo().filtered(lambda lead: lead.pharmacy_work_type and lead.user_id):
            user = lead.user_id
            if not user.has_group(PHARMACY_STAFF) or (
                    lead.company_id and lead.company_id not in user.company_ids):
                raise ValidationError(_(
                    'Lead "%(lead)s": Assigned To is %(user)s, who is not pharmacy staff of '
                    '%(company)s and may not read it. Assign it to a technician, pharmacist or '
                    'manager of the pharmacy.') % {
                        'lead': lead.name, 'user': user.name, 'company': lead.company_id.name})

    @api.model
    def _stage_find(self, team_id=False, domain=None, order='sequence'):
        """The pharmacy pipeline's stages for its leads (won included)."""
        team = self.env['crm.team'].browse(team_id) if team_id else self.mapped('team_id')[:1]
        if self.env.context.get('pharmacy_pipeline') or team.sudo().is_pharmacy:
            return self.env['crm.stage'].search(
                [('is_pharmacy', '=', True)] + list(domain or []), order=order, limit=1)
        return super()._stage_find(team_id=team_id, domain=domain, order=order)

    @api.model
    def _onchange_user_values(self, user_id):
        """A pharmacy lead stays in its pharmacy team whoever is responsible (crm moves a
        lead to its salesperson's sales team)."""
        team = self.env['crm.team'].browse(self.env.context.get('team_id')).sudo()
        if team.exists() and team.is_pharmacy:
            return {}
        return super()._onchange_user_values(user_id)

    @api.model
    def _read_group_stage_ids(self, stages, domain, order):
        if self.env.context.get('pharmacy_pipeline'):
            return stages.search([('is_pharmacy', '=', True)], order=order)
        return super()._read_group_stage_ids(stages, domain, order)

    @api.model
    def create(self, vals):
        if vals.get('pharmacy_work_type') and not vals.get('team_id'):
            vals = dict(vals, team_id=self.env['crm.team']._pharmacy_team(
                self.env.user.company_id).id)
        if vals.get('pharmacy_work_type') and vals.get('team_id'):
            team = self.env['crm.team'].sudo().browse(vals['team_id'])
            vals = dict(vals, company_id=team.company_id.id or vals.get('company_id'))
            if not vals.get('stage_id'):
                vals['stage_id'] = self.with_context(pharmacy_pipeline=True)._stage_find(
                    domain=[('fold', '=', False)]).id
        return super().create(vals)

    # --- actions ---------------------------------------------------------------------------------
    def action_pharmacy_open_patient(self):
        self.ensure_one()
        if not self.partner_id:
            raise UserError(_('Lead "%s" is about no patient yet: convert the prospect to a '
                              'patient first.') % self.name)
        return {
            'type': 'ir.actions.act_window', 'res_model': 'res.partner',
            'res_id': self.partner_id.id, 'view_mode': 'form',
            'views': [(self.env.ref('pharmacy_crm.res_partner_patient_view_form').id, 'form')],
        }

    def action_pharmacy_convert(self):
        """Open the conversion of a transfer-in prospect to a patient."""
        self.ensure_one()
        if self.pharmacy_work_type != 'transfer_in' or self.partner_id.is_patient:
            raise UserError(_('Only a transfer-in lead whose prospect is not a patient yet is '
                              'converted to a patient.'))
        return {
            'type': 'ir.actions.act_window', 'res_model': 'pharmacy.lead.convert',
            'view_mode': 'form', 'target': 'new',
            'context': {'default_lead_id': self.id},
        }

    # --- proposed by data ----------------------------------------------------------------------
    @api.model
    def _cron_pharmacy_pipeline(self):
        """Scheduled action: propose the leads the data calls for, then close those the data
        says are won. Returns True."""
        self._pharmacy_propose_leads()
        self._pharmacy_close_by_data()
        return True

    @api.model
    def _pharmacy_propose_leads(self):
        """Every rule, set-based (one INSERT ... SELECT each); returns the ids created."""
        created = []
        created += self._pharmacy_propose_sync_enrolment()
        created += self._pharmacy_propose_win_back()
        created += self._pharmacy_propose_adherence_outreach()
        created += self._pharmacy_propose_clinical_service()
        if created:
            self.invalidate_cache()
        _logger.info('pharmacy pipeline: %d leads proposed', len(created))
        return created

    def _pharmacy_date_format(self):
        lang = self.env['res.lang']._lang_get(self.env.user.lang or 'en_US')
        return sql_date_format(lang.date_format if lang else None)

    def _pharmacy_insert(self, work_type, candidates, params, service_tag=None):
        """INSERT the leads of ``candidates``: SQL ending with a CTE ``candidates`` (patient_id,
        company_id, reason, reference_date, adherence_id) and its ``params``. A patient with
        an open lead of the type (and service) gets none (the unique index, also against a
        concurrent run: it waits for that run, then inserts nothing it inserted). Returns the
        ids created."""
        stage = self.with_context(pharmacy_pipeline=True)._stage_find(
            domain=[('fold', '=', False)])
        label = dict(self._fields['pharmacy_work_type']._description_selection(self.env))[
            work_type]
        if service_tag:
            label = service_tag.name   # "Flu vaccine: Ruth Jablonski", as staff say it
        now = pharmacy_now(self)
        try:
            with mute_logger('odoo.sql_db'), self.env.cr.savepoint():
                return self._pharmacy_insert_sql(candidates, params, [
                    label, stage.probability, stage.id, work_type,
                    service_tag.id if service_tag else None, now, now, self.env.uid, now,
                    self.env.uid, now])
        except psycopg2.extensions.TransactionRollbackError:
            # a concurrent run inserted (and committed) leads this transaction's snapshot did
            # not see: PostgreSQL refuses ON CONFLICT on them; that run proposed them
            _logger.info('pharmacy pipeline: %s proposed by a concurrent run', work_type)
            return []

    def _pharmacy_insert_sql(self, candidates, params, values):
        self.env.cr.execute(candidates + """
            INSERT INTO crm_lead (name, type, active, probability, priority, color,
                                  partner_id, contact_name, email_from, phone, mobile,
                                  team_id, company_id, stage_id, pharmacy_work_type,
                                  pharmacy_service_tag_id, pharmacy_proposed,
                                  pharmacy_reference_date, pharmacy_adherence_id, description,
                                  date_open, date_last_stage_update, create_uid, create_date,
                                  write_uid, write_date)
            SELECT %s || ': ' || patient.name, 'opportunity', TRUE, %s, '1', 0,
                   patient.id, patient.name, patient.email, patient.phone, patient.mobile,
                   team.id, c.company_id, %s, %s, %s, TRUE, c.reference_date, c.adherence_id,
                   c.reason, %s, %s, %s, %s, %s, %s
              FROM candidates c
              JOIN res_partner patient ON patient.id = c.patient_id
              JOIN crm_team team ON team.company_id = c.company_id AND team.is_pharmacy
                                AND team.active
            ON CONFLICT DO NOTHING
            RETURNING id""", list(params) + values)
        return [row[0] for row in self.env.cr.fetchall()]

    # the patients a rule may propose: active patients of a pharmacy
    _ACTIVE_PATIENTS = """
        SELECT p.id, p.company_id, pharmacy_today(p.company_id) AS today
          FROM res_partner p
         WHERE p.is_patient AND p.active AND p.patient_state = 'active'
           AND p.company_id IS NOT NULL"""

    def _pharmacy_recently_proposed(self, work_type, alias):
        """SQL: no lead of this type for the patient ``alias`` created in the last 90 days,
        open, won or lost: a lead lost ("declined") is not proposed again the next night."""
        return """NOT EXISTS (SELECT 1 FROM crm_lead old
                   WHERE old.partner_id = %s AND old.pharmacy_work_type = '%s'
                     AND old.create_date >= (%s.today - 90))""" % (alias + '.id', work_type,
                                                                   alias)

    @api.model
    def _pharmacy_propose_sync_enrolment(self):
        """Patients the sync addon's *Due Together* query calls due and not enrolled
        (``pharmacy.sync.due.together._due_query``: active prescriptions of active patients
        not enrolled) with 3 or more active maintenance prescriptions due on 3 or more
        different days of the month: 3 trips a month that sync would make one."""
        due_together = self.env['pharmacy.sync.due.together']
        fmt = self._pharmacy_date_format()
        candidates = due_together._due_query() + """,
            maintenance AS (
                SELECT due.patient_id, min(due.company_id) AS company_id, count(*) AS n,
                       count(DISTINCT extract(day FROM due.next_due_date)) AS days,
                       string_agg(due.rx_number || ' ' || to_char(due.next_due_date, %s),
                                  ', ' ORDER BY due.next_due_date, due.rx_number) AS dates
                  FROM due
                  JOIN pharmacy_patient_medication rx ON rx.id = due.id
                  JOIN pharmacy_medication med ON med.id = rx.medication_id
                 WHERE med.is_maintenance
              GROUP BY due.patient_id
                HAVING count(*) >= 3
                   AND count(DISTINCT extract(day FROM due.next_due_date)) >= 3
            ), candidates AS (
                SELECT m.patient_id, m.company_id, NULL::date AS reference_date,
                       NULL::integer AS adherence_id, format(%s, m.n, m.days, m.dates) AS reason
                  FROM maintenance m
                  JOIN (""" + self._ACTIVE_PATIENTS + """) p ON p.id = m.patient_id
                 WHERE """ + self._pharmacy_recently_proposed('sync_enrolment', 'p') + """
            )"""
        # named for the translators, then PostgreSQL format()'s positions
        reason = _('%(count)s active maintenance prescriptions due on %(days)s different days '
                   'of the month (%(dates)s): refill sync would bring them to one pickup.') % {
            'count': '%1$s', 'days': '%2$s', 'dates': '%3$s'}
        return self._pharmacy_insert('sync_enrolment', candidates,
                                     due_together._view_params() + [fmt, reason])

    @api.model
    def _pharmacy_propose_win_back(self):
        """Active patients (not transferred, dismissed or deceased) whose last counted fill is
        N days old or more (N: the setting win_back_days, 90): on day 90, yes; day 89, no."""
        days = self.env['pharmacy.setting'].get('win_back_days')
        fmt = self._pharmacy_date_format()
        candidates = """
            WITH last_fill AS (
                SELECT f.patient_id, max(f.fill_date) AS fill_date
                  FROM pharmacy_fill f WHERE f.counts GROUP BY f.patient_id
            ), candidates AS (
                SELECT p.id AS patient_id, p.company_id, lf.fill_date AS reference_date,
                       NULL::integer AS adherence_id,
                       format(%s, to_char(lf.fill_date, %s), p.today - lf.fill_date, %s)
                           AS reason
                  FROM (""" + self._ACTIVE_PATIENTS + """) p
                  JOIN last_fill lf ON lf.patient_id = p.id
                 WHERE p.today - lf.fill_date >= %s
                   AND """ + self._pharmacy_recently_proposed('win_back', 'p') + """
            )"""
        reason = _('No counted fill since %(date)s (%(days)s days; win-back after %(setting)s '
                   'days without one).') % {'date': '%1$s', 'days': '%2$s', 'setting': '%3$s'}
        return self._pharmacy_insert('win_back', candidates, [reason, fmt, days, days])

    @api.model
    def _pharmacy_propose_adherence_outreach(self):
        """Non-adherent patients of the latest adherence period (the adherence worklist) not
        contacted for adherence in 30 days and without an outreach lead for that period: the
        lead links the worklist's row (the lowest PDC), it does not copy it."""
        Adherence = self.env['pharmacy.adherence'].sudo()
        start, end = Adherence._latest_period()
        if not start:
            return []
        contacted = sorted(Adherence._recently_contacted_patient_ids())
        candidates = """
            WITH rows AS (
                SELECT a.id, a.patient_id, a.pdc, c.name AS class_name,
                       row_number() OVER (PARTITION BY a.patient_id ORDER BY a.pdc, a.id) AS n
                  FROM pharmacy_adherence a
                  JOIN pharmacy_therapeutic_class c ON c.id = a.class_id
                 WHERE a.date_start = %s AND a.date_end = %s AND NOT a.adherent
                   AND NOT (a.patient_id = ANY(%s))
            ), candidates AS (
                SELECT p.id AS patient_id, p.company_id, NULL::date AS reference_date,
                       min(r.id) FILTER (WHERE r.n = 1) AS adherence_id,
                       format(%s, string_agg(r.class_name || ' ' || round(r.pdc * 100)
                                             || '%%', ', ' ORDER BY r.pdc)) AS reason
                  FROM rows r
                  JOIN (""" + self._ACTIVE_PATIENTS + """) p ON p.id = r.patient_id
                 WHERE NOT EXISTS (SELECT 1 FROM crm_lead old
                                    JOIN pharmacy_adherence oa
                                      ON oa.id = old.pharmacy_adherence_id
                                   WHERE old.partner_id = p.id
                                     AND old.pharmacy_work_type = 'adherence_outreach'
                                     AND oa.date_start = %s AND oa.date_end = %s)
              GROUP BY p.id, p.company_id
            )"""
        reason = _('Not adherent in the latest adherence period (proportion of days covered): '
                   '%s.')
        return self._pharmacy_insert('adherence_outreach', candidates,
                                     [start, end, contacted, reason, start, end])

    @api.model
    def _pharmacy_propose_clinical_service(self):
        """Patients 65 or older today (born on or before today minus 65 years) without a flu
        lead (open, won or lost) created since the flu season started (the 1st of the setting
        flu_season_month, ``tools.season_start``)."""
        flu = self.env.ref('pharmacy_crm_pipeline.crm_lead_tag_flu', raise_if_not_found=False)
        if not flu:
            return []
        month = self.env['pharmacy.setting'].get('flu_season_month')
        today = fields.Date.from_string(pharmacy_today(self))
        start = season_start(today, month)
        fmt = self._pharmacy_date_format()
        candidates = """
            WITH candidates AS (
                SELECT p.id AS patient_id, p.company_id, NULL::date AS reference_date,
                       NULL::integer AS adherence_id,
                       format(%s, date_part('year', age(p.today, patient.birthdate_date)),
                              to_char(%s::date, %s)) AS reason
                  FROM (""" + self._ACTIVE_PATIENTS + """) p
                  JOIN res_partner patient ON patient.id = p.id
                 WHERE patient.birthdate_date <= (p.today - make_interval(years => %s))::date
                   AND NOT EXISTS (SELECT 1 FROM crm_lead old
                                    WHERE old.partner_id = p.id
                                      AND old.pharmacy_service_tag_id = %s
                                      AND old.create_date >= %s::date)
            )"""
        reason = _('%(age)s years old and not offered a flu vaccine this season (since '
                   '%(start)s).') % {
            'age': '%1$s', 'start': '%2$s'}
        return self._pharmacy_insert(
            'clinical_service', candidates,
            [reason, start, fmt, CLINICAL_SERVICE_AGE, flu.id, start], service_tag=flu)

    # --- closed by data ------------------------------------------------------------------------
    @api.model
    def _pharmacy_close_by_data(self, patient_ids=None):
        """Win, set-based, the open leads the data shows won (of ``patient_ids``, else of
        everyone): a win-back on a counted fill after the one it was proposed on (or, made by
        hand, dated from its creation on), a transfer-in on the patient's first counted fill,
        a sync enrollment when the patient is enrolled, an adherence outreach once the outreach
        is logged on the patient (the adherence addon's activity). One UPDATE, then one INSERT
        of the chatter messages saying what closed each lead. Returns the ids won."""
        won_stage = self.with_context(pharmacy_pipeline=True)._stage_find(
            domain=[('probability', '=', 100), ('on_change', '=', True)])
        if not won_stage:
            return []
        fmt = self._pharmacy_date_format()
        now = pharmacy_now(self)
        where_patients = '' if patient_ids is None else 'AND l.partner_id = ANY(%(patients)s)'
        try:
            with mute_logger('odoo.sql_db'), self.env.cr.savepoint():
                won = self._pharmacy_close_sql(where_patients, won_stage, fmt, now, patient_ids)
        except psycopg2.extensions.TransactionRollbackError:
            # a concurrent run (the scheduled action, another import) closed some of these
            # leads first: never fail the import for it; what is left is closed by the next run
            _logger.info('pharmacy pipeline: leads closed by a concurrent run')
            return []
        if won:
            self.invalidate_cache()
            self.env['mail.message'].invalidate_cache()
        _logger.info('pharmacy pipeline: %d leads won by data', len(won))
        return won

    def _pharmacy_close_sql(self, where_patients, won_stage, fmt, now, patient_ids):
        self.env.cr.execute("""
            WITH won AS (
                SELECT l.id, format(%(fill_reason)s, to_char(min(f.fill_date), %(fmt)s))
                           AS reason
                  FROM crm_lead l
                  JOIN pharmacy_fill f ON f.patient_id = l.partner_id AND f.counts
                 WHERE l.pharmacy_work_type = 'win_back' AND l.""" + OPEN_LEAD + """
                   AND f.fill_date > COALESCE(l.pharmacy_reference_date,
                                              l.create_date::date - 1)
                   """ + where_patients + """
              GROUP BY l.id
             UNION ALL
                SELECT l.id, format(%(first_reason)s, to_char(min(f.fill_date), %(fmt)s))
                  FROM crm_lead l
                  JOIN pharmacy_fill f ON f.patient_id = l.partner_id AND f.counts
                 WHERE l.pharmacy_work_type = 'transfer_in' AND l.""" + OPEN_LEAD + """
                   """ + where_patients + """
              GROUP BY l.id
             UNION ALL
                SELECT l.id, format(%(sync_reason)s, to_char(min(e.enrolled_on), %(fmt)s))
                  FROM crm_lead l
                  JOIN pharmacy_sync_enrollment e ON e.patient_id = l.partner_id
                                                 AND e.state IN ('enrolled', 'paused')
                 WHERE l.pharmacy_work_type = 'sync_enrolment' AND l.""" + OPEN_LEAD + """
                   """ + where_patients + """
              GROUP BY l.id
             UNION ALL
                SELECT l.id, format(%(outreach_reason)s, to_char(min(m.date)::date, %(fmt)s))
                  FROM crm_lead l
                  JOIN mail_message m ON m.model = 'res.partner' AND m.res_id = l.partner_id
                                     AND m.mail_activity_type_id = %(outreach_type)s
                                     AND m.date >= l.create_date
                 WHERE l.pharmacy_work_type = 'adherence_outreach' AND l.""" + OPEN_LEAD + """
                   """ + where_patients + """
              GROUP BY l.id
            ), closed AS (
                UPDATE crm_lead l
                   SET stage_id = %(stage)s, probability = 100, date_closed = %(now)s,
                       date_last_stage_update = %(now)s, write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM won WHERE won.id = l.id
                RETURNING l.id, l.name, won.reason
            )
            INSERT INTO mail_message (model, res_id, record_name, body, message_type,
                                      subtype_id, author_id, date, message_id, create_uid,
                                      create_date, write_uid, write_date)
            SELECT 'crm.lead', closed.id, closed.name, '<p>' || closed.reason || '</p>',
                   'notification', %(subtype)s, %(author)s, %(now)s,
                   '<pharmacy-pipeline-' || closed.id || '-' || md5(random()::text) || '>',
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM closed
            RETURNING res_id""", {
            'fill_reason': html_escape(_('Won by the pharmacy\'s data: the patient filled '
                                         'again on %s.')),
            'first_reason': html_escape(_('Won by the pharmacy\'s data: first fill of the '
                                          'transferred patient on %s.')),
            'sync_reason': html_escape(_('Won by the pharmacy\'s data: the patient was enrolled '
                                         'in refill sync on %s.')),
            'outreach_reason': html_escape(_('Won by the pharmacy\'s data: the adherence '
                                             'outreach was logged on %s.')),
            'outreach_type': self.env.ref(
                'pharmacy_crm_adherence.mail_activity_type_adherence_outreach').id,
            'fmt': fmt, 'stage': won_stage.id, 'now': now, 'uid': self.env.uid,
            'patients': list(patient_ids or []),
            'subtype': self.env.ref('mail.mt_note').id,
            'author': self.env.user.partner_id.id,
        })
        return [row[0] for row in self.env.cr.fetchall()]

    # --- demo ----------------------------------------------------------------------------------
    @api.model
    def _pharmacy_demo_pipeline(self):
        """Demo: the leads the demo's data proposes; where a work type has fewer than five,
        leads the staff opened by hand from what patients said at the counter; then, per work
        type, the leads spread over the stages as staff would have moved them (in order of
        creation: To Contact, Contacted, Scheduled, Won, and every fifth lost as declined), so
        that the kanban shows every stage of every type. Returns True."""
        self._pharmacy_demo_sources()
        self._pharmacy_propose_leads()
        ref = self.env.ref
        said = {
            'sync_enrolment': (_('Asked at the counter whether all her refills could be '
                                 'picked up on one day.'), None),
            'win_back': (_('Said at the counter that some prescriptions are now filled '
                           'elsewhere.'), None),
            'adherence_outreach': (_('Mentioned at the counter that doses are sometimes '
                                     'skipped.'), None),
            'clinical_service': (_('Asked about the shingles vaccine.'),
                                 ref('pharmacy_crm_pipeline.crm_lead_tag_shingles')),
        }
        team = ref('pharmacy_crm_pipeline.crm_team_pharmacy')
        patients = self.env['res.partner'].search([
            ('is_patient', '=', True), ('patient_state', '=', 'active'),
            ('company_id', '=', team.company_id.id)], order='id')
        labels = dict(WORK_TYPES)
        enrolled = set(self.env['pharmacy.sync.enrollment'].search(
            [('state', 'in', ('enrolled', 'paused'))]).mapped('patient_id').ids)
        for work_type, (description, service) in sorted(said.items()):
            have = self.search([('pharmacy_work_type', '=', work_type)])
            taken = set(have.mapped('partner_id').ids)
            candidates = [p for p in patients if p.id not in taken]
            if work_type == 'sync_enrolment':
                # asked by patients not enrolled; the one in the Won column (the 4th lead) has
                # enrolled since
                won_at = 3 - len(have)
                free = [p for p in candidates if p.id not in enrolled]
                since = next((p for p in candidates if p.id in enrolled), None)
                if won_at >= 0 and since:
                    free.insert(won_at, since)
                candidates = free
            for patient in candidates[:max(0, 5 - len(have))]:
                lead = self.create({
                    'name': '%s: %s' % (_(labels[work_type]), patient.name),
                    'type': 'opportunity', 'partner_id': patient.id, 'team_id': team.id,
                    'pharmacy_work_type': work_type, 'pharmacy_service_tag_id': service and
                    service.id, 'description': description, 'user_id': False})
                # demo records like those of the XML file (the demo's consistency test)
                self.env['ir.model.data'].create({
                    'module': 'pharmacy_crm_pipeline', 'model': 'crm.lead', 'res_id': lead.id,
                    'name': 'crm_lead_demo_%s_%d' % (work_type, patient.id), 'noupdate': True})
        stages = self.env['crm.stage'].search([('is_pharmacy', '=', True)], order='sequence')
        declined = ref('pharmacy_crm_pipeline.crm_lost_reason_declined')
        for work_type in said:
            leads = self.search([('pharmacy_work_type', '=', work_type)], order='id')
            for index, lead in enumerate(leads):
                if index % 5 == 4:
                    lead.write({'lost_reason': declined.id})
                    lead.action_set_lost()
                elif stages[index % 5].probability < 100 or not self._pharmacy_demo_win(lead):
                    lead.write({'stage_id': stages[index % 5].id})
        return True

    @api.model
    def _pharmacy_demo_sources(self):
        """Demo: where the demo's patients came from, as staff recorded it at their first
        visit (New Patients by Source): of every five, two by word of mouth (referred by the
        patient before them), one sent by a prescriber, one walked in, one not recorded.
        Patients with a source already keep it."""
        ref = self.env.ref
        team = ref('pharmacy_crm_pipeline.crm_team_pharmacy')
        patients = self.env['res.partner'].search([
            ('is_patient', '=', True), ('company_id', '=', team.company_id.id),
            ('pharmacy_source_id', '=', False)], order='id')
        word, prescriber, walk_in = (ref('pharmacy_crm_pipeline.utm_source_%s' % name) for name
                                     in ('word_of_mouth', 'prescriber', 'walk_in'))
        for index, patient in enumerate(patients):
            kind = index % 5
            if kind in (0, 1) and index:
                patient.write({'pharmacy_source_id': word.id,
                               'pharmacy_referred_by_id': patients[index - 1].id})
            elif kind == 2:
                patient.write({'pharmacy_source_id': prescriber.id})
            elif kind == 3:
                patient.write({'pharmacy_source_id': walk_in.id})
        return True

    def _pharmacy_demo_win(self, lead):
        """Demo: the data that wins ``lead`` as it happened, then the win by that data (the
        chatter says what). A win-back: said at the counter on the patient's visit before the
        last (its reference date), filled again since; a sync enrollment: asked two weeks before
        the patient enrolled; an adherence outreach: the call logged on the patient by the
        technician. Returns whether the data won it (False: a clinical service, won by the
        staff)."""
        if lead.probability == 100 and lead.date_closed:
            return True   # won before (the demo's function runs again on an update)
        patient, work_type = lead.partner_id, lead.pharmacy_work_type
        asked = None
        if work_type == 'win_back':
            days = sorted(set(patient.fill_ids.filtered('counts').mapped('fill_date')))
            if len(days) < 2:
                return False
            asked = days[-2]
            lead.write({'pharmacy_reference_date': asked})
        elif work_type == 'sync_enrolment':
            enrollment = self.env['pharmacy.sync.enrollment'].search(
                [('patient_id', '=', patient.id), ('state', 'in', ('enrolled', 'paused'))],
                limit=1)
            if not enrollment:
                return False
            asked = fields.Date.to_string(
                fields.Date.from_string(enrollment.enrolled_on) - timedelta(days=14))
        elif work_type == 'adherence_outreach':
            technician = self.env.ref('pharmacy_crm.user_technician')
            self.env['mail.activity'].sudo(technician).create({
                'res_model_id': self.env['ir.model']._get_id('res.partner'),
                'res_id': patient.id, 'user_id': technician.id,
                'activity_type_id': self.env.ref(
                    'pharmacy_crm_adherence.mail_activity_type_adherence_outreach').id,
                'summary': _('Adherence outreach'), 'date_deadline': pharmacy_today(self),
            }).action_feedback(_('Outcome: reached. Doses are skipped on days away from '
                                 'home: a weekly pill organizer agreed.'))
        else:
            return False
        if asked:
            # the lead was opened the day the patient asked (before the data that won it)
            self.env.cr.execute('UPDATE crm_lead SET create_date = %s, date_open = %s '
                                'WHERE id = %s', [asked, asked, lead.id])
            lead.invalidate_cache(['create_date', 'date_open'])
        return lead.id in self._pharmacy_close_by_data(patient.ids)
