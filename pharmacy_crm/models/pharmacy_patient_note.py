# Copyright 2026 Pharmacy CRM contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class PharmacyPatientNote(models.Model):
    """What the staff should know before the patient walks in; pinned notes are alerts."""

    _name = 'pharmacy.patient.note'
    _description = 'Patient Note'
    _inherit = ['mail.thread', 'pharmacy.audit.mixin']
    _audit_view_fields = ('body',)
    _order = 'is_alert desc, date desc, id desc'
    _rec_name = 'summary'

    patient_id = fields.Many2one(
        'res.partner', required=True, index=True, ondelete='restrict',
        domain=[('is_patient', '=', True)])
    category = fields.Selection([
        ('clinical', 'Clinical'),
        ('service', 'Service'),
        ('billing', 'Billing'),
        ('behaviour', 'Behaviour'),
    ], required=True, default='service', track_visibility='onchange')
    body = fields.Text(string='Note', required=True, track_visibility='onchange')
    summary = fields.Char(compute='_compute_summary')
    author_id = fields.Many2one(
        'res.users', required=True, readonly=True, index=True,
        default=lambda self: self.env.user)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    is_alert = fields.Boolean(
        string='Pinned as Alert', track_visibility='onchange',
        help='Shown in a banner at the top of the patient profile.')
    visibility = fields.Selection(
        [('all', 'All staff'), ('pharmacist', 'Pharmacists only')], required=True,
        default='all', track_visibility='onchange')
    active = fields.Boolean(default=True, track_visibility='onchange')
    company_id = fields.Many2one(
        'res.company', required=True, index=True,
        default=lambda self: self.env.user.company_id)

    @api.depends('body')
    def _compute_summary(self):
        for note in self:
            first_line = (note.body or '').strip().split('\n')[0]
            note.summary = first_line[:60] + ('...' if len(first_line) > 60 else '')
