# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import logging
from datetime import date, timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_escape
from odoo.tools.misc import format_date

from ..tools.adherence import shifted_intervals
from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACIST
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today

_logger = logging.getLogger(__name__)

OUTREACH_DAYS = 30   # "not contacted in 30 days"

# The PDC of every patient x therapeutic class (classes measured for adherence) over one
# period, as tools.adherence.pdc() defines it, in one statement:
# - fills: counted (not returned to stock), dated in the period; drug = lower(active
#   ingredient), or of the medication's name when it has none;
# - shift per patient, class and drug, fills ordered by (date, id): with C_i the days supplied
#   by the earlier fills of the drug, start_i = max(fill_date_i, end_(i-1) + 1)
#   = C_i + max over j <= i of (fill_date_j - C_j): a running sum and a running max;
# - union per patient and class: intervals by start; each adds the days after the furthest
#   end of the intervals before it, max(0, end - max(start, reached + 1) + 1);
# - groups whose fills fall on fewer than two dates have no PDC (no row).
PDC_SELECT = """
WITH fills AS (
    SELECT f.id, f.patient_id, m.therapeutic_class_id AS class_id, p.company_id,
           LOWER(COALESCE(NULLIF(m.generic_name, ''), m.name)) AS drug_key,
           f.fill_date, f.days_supply
      FROM pharmacy_fill f
      JOIN pharmacy_medication m ON m.id = f.medication_id
      JOIN pharmacy_therapeutic_class c ON c.id = m.therapeutic_class_id
      JOIN res_partner p ON p.id = f.patient_id
     WHERE f.state != 'returned' AND c.measure_adherence AND c.active
       AND f.fill_date BETWEEN %(start)s AND %(end)s
       AND (%(all_companies)s OR p.company_id = ANY(%(company_ids)s))
), running AS (
    SELECT *, COALESCE(SUM(days_supply) OVER earlier, 0) AS supplied_before
      FROM fills
    WINDOW earlier AS (PARTITION BY patient_id, class_id, drug_key ORDER BY fill_date, id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
), shifted AS (
    SELECT patient_id, class_id, company_id, fill_date, days_supply,
           MAX(fill_date - supplied_before::integer) OVER (
               PARTITION BY patient_id, class_id, drug_key ORDER BY fill_date, id
               ROWS UNBOUNDED PRECEDING) + supplied_before::integer AS covers_from
      FROM running
), reached AS (
    SELECT patient_id, class_id, covers_from,
           LEAST(covers_from + days_supply - 1, %(end)s::date) AS covers_to,
           MAX(LEAST(covers_from + days_supply - 1, %(end)s::date)) OVER (
               PARTITION BY patient_id, class_id ORDER BY covers_from, days_supply
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reached
      FROM shifted
     WHERE covers_from <= %(end)s
), covered AS (
    SELECT patient_id, class_id,
           SUM(GREATEST(0, covers_to - GREATEST(covers_from, reached + 1) + 1)) AS days
      FROM reached
     GROUP BY patient_id, class_id
), groups AS (
    SELECT patient_id, class_id, MIN(company_id) AS company_id,
           MIN(fill_date) AS index_date, MAX(fill_date) AS last_fill_date,
           COUNT(*) AS fill_count, MAX(covers_from + days_supply) AS next_due_date
      FROM shifted
     GROUP BY patient_id, class_id
    HAVING COUNT(DISTINCT fill_date) >= 2
)
SELECT g.patient_id, g.class_id, g.company_id, g.index_date, g.last_fill_date, g.fill_count,
       g.next_due_date, c.days::integer AS covered_days,
       %(end)s::date - g.index_date + 1 AS period_days,
       c.days::float8 / (%(end)s::date - g.index_date + 1) AS pdc
  FROM groups g
  JOIN covered c ON c.patient_id = g.patient_id AND c.class_id = g.class_id
"""


