# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .pharmacy_phi_mixin import PHARMACIST
from .res_company import pharmacy_now


class PharmacyPatientNote(models.Model):
    """What the staff should know before the patient walks in; pinned notes are alerts."""

    _name = 'pharmacy.patient.note'
    _description = 'Patient Note'
    _inherit = ['pharmacy.patient.record.mixin', 'mail.thread']
    _pharmacy_server_fields = ('author_id', 'date')   # who wrote it and when: the server
    _audit_view_fields = ('body',)
    _order = 'is_alert desc, date desc, id desc'
    _rec_name = 'summary'

    category = fields.Selection([
        ('clinical', 'Clinical'),
        ('service', 'Service'),
        ('billing', 'Billing'),
        ('behaviour', 'Behavior'),
    ], required=True, default='service', track_visibility='onchange')
    body = fields.Text(string='Note', required=True, track_visibility='onchange')
    summary = fields.Char(compute='_compute_summary')
    author_id = fields.Many2one(
        'res.users', required=True, readonly=True, index=True,
        default=lambda self: self.env.user)
    date = fields.Datetime(required=True, readonly=True, default=pharmacy_now)
    is_alert = fields.Boolean(
        string='Pinned as Alert', track_visibility='onchange',
        help='Shown in a banner at the top of the patient profile.')
    # offered to pharmacists only in the views; refused for technicians in create/write
    visibility = fields.Selection(
        [('all', 'All staff'), ('pharmacist', 'Pharmacists only')], required=True,
        default='all', track_visibility='onchange')
    active = fields.Boolean(default=True, track_visibility='onchange')

    @api.depends('body')
    def _compute_summary(self):
        for note in self:
            first_line = (note.body or '').strip().split('\n')[0]
            note.summary = first_line[:60] + ('...' if len(first_line) > 60 else '')

    @api.model
    def _pharmacy_prepare_vals(self, vals):
        """Only pharmacists make a note pharmacist-only."""
        vals = super()._pharmacy_prepare_vals(vals)
        if vals.get('visibility') == 'pharmacist' and not self.env.user.has_group(PHARMACIST):
            raise AccessError(_(
                'Only pharmacists may make a note "Pharmacists only". Keep it for all staff, '
                'or ask a pharmacist.'))
        return vals

    @api.model
    def _pharmacy_hidden_query(self, user, company_ids):
        """Also pharmacist-only notes for a technician."""
        hidden = super()._pharmacy_hidden_query(user, company_ids)
        if hidden is True or user.has_group(PHARMACIST):
            return hidden
        query, params = hidden
        return query + " OR visibility = 'pharmacist'", params
