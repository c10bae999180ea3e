# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today

# the delegations in force on the pharmacy's date (SQL twin of ``is_current``)
CURRENT_DELEGATIONS_SQL = """
    SELECT d.patient_id FROM pharmacy_portal_delegation d
     WHERE d.delegate_id = %s AND d.active
       AND d.date_start <= pharmacy_today(d.company_id)
       AND (d.date_end IS NULL OR d.date_end >= pharmacy_today(d.company_id))
"""


class PharmacyPortalDelegation(models.Model):
    """A caregiver (a parent, a guardian, a relative) who may read a patient's portal pages,
    recorded by staff, from a start date to an optional end date (both included, the
    pharmacy's dates)."""

    _name = 'pharmacy.portal.delegation'
    _description = 'Portal Caregiver'
    _inherit = ['pharmacy.patient.record.mixin', 'mail.thread']
    _order = 'patient_id, date_start desc, id desc'

    delegate_id = fields.Many2one(
        'res.partner', string='Caregiver', required=True, index=True, ondelete='restrict',
        track_visibility='onchange',
        help='The contact who reads the patient\'s pages once invited to the portal.')
    relationship = fields.Char(
        track_visibility='onchange', help='e.g. parent, legal guardian, health care proxy.')
    date_start = fields.Date(string='From', required=True, default=pharmacy_today,
                             track_visibility='onchange')
    date_end = fields.Date(string='Until', track_visibility='onchange',
                           help='Last day the caregiver reads the pages; empty: until ended.')
    active = fields.Boolean(default=True, track_visibility='onchange')
    is_current = fields.Boolean(
        string='In Force', compute='_compute_is_current',
        help="In force on the pharmacy's date: started, not ended, not archived.")

    def _compute_is_current(self):
        today = pharmacy_today(self)
        for delegation in self:
            delegation.is_current = bool(
                delegation.active and delegation.date_start <= today
                and (not delegation.date_end or delegation.date_end >= today))

    @api.constrains('date_start', 'date_end', 'delegate_id', 'patient_id')
    def _check_delegation(self):
        for delegation in self:
            if delegation.date_end and delegation.date_end < delegation.date_start:
                raise ValidationError(_(
                    'Until (%(end)s) is before From (%(start)s) on the caregiver of %(patient)s: '
                    'set an end date on or after the start date.') % {
                        'end': format_date(self.env, delegation.date_end),
                        'start': format_date(self.env, delegation.date_start),
                        'patient': delegation.patient_id.name})
            if delegation.delegate_id == delegation.patient_id:
                raise ValidationError(_(
                    'Caregiver: %s reads their own pages already; choose another contact.')
                    % delegation.patient_id.name)

    def action_end(self):
        """End the delegation today (it stays in the history)."""
        today = pharmacy_today(self)
        for delegation in self:
            if not delegation.date_end or delegation.date_end > today:
                delegation.date_end = max(today, delegation.date_start)
        return True
