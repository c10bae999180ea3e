# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.tools.misc import format_date

from odoo.addons.pharmacy_crm.models.res_company import pharmacy_now

INCIDENT_TYPES = [
    ('scene', 'Disruptive scene'),
    ('verbal_abuse', 'Verbal abuse of staff'),
    ('threat', 'Threat'),
    ('property_damage', 'Property damage'),
    ('violence', 'Violence'),
    ('fraud', 'Fraud or forgery'),
    ('other', 'Other'),
]
SEVERITIES = [('minor', 'Minor'), ('serious', 'Serious'), ('severe', 'Severe')]
# these types are severe unless the reporter says otherwise
SEVERE_BY_DEFAULT = ('threat', 'violence', 'property_damage')


class PharmacyIncident(models.Model):
    """Something a patient did at the pharmacy that staff recorded: the facts a dismissal rests
    on. Any pharmacy staff logs one; incidents are archived, never deleted."""

    _name = 'pharmacy.incident'
    _description = 'Incident'
    _inherit = ['pharmacy.patient.record.mixin', 'mail.thread']
    _pharmacy_server_fields = ('reported_by_id',)
    _audit_view_fields = ('description',)
    _order = 'date desc, id desc'

    date = fields.Datetime(
        string='Date and Time', required=True, default=pharmacy_now,
        track_visibility='onchange')
    incident_type = fields.Selection(
        INCIDENT_TYPES, string='Type', required=True, track_visibility='onchange')
    severity = fields.Selection(
        SEVERITIES, required=True, track_visibility='onchange', default='minor',
        help='Threat, violence and property damage are severe by default. People have bad '
             'days: a minor incident alone never supports a dismissal.')
    description = fields.Text(required=True, track_visibility='onchange',
                              help='What happened, as factually as possible.')
    staff_ids = fields.Many2many(
        'res.users', 'pharmacy_incident_staff_rel', 'incident_id', 'user_id',
        string='Staff Involved')
    reported_by_id = fields.Many2one(
        'res.users', required=True, readonly=True,
        default=lambda self: self.env.user)
    active = fields.Boolean(default=True, track_visibility='onchange')

    @api.onchange('incident_type')
    def _onchange_incident_type(self):
        for incident in self.filtered('incident_type'):
            incident.severity = self._default_severity(incident.incident_type)

    @api.model
    def _pharmacy_prepare_vals(self, vals):
        """On create, a severity nobody gave defaults from the type (severe for threat,
        violence and property damage, minor otherwise)."""
        if not self and not vals.get('severity') and isinstance(
                vals.get('incident_type'), str):
            vals = dict(vals, severity=self._default_severity(vals['incident_type']))
        return super()._pharmacy_prepare_vals(vals)

    @api.model
    def _default_severity(self, incident_type):
        return 'severe' if incident_type in SEVERE_BY_DEFAULT else 'minor'

    def name_get(self):
        """Type, local day in the user's format: e.g. "Threat, 11/20/2026"."""
        types = dict(self._fields['incident_type']._description_selection(self.env))
        return [(incident.id, '%s, %s' % (
            types.get(incident.incident_type, ''),
            format_date(self.env, incident._local_day()) if incident.date else ''))
            for incident in self]

    def _local_day(self):
        """The pharmacy's date of the incident (what "a bad day" means), whoever asks."""
        self.ensure_one()
        return fields.Date.from_string(self.company_id.pharmacy_date(self.date))

    def _check_dismissal_thresholds(self, days_needed, severe_needed):
        """Whether these incidents support a dismissal: incidents on at least ``days_needed``
        different days, or at least ``severe_needed`` severe incidents (0 disables that rule).
        Returns None when they do, else a sentence saying what is missing."""
        days = {incident._local_day() for incident in self}
        severe = len(self.filtered(lambda i: i.severity == 'severe'))
        if len(days) >= days_needed or (severe_needed and severe >= severe_needed):
            return None
        return _(
            'A dismissal needs incidents on at least %(days)d different days, or %(severe)s: '
            'the incidents it relies on are on %(got_days)d day(s), %(got_severe)d severe. '
            'A single bad day is never enough; log further incidents as they happen.') % {
                'days': days_needed, 'got_days': len(days), 'got_severe': severe,
                'severe': (_('%d severe incident(s)') % severe_needed) if severe_needed
                else _('(severe incidents alone are not enough in the settings)')}
