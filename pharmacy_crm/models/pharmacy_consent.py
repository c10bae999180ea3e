# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

from .res_company import pharmacy_today

# how a patient answered (a consent line, an enrollment in refill sync)
CONSENT_SOURCES = [
    ('in_store', 'In store'),
    ('phone', 'Phone call'),
    ('form', 'Signed form'),
    ('email', 'Email reply'),
    ('web', 'Web form'),
]


class PharmacyConsent(models.Model):
    """A patient's answer on being contacted by one channel for one purpose."""

    _name = 'pharmacy.consent'
    _description = 'Communication Consent'
    _inherit = ['pharmacy.patient.record.mixin', 'mail.thread']
    _order = 'patient_id, purpose, channel'

    patient_id = fields.Many2one(domain=[])   # any contact (the patient record mixin's)
    channel = fields.Selection(
        [('email', 'Email'), ('sms', 'SMS'), ('phone', 'Phone')], required=True)
    purpose = fields.Selection([
        ('treatment', 'Refill and pickup reminders'),
        ('marketing', 'Marketing'),
    ], required=True, help='Refill and pickup reminders are treatment communication: sent '
                           'unless refused. Marketing is sent only after an explicit grant.')
    state = fields.Selection([
        ('not_asked', 'Not asked'),
        ('granted', 'Granted'),
        ('refused', 'Refused'),
    ], required=True, default='not_asked', track_visibility='onchange')
    date = fields.Date(track_visibility='onchange', help='When the patient answered.')
    source = fields.Selection(CONSENT_SOURCES, track_visibility='onchange',
                              help='How the patient answered.')

    _sql_constraints = [
        ('patient_channel_purpose_uniq', 'unique(patient_id, channel, purpose)',
         'The patient already has a consent line for this channel and purpose: change its '
         'state instead of adding another.'),
    ]

    def name_get(self):
        """Patient - channel, purpose: e.g. "Sandra Tran – Email, Marketing"."""
        channels = dict(self._fields['channel']._description_selection(self.env))
        purposes = dict(self._fields['purpose']._description_selection(self.env))
        return [(consent.id, '%s – %s, %s' % (
            consent.patient_id.name or '', channels.get(consent.channel, ''),
            purposes.get(consent.purpose, ''))) for consent in self]

    @api.constrains('state', 'date', 'source')
    def _check_answer_recorded(self):
        today = pharmacy_today(self)
        channels = dict(self._fields['channel']._description_selection(self.env))
        for consent in self:
            if consent.state != 'not_asked' and not (consent.date and consent.source):
                raise ValidationError(_(
                    'Date and Source of the %(channel)s consent of %(patient)s are required '
                    'once the patient has answered: record when and how.')
                    % {'channel': channels[consent.channel], 'patient': consent.patient_id.name})
            if consent.date and consent.date > today:
                raise ValidationError(_(
                    'Date of the %(channel)s consent of %(patient)s is in the future '
                    '(%(date)s): record the day the patient answered.')
                    % {'channel': channels[consent.channel], 'patient': consent.patient_id.name,
                       'date': format_date(self.env, consent.date)})

    @api.onchange('state')
    def _onchange_state(self):
        for consent in self:
            if consent.state != 'not_asked' and not consent.date:
                consent.date = pharmacy_today(consent)
