# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.tools import html_escape as escape
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF

from ..tools.segments import (CRITERIA_SQL, PROFILE_MIN_MEMBERS, SEGMENT_EXCLUSIONS,
                              candidates_query, classify_query, shown_profile_rows)
from .mass_mailing import MAILING_CONTACT, MAILING_GROUP, MAILING_LIST


class PharmacySegment(models.Model):
    """Patients chosen by pharmacy criteria, kept as the contacts of a mailing list (synced
    on demand and before each mailing to it, as OCA's ``mass_mailing_list_dynamic`` keeps a
    dynamic list), without the patients marketing may not reach, counted per reason.

    A segment using a medication, therapeutic class, adherence or sync criterion (or a contact
    field only pharmacy staff read) is *clinical*: its definition, members and counts are read
    by pharmacy staff only, and only pharmacy staff who are also marketing users send to it.
    A feature adds criteria with ``_pharmacy_criteria`` and ``_pharmacy_clinical_fields``.
    """

    _name = 'pharmacy.segment'
    _description = 'Patient Segment'
    _inherit = ['pharmacy.validation.mixin', 'pharmacy.server.fields.mixin',
                'pharmacy.company.rule.mixin']
    _order = 'name'
    _pharmacy_server_fields = (
        'list_id', 'member_count', 'excluded_left', 'excluded_archived', 'excluded_no_email',
        'excluded_opted_out', 'excluded_no_consent', 'last_sync')
    _pharmacy_refuse_computed = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        'res.company', required=True, index=True,
        default=lambda self: self.env.user.company_id)
    list_id = fields.Many2one(
        MAILING_LIST, string='Mailing List', readonly=True, ondelete='restrict', copy=False,
        help='The mailing list holding the members: choose it as the recipients of a mass '
             'mailing. It is synced before each mailing to it.')
    is_clinical = fields.Boolean(
        string='Clinical', compute='_compute_is_clinical', store=True, index=True,
        help='Built on clinical data: only pharmacy staff read it, and only pharmacy staff '
             'with the mass mailing group send to it.')
    # clinical criteria: pharmacy staff only
    therapeutic_class_id = fields.Many2one(
        'pharmacy.therapeutic.class', string='Takes a Medication of Class',
        groups=PHARMACY_STAFF, help='Patients with an active prescription of this class.')
    top_percent = fields.Integer(
        string='Best Customers (top %)', groups=PHARMACY_STAFF,
        help='Patients whose value score is in the top N percent of the pharmacy\'s active '
             'patients (ties included). 0: not a criterion.')
    # contact criteria
    birthday_this_month = fields.Boolean(help="Patients born in the pharmacy's current month.")
    new_within_days = fields.Integer(
        string='New Patients (days)',
        help='Patients whose first fill (or, without a fill, whose record) is at most this '
             'many days old. 0: not a criterion.')
    lapsed_days = fields.Integer(
        string='Lapsed (days without a fill)',
        help='Patients who had fills but none in this many days. 0: not a criterion.')
    partner_domain = fields.Char(
        string='Contact Filter', default='[]',
        help='A filter on contact fields (e.g. city, tags, "Is a Customer").')
    members_profile = fields.Html(
        string='What the Members Have in Common', compute='_compute_members_profile',
        groups=PHARMACY_STAFF, sanitize=False,
        help='Age bands, therapeutic classes and (with refill sync) sync enrollment of the '
             'members at the last sync: aim at people like them. Shown for 5 members or more, '
             'without the values fewer than 5 members share: fewer would describe '
             'individual patients.')
    # results of the last sync
    member_count = fields.Integer(string='Members', readonly=True)
    excluded_left = fields.Integer(string='Excluded: no longer served', readonly=True)
    excluded_archived = fields.Integer(string='Excluded: archived', readonly=True)
    excluded_no_email = fields.Integer(string='Excluded: no valid email', readonly=True)
    excluded_opted_out = fields.Integer(string='Excluded: opted out', readonly=True)
    excluded_no_consent = fields.Integer(string='Excluded: no marketing consent',
                                         readonly=True)
    last_sync = fields.Datetime(string='Last Synced', readonly=True)

    @api.model
    def _pharmacy_clinical_fields(self):
        """The criterion fields that make a segment clinical (features add theirs)."""
        return ['therapeutic_class_id', 'top_percent']

    @api.depends(lambda self: self._pharmacy_clinical_fields() + ['partner_domain'])
    def _compute_is_clinical(self):
        names = self._pharmacy_clinical_fields()
        for segment in self:
            # as the system: the clinical criteria are fields only pharmacy staff read
            definition = segment.sudo()
            segment.is_clinical = bool(
                any(definition[name] for name in names)
                or definition._pharmacy_domain_is_clinical())

    def _compute_members_profile(self):
        for segment in self:
            if not segment.id:
                segment.members_profile = segment._pharmacy_profile_html([])
                continue
            rows, hidden, total = segment.sudo()._pharmacy_profile_shown()
            segment.members_profile = segment._pharmacy_profile_html(rows, hidden, total)

    @api.constrains('partner_domain', 'new_within_days', 'lapsed_days')
    def _check_criteria(self):
        for segment in self:
            if segment.new_within_days < 0 or segment.lapsed_days < 0 or not (
                    0 <= segment.sudo().top_percent <= 100):
                raise ValidationError(_(
                    'New Patients and Lapsed of the segment %s count days: enter 0 or more; '
                    'Best Customers is a percentage from 0 to 100.')
                    % segment.name)
            segment._pharmacy_parse_domain()

    # --- CRUD ------------------------------------------------------------------------------
    @api.model
    def _pharmacy_prepare_vals(self, vals):
        vals = super()._pharmacy_prepare_vals(vals)
        self._pharmacy_check_server_fields(vals)
        self._pharmacy_check_domain_readable(vals.get('partner_domain'))
        return vals

    @api.model
    def create(self, vals):
        segment = super().create(vals)
        mailing_list = self.env[MAILING_LIST].sudo().create({
            'name': _('Segment: %s') % segment.name,
            'pharmacy_clinical': segment.is_clinical})
        segment.sudo()._pharmacy_server_write({'list_id': mailing_list.id})
        return segment

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        for segment in self.sudo():
            if segment.list_id and (segment.list_id.pharmacy_clinical != segment.is_clinical
                                    or 'name' in vals):
                segment.list_id.write({'pharmacy_clinical': segment.is_clinical,
                                       'name': _('Segment: %s') % segment.name})
        return result

    # --- actions ---------------------------------------------------------------------------
    @api.multi
    def action_sync(self):
        """Recompute the members and the counts now. Returns the members of the segment
        (one segment: the user sees the result), else True."""
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(MAILING_GROUP):
            raise UserError(_('Only marketing users sync a segment: ask an administrator '
                              'for the Email Marketing access.'))
        self.check_access_rights('write')
        self.check_access_rule('write')
        self._pharmacy_sync()
        if len(self) != 1:
            return True
        action = self.action_view_members()
        excluded = sum(self[name] for name in (
            'excluded_%s' % reason for reason in SEGMENT_EXCLUSIONS))
        action['name'] = _('Synced: %(members)s members, %(excluded)s excluded (%(name)s)') % {
            'name': self.name, 'members': self.member_count, 'excluded': excluded}
        return action

    @api.multi
    def action_view_members(self):
        """The members as mailing contacts. Returns an action."""
        self.ensure_one()
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(MAILING_GROUP):
            raise UserError(_('The members of a segment are mailing contacts: only marketing '
                              'users read them. Ask an administrator for the Email Marketing '
                              'access.'))
        self.check_access_rule('read')
        return {
            'type': 'ir.actions.act_window', 'name': _('Members of %s') % self.name,
            'res_model': MAILING_CONTACT, 'view_mode': 'tree,form',
            'views': [(self.env.ref(
                'pharmacy_crm_marketing.mail_mass_mailing_contact_view_tree_segment').id,
                'tree'), (False, 'form')],
            'domain': [('pharmacy_segment_id', '=', self.id)],
        }

    @api.multi
    def action_view_profile(self):
        """The report "What the members have in common" (age bands, classes and what the
        features add) of the last sync, for pharmacy staff. Returns an action."""
        self.ensure_one()
        if not self.env.user.has_group(PHARMACY_STAFF):
            raise AccessError(_('What the members of a segment have in common is pharmacy '
                                'data: only pharmacy staff read it.'))
        self.check_access_rule('read')
        rows, _hidden, total = self.sudo()._pharmacy_profile_shown()
        if rows is None:
            raise UserError(self._pharmacy_profile_too_small(total))
        Line = self.env['pharmacy.segment.profile.line']
        sections = []
        lines = Line.browse()
        for section, label, count, share in rows:
            if section not in sections:
                sections.append(section)
            lines |= Line.create({
                'segment_id': self.id, 'sequence': sections.index(section), 'section': section,
                'label': label, 'member_count': count, 'share': share})
        return {
            'type': 'ir.actions.act_window', 'res_model': Line._name,
            'name': _('What the members of %s have in common') % self.name,
            'view_mode': 'tree,graph', 'domain': [('id', 'in', lines.ids)],
            'context': {'group_by': 'section'},
        }

    # --- business methods ------------------------------------------------------------------
    def _pharmacy_parse_domain(self):
        try:
            domain = safe_eval(self.partner_domain or '[]')
            if not isinstance(domain, (list, tuple)):
                raise ValueError(_('a filter is a list of conditions'))
            expression.expression(domain, self.env['res.partner'])
        except Exception as error:   # noqa: B902 (any parse error is the user's input)
            raise ValidationError(_(
                'Contact Filter of the segment %(name)s is not a valid filter (%(error)s): '
                'build it with the filter editor.') % {'name': self.name, 'error': error})
        return domain

    def _pharmacy_domain_is_clinical(self):
        """Whether the contact filter uses a field only pharmacy staff read."""
        try:
            domain = safe_eval(self.partner_domain or '[]')
        except Exception:   # noqa: B902 (refused by the constraint)
            return False
        return isinstance(domain, (list, tuple)) and any(
            self.env['res.partner']._pharmacy_domain_clinical_fields(domain))

    @api.model
    def _pharmacy_check_domain_readable(self, partner_domain):
        """A user builds a filter only with the contact fields they may read."""
        if not partner_domain:
            return True
        try:
            domain = safe_eval(partner_domain)
        except Exception:   # noqa: B902 (reported by the constraint, with the segment)
            return True
        if not isinstance(domain, (list, tuple)):
            return True
        fields_used = self.env['res.partner']._pharmacy_domain_clinical_fields(domain)
        if fields_used and not self.env.user.has_group(PHARMACY_STAFF):
            raise AccessError(_(
                'The contact filter uses %s, which only pharmacy staff may read: remove it '
                'from the filter.') % ', '.join(sorted(fields_used)))
        return True

    def _pharmacy_member_ids(self):
        self.ensure_one()
        self.env.cr.execute('SELECT pharmacy_patient_id FROM mail_mass_mailing_contact '
                            'WHERE pharmacy_segment_id = %s', [self.id])
        return [row[0] for row in self.env.cr.fetchall()]

    def _pharmacy_profile_rows(self):
        """``[(section, label, members, percent)]`` describing the members: age bands and
        the therapeutic classes of their active prescriptions (features add theirs), a few
        grouped queries."""
        self.ensure_one()
        members = self._pharmacy_member_ids()
        if not members:
            return []
        total = len(members)
        self.env.cr.execute("""
            SELECT band, COUNT(*) FROM (
                SELECT CASE WHEN p.birthdate_date IS NULL THEN 9
                            ELSE LEAST(GREATEST(EXTRACT(YEAR FROM AGE(
                                pharmacy_today(p.company_id), p.birthdate_date))::int / 15 - 1,
                                0), 4) END AS band
                  FROM res_partner p WHERE p.id = ANY(%s)) b
             GROUP BY band ORDER BY band""", [members])
        bands = self.env.cr.fetchall()   # before _(), which may query the same cursor
        labels = {0: _('Under 30'), 1: _('30 to 44'), 2: _('45 to 59'), 3: _('60 to 74'),
                  4: _('75 and over'), 9: _('Unknown')}
        section = _('Age')
        rows = [(section, labels[band], count, 100.0 * count / total)
                for band, count in bands]
        self.env.cr.execute("""
            SELECT c.name, COUNT(DISTINCT m.patient_id) AS n
              FROM pharmacy_patient_medication m
              JOIN pharmacy_medication d ON d.id = m.medication_id
              JOIN pharmacy_therapeutic_class c ON c.id = d.therapeutic_class_id
             WHERE m.patient_id = ANY(%s) AND m.active AND m.state = 'active'
             GROUP BY c.name ORDER BY n DESC, c.name LIMIT 5""", [members])
        classes = self.env.cr.fetchall()
        section = _('Therapeutic class')
        rows += [(section, name, count, 100.0 * count / total)
                 for name, count in classes]
        return rows

    def _pharmacy_profile_shown(self):
        """``(rows, hidden, members)``: the profile rows that may be shown (None for a
        segment too small to describe without describing its patients, see
        ``tools.segments.shown_profile_rows``), how many rows were left out, the members."""
        self.ensure_one()
        total = len(self._pharmacy_member_ids())
        minimum = self._pharmacy_profile_min_members()
        rows, hidden = shown_profile_rows(
            self._pharmacy_profile_rows() if total else [], total, minimum)
        return rows, hidden, total

    @api.model
    def _pharmacy_profile_min_members(self):
        """The minimum group size of "what the members have in common" (system parameter
        ``pharmacy_crm_marketing.profile_min_members``, 5 by default)."""
        value = self.env['ir.config_parameter'].sudo().get_param(
            'pharmacy_crm_marketing.profile_min_members')
        try:
            return max(int(value), 1) if value else PROFILE_MIN_MEMBERS
        except ValueError:
            return PROFILE_MIN_MEMBERS

    @api.model
    def _pharmacy_profile_too_small(self, total):
        return _('This segment has %(members)s members, fewer than %(minimum)s: what they '
                 'have in common would describe individual patients, so it is not '
                 'shown.') % {'members': total, 'minimum': self._pharmacy_profile_min_members()}

    @api.model
    def _pharmacy_profile_html(self, rows, hidden=0, total=0):
        if not total:
            return '<p>%s</p>' % escape(_('No members at the last sync.'))
        if rows is None:
            return '<p>%s</p>' % escape(self._pharmacy_profile_too_small(total))
        note = '<p class="text-muted">%s</p>' % escape(_(
            'Values fewer than %s members share are not shown: they would describe '
            'individual patients.') % self._pharmacy_profile_min_members()) if hidden else ''
        lines = ''.join(
            '<tr><td>%s</td><td>%s</td><td class="text-right">%d</td>'
            '<td class="text-right">%.0f%%</td></tr>' % (
                escape(section), escape(label), count, percent)
            for section, label, count, percent in rows)
        return ('<table class="table table-condensed"><thead><tr><th>%s</th><th></th>'
                '<th class="text-right">%s</th><th class="text-right">%s</th></tr></thead>'
                '<tbody>%s</tbody></table>%s') % (
                    escape(_('Members')), escape(_('Count')), escape(_('Share')), lines, note)

    def _pharmacy_criteria(self):
        """``[(sql condition on res_partner p, params)]`` for the criteria set (features
        extend it)."""
        self.ensure_one()
        criteria = []
        if self.therapeutic_class_id:
            criteria.append((CRITERIA_SQL['therapeutic_class'], [self.therapeutic_class_id.id]))
        if self.top_percent:
            criteria.append((CRITERIA_SQL['top_percent'], [self.company_id.id,
                                                           self.top_percent]))
        if self.birthday_this_month:
            criteria.append((CRITERIA_SQL['birthday_this_month'], []))
        if self.new_within_days:
            criteria.append((CRITERIA_SQL['new_within_days'], [self.new_within_days]))
        if self.lapsed_days:
            criteria.append((CRITERIA_SQL['lapsed_days'], [self.lapsed_days]))
        domain = safe_eval(self.partner_domain or '[]')
        if domain:
            query = self.env['res.partner'].sudo()._where_calc(domain, active_test=False)
            from_clause, where_clause, params = query.get_sql()
            criteria.append(('p.id IN (SELECT "res_partner".id FROM %s WHERE %s)' % (
                from_clause, where_clause or 'TRUE'), list(params)))
        return criteria

    def _pharmacy_classify(self):
        """``{patient id: exclusion reason or None}`` for the candidates: one query."""
        self.ensure_one()
        criteria = self.sudo()._pharmacy_criteria()
        sql = classify_query(candidates_query([c for c, _p in criteria]))
        params = [self.company_id.id] + [p for _c, params in criteria for p in params]
        self.env.cr.execute(sql, params)
        return dict(self.env.cr.fetchall())

    def _pharmacy_sync(self):
        """Members become the contacts of the segment's list (added, updated, removed in a
        few set-based queries); the counts are stored. Returns True."""
        now = fields.Datetime.now()
        Contact = self.env[MAILING_CONTACT]
        cr = self.env.cr
        if any(segment.sudo().top_percent for segment in self):
            self.env['res.partner'].sudo()._pharmacy_compute_value_scores()
        for segment in self.sudo():
            classes = segment._pharmacy_classify()
            members = [pid for pid, reason in classes.items() if not reason]
            counts = dict.fromkeys(SEGMENT_EXCLUSIONS, 0)
            for reason in classes.values():
                if reason:
                    counts[reason] += 1
            cr.execute('DELETE FROM mail_mass_mailing_contact WHERE pharmacy_segment_id = %s '
                       'AND NOT (pharmacy_patient_id = ANY(%s))', [segment.id, members])
            cr.execute("""
                UPDATE mail_mass_mailing_contact c
                   SET name = p.name, email = btrim(p.email), pharmacy_clinical = %s,
                       write_uid = %s, write_date = %s
                  FROM res_partner p
                 WHERE c.pharmacy_segment_id = %s AND p.id = c.pharmacy_patient_id
                   AND (c.name IS DISTINCT FROM p.name OR c.email IS DISTINCT FROM btrim(p.email)
                        OR c.pharmacy_clinical IS DISTINCT FROM %s)
            """, [segment.is_clinical, self.env.uid, now, segment.id, segment.is_clinical])
            cr.execute("""
                WITH new AS (
                    INSERT INTO mail_mass_mailing_contact
                        (name, email, opt_out, message_bounce, pharmacy_segment_id,
                         pharmacy_patient_id, pharmacy_clinical, create_uid, create_date,
                         write_uid, write_date)
                    SELECT p.name, btrim(p.email), false, 0, %(segment)s, p.id, %(clinical)s,
                           %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM res_partner p
                     WHERE p.id = ANY(%(members)s) AND NOT EXISTS (
                        SELECT 1 FROM mail_mass_mailing_contact c
                         WHERE c.pharmacy_segment_id = %(segment)s
                           AND c.pharmacy_patient_id = p.id)
                    RETURNING id)
                INSERT INTO mail_mass_mailing_contact_list_rel (contact_id, list_id)
                SELECT id, %(list)s FROM new
            """, {'segment': segment.id, 'clinical': segment.is_clinical, 'uid': self.env.uid,
                  'now': now, 'members': members, 'list': segment.list_id.id})
            segment._pharmacy_server_write(dict(
                {'excluded_%s' % reason: count for reason, count in counts.items()},
                member_count=len(members), last_sync=now))
        Contact.invalidate_cache()
        return True