class PharmacyAdherence(models.Model):
    """Proportion of days covered (PDC) of one patient for one therapeutic class over a period.

    Rows are computed by ``recompute_period`` only (one SQL statement for every patient; the
    formula is ``tools.adherence.pdc``): pdc = covered_days / period_days, period_days =
    date_end - index_date + 1; adherent = pdc >= the adherence threshold (setting, 0.80).
    """

    _name = 'pharmacy.adherence'
    _inherit = ['pharmacy.patient.record.mixin']
    _description = 'Adherence (PDC)'
    _audit_view_fields = ('pdc',)   # opening a row: a view of the patient's adherence
    _order = 'date_end desc, pdc, id'
    _rec_name = 'patient_id'

    patient_id = fields.Many2one(readonly=True, domain=[])   # the patient record mixin's
    class_id = fields.Many2one(
        'pharmacy.therapeutic.class', string='Therapeutic Class', required=True, index=True,
        ondelete='restrict', readonly=True)
    date_start = fields.Date(string='Period Start', required=True, readonly=True)
    date_end = fields.Date(string='Period End', required=True, index=True, readonly=True)
    index_date = fields.Date(
        readonly=True, help='First fill of the class in the period: the treatment starts.')
    covered_days = fields.Integer(
        readonly=True, group_operator='avg',
        help='Days from the index date to the period end covered by a supply of the class '
             '(fills of one drug follow each other, a day covered twice counts once).')
    period_days = fields.Integer(
        string='Days in Treatment', readonly=True, group_operator='avg',
        help='Period end - index date + 1.')
    pdc = fields.Float(
        string='PDC', readonly=True, group_operator='avg',
        help='Proportion of days covered = covered days / days in treatment, from 0 to 1.')
    pdc_percent = fields.Float(
        string='PDC (%)', compute='_compute_pdc_percent', digits=(16, 1), store=True,
        readonly=True, group_operator='avg',
        help='The PDC in percent: pdc x 100 (stored, written with pdc by the SQL of '
             'recompute_period, for the Trends pivot).')
    pdc_display = fields.Char(
        string='PDC', compute='_compute_pdc_percent',
        help='The PDC as people read it: "24.8%".')
    adherent = fields.Boolean(
        readonly=True, index=True, help='PDC at least the adherence threshold (a setting).')
    adherent_share = fields.Float(
        string='Adherent (%)', readonly=True, group_operator='avg',
        help='100 when adherent, else 0: averaged, the percentage of adherent patients.')
    fill_count = fields.Integer(readonly=True, group_operator='avg')
    last_fill_date = fields.Date(readonly=True)
    next_due_date = fields.Date(
        readonly=True, help='Day after the supply of the last fill ends (its shifted end).')
    days_late = fields.Integer(
        compute='_compute_days_late', help='Days since the next due date, today.')
    patient_phone = fields.Char(related='patient_id.phone', string='Phone', readonly=True)
    patient_contact_channel = fields.Selection(
        related='patient_id.preferred_contact_channel', string='Contact By', readonly=True)
    is_latest = fields.Boolean(
        string='Latest Period', compute='_compute_is_latest', search='_search_is_latest',
        help='Rows of the latest period computed: the greatest period end, and of those the '
             'longest period.')
    contacted_recently = fields.Boolean(
        string='Contacted in 30 Days', compute='_compute_contacted_recently',
        search='_search_contacted_recently',
        help='An adherence outreach was logged on the patient in the last 30 days.')
    explanation = fields.Html(
        compute='_compute_explanation', sanitize=False,
        help='The fills of the figure, the days each covers (shifted) and the gaps.')

    _sql_constraints = [
        ('period_unique', 'UNIQUE(patient_id, class_id, date_start, date_end)',
         'One adherence figure per patient, class and period.'),
    ]

    @api.depends('pdc')
    @api.depends('pdc')
    def _compute_pdc_percent(self):
        for row in self:
            row.pdc_percent = row.pdc * 100
            row.pdc_display = '%.1f%%' % (row.pdc * 100)

    def _compute_days_late(self):
        today = fields.Date.from_string(pharmacy_today(self))
        for row in self:
            due = fields.Date.from_string(row.next_due_date) if row.next_due_date else None
            row.days_late = max(0, (today - due).days) if due else 0

    def _compute_is_latest(self):
        latest = self._latest_period()
        for row in self:
            row.is_latest = (row.date_start, row.date_end) == latest

    @api.model
    def _latest_period(self):
        self.env.cr.execute("""SELECT date_start, date_end FROM pharmacy_adherence
                                ORDER BY date_end DESC, date_start LIMIT 1""")
        row = self.env.cr.fetchone()
        return tuple(row) if row else (None, None)   # Odoo 11 reads dates as strings

    @api.model
    def _search_is_latest(self, operator, value):
        if operator not in ('=', '!=') or not isinstance(value, bool):
            raise UserError(_('Latest Period is searched with "= True" or "= False" only.'))
        start, end = self._latest_period()
        domain = ['&', ('date_start', '=', start), ('date_end', '=', end)]
        return domain if (operator == '=') == value else ['!'] + domain

    def _compute_contacted_recently(self):
        contacted = self._recently_contacted_patient_ids()
        for row in self:
            row.contacted_recently = row.patient_id.id in contacted

    @api.model
    def _recently_contacted_patient_ids(self):
        outreach = self.env.ref('pharmacy_crm_adherence.mail_activity_type_adherence_outreach')
        self.env.cr.execute("""
            SELECT DISTINCT res_id FROM mail_message
             WHERE model = 'res.partner' AND mail_activity_type_id = %s
               AND date >= %s::timestamp - %s * interval '1 day'""",
                            [outreach.id, self.env['res.company'].pharmacy_now(), OUTREACH_DAYS])
        return {r[0] for r in self.env.cr.fetchall()}

    @api.model
    def _search_contacted_recently(self, operator, value):
        if operator not in ('=', '!=') or not isinstance(value, bool):
            raise UserError(_('Contacted in 30 Days is searched with "= True" or "= False" '
                              'only.'))
        ids = list(self._recently_contacted_patient_ids())
        return [('patient_id', 'in' if (operator == '=') == value else 'not in', ids)]

    def _fills(self):
        """The counted fills of the row's patient and class dated in its period."""
        self.ensure_one()
        return self.env['pharmacy.fill'].search([
            ('patient_id', '=', self.patient_id.id),
            ('therapeutic_class_id', '=', self.class_id.id), ('counts', '=', True),
            ('fill_date', '>=', self.date_start), ('fill_date', '<=', self.date_end)],
            order='fill_date, id')

    @api.depends('patient_id', 'class_id', 'date_start', 'date_end')
    def _compute_explanation(self):
        """A table of the fills (date, medication, days supply, days covered after shifting)
        and the gaps between covered days, from the index date to the period end."""
        for row in self:
            row.explanation = row._explain_html() if row.id else False

    def _explain_html(self):
        self.ensure_one()
        start = fields.Date.from_string(self.date_start)
        end = fields.Date.from_string(self.date_end)
        fills = self._fills()
        keys = {f.id: f.medication_id._adherence_drug_key() for f in fills}
        by_key = {}
        for fill in fills:
            by_key.setdefault((keys[fill.id], fields.Date.from_string(fill.fill_date),
                               fill.days_supply), []).append(fill)
        intervals = shifted_intervals(
            [(keys[f.id], fields.Date.from_string(f.fill_date), f.days_supply) for f in fills],
            start, end)
        fmt = lambda d: format_date(self.env, fields.Date.to_string(d))  # noqa: E731
        lines = []
        for key, fill_date, days, covers_from, covers_to in sorted(
                intervals, key=lambda i: (i[1], i[3])):
            fill = by_key[(key, fill_date, days)].pop(0)
            shifted = _(' (shifted)') if covers_from != fill_date else ''
            lines.append('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s%s</td></tr>' % (
                fmt(fill_date), html_escape(fill.medication_id.display_name),
                html_escape(key), days, '%s &#8594; %s' % (fmt(covers_from), fmt(covers_to)),
                shifted))
        gaps, cursor = [], fields.Date.from_string(self.index_date)
        for _key, _fd, _days, covers_from, covers_to in sorted(intervals, key=lambda i: i[3]):
            if covers_from > cursor:
                gaps.append((cursor, covers_from - timedelta(days=1)))
            cursor = max(cursor, covers_to + timedelta(days=1))
        if cursor <= end:
            gaps.append((cursor, end))
        gap_html = ''.join('<li>%s &#8594; %s: %s</li>' % (
            fmt(a), fmt(b), _('%d days without supply') % ((b - a).days + 1)) for a, b in gaps)
        return ('<p>%(formula)s</p><table class="table table-condensed o_pharmacy_pdc_fills">'
                '<thead><tr><th>%(date)s</th><th>%(med)s</th><th>%(drug)s</th>'
                '<th>%(days)s</th><th>%(covers)s</th></tr></thead><tbody>%(lines)s</tbody>'
                '</table><p><strong>%(gaps_title)s</strong></p><ul class="o_pharmacy_pdc_gaps">'
                '%(gaps)s</ul>') % {
                    'formula': html_escape(_(
                        'PDC = %(covered)s covered days / %(days)s days from the first fill '
                        '(%(index)s) to %(end)s = %(pdc).1f%%') % {
                            'covered': self.covered_days, 'days': self.period_days,
                            'index': format_date(self.env, self.index_date),
                            'end': format_date(self.env, self.date_end),
                            'pdc': self.pdc * 100}),
                    'date': _('Fill Date'), 'med': _('Medication'),
                    'drug': _('Drug (shifted as one)'), 'days': _('Days Supply'),
                    'covers': _('Covers'), 'lines': ''.join(lines),
                    'gaps_title': _('Gaps'),
                    'gaps': gap_html or '<li>%s</li>' % html_escape(_('None'))}

    @api.model
    def _reclassify(self, threshold):
        """Adherent = PDC >= ``threshold`` for every stored row, with one UPDATE: the effect of
        a new adherence threshold (the pharmacy setting adherence_threshold). Returns the
        number of rows changed."""
        self.env.cr.execute("""
            UPDATE pharmacy_adherence SET adherent = pdc >= %(t)s,
                   adherent_share = CASE WHEN pdc >= %(t)s THEN 100 ELSE 0 END
             WHERE adherent IS DISTINCT FROM (pdc >= %(t)s)""", {'t': threshold})
        self.invalidate_cache(['adherent', 'adherent_share'])
        return self.env.cr.rowcount

    @api.model
    def _period_params(self, date_start, date_end):
        try:
            start, end = (fields.Date.from_string(d) for d in (date_start, date_end))
        except (TypeError, ValueError):
            start = end = None
        if not (start and end) or start > end:
            raise ValidationError(_(
                'Period of the adherence must be two dates, start before end, as YYYY-MM-DD '
                '(got %(start)s to %(end)s).') % {'start': date_start, 'end': date_end})
        user = self.env.user
        all_companies = self.env.uid == SUPERUSER_ID
        company_ids = [] if all_companies else self._pharmacy_company_ids(user)
        return {'start': start, 'end': end, 'all_companies': all_companies,
                'company_ids': company_ids}

    @api.model
    def recompute_period(self, date_start, date_end):
        """Replace the rows of the period [date_start, date_end] (both included) with the PDC
        of every patient and measured class, computed by ONE INSERT ... SELECT (``PDC_SELECT``);
        pharmacists and managers only; returns the number of rows. A pharmacist recomputes
        the patients of their companies; the scheduled action (superuser) every company.

        Two recomputes of one period at once (the monthly job and a pharmacist): the second
        one's DELETE or its ``ON CONFLICT DO UPDATE`` meets rows the first one committed after
        the second one's snapshot, PostgreSQL reports a serialisation failure, and Odoo retries
        the second one (without ``ON CONFLICT`` a first computation of the period would fail
        on the unique constraint instead)."""
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(PHARMACIST):
            raise AccessError(_('Only pharmacists may recompute adherence. Ask a pharmacist.'))
        params = self._period_params(date_start, date_end)
        params.update(threshold=self.env['pharmacy.setting'].get('adherence_threshold'),
                      uid=self.env.uid)
        cr = self.env.cr
        cr.execute("""
            DELETE FROM pharmacy_adherence
             WHERE date_start = %(start)s AND date_end = %(end)s
               AND (%(all_companies)s OR company_id = ANY(%(company_ids)s))""", params)
        cr.execute("""
            INSERT INTO pharmacy_adherence (
                   patient_id, class_id, company_id, date_start, date_end, index_date,
                   last_fill_date, fill_count, next_due_date, covered_days, period_days, pdc,
                   pdc_percent, adherent, adherent_share, create_uid, create_date, write_uid,
                   write_date)
            SELECT patient_id, class_id, company_id, %(start)s, %(end)s, index_date,
                   last_fill_date, fill_count, next_due_date, covered_days, period_days, pdc,
                   pdc * 100, pdc >= %(threshold)s,
                   CASE WHEN pdc >= %(threshold)s THEN 100 ELSE 0 END,
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM (""" + PDC_SELECT + """) AS pdc_rows
            ON CONFLICT ON CONSTRAINT pharmacy_adherence_period_unique DO UPDATE SET
                   company_id = EXCLUDED.company_id, index_date = EXCLUDED.index_date,
                   last_fill_date = EXCLUDED.last_fill_date, fill_count = EXCLUDED.fill_count,
                   next_due_date = EXCLUDED.next_due_date,
                   covered_days = EXCLUDED.covered_days, period_days = EXCLUDED.period_days,
                   pdc = EXCLUDED.pdc, pdc_percent = EXCLUDED.pdc_percent,
                   adherent = EXCLUDED.adherent,
                   adherent_share = EXCLUDED.adherent_share, write_uid = EXCLUDED.write_uid,
                   write_date = EXCLUDED.write_date""", params)
        count = cr.rowcount
        self.invalidate_cache()
        _logger.info('adherence %s..%s: %d rows', date_start, date_end, count)
        return count

    @api.model
    def _rolling_period(self, today=None):
        """The 12 months ending at the last month end before ``today``:
        end = first day of this month - 1 day, start = end's month + 1, a year earlier."""
        today = today or fields.Date.from_string(pharmacy_today(self))
        end = today.replace(day=1) - timedelta(days=1)
        start = date(end.year - 1, end.month, 1) + timedelta(days=32)
        return start.replace(day=1), end

    @api.model
    def _cron_recompute(self):
        """Monthly: store the rolling 12 months ending at the last month end."""
        start, end = self._rolling_period()
        return self.recompute_period(fields.Date.to_string(start), fields.Date.to_string(end))

    @api.model
    def _demo_monthly_snapshots(self, months=12):
        """Demo: the rolling 12 months ending at each of the last ``months`` month ends."""
        today = fields.Date.from_string(pharmacy_today(self))
        for _i in range(months):
            start, end = self._rolling_period(today)
            self.recompute_period(fields.Date.to_string(start), fields.Date.to_string(end))
            today = end
        return True

    def action_log_outreach(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window', 'name': _('Log Outreach'),
            'res_model': 'pharmacy.adherence.outreach', 'view_mode': 'form', 'target': 'new',
            'context': {'default_adherence_id': self.id},
        }

    def action_open_patient(self):
        self.ensure_one()
        return self.patient_id.action_open_patient_profile()
