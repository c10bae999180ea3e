# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import timedelta

from odoo import _, fields, models

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACIST, PHARMACY_STAFF
from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today

# refusals that need the prescriber: a renewal task for the staff instead of a request
RENEWAL_REFUSALS = ('expired', 'no_refills')
# the portal offers "Request a refill" from this many days before the due date: a week to
# ask, prepare and pick up before the supply runs out
REFILL_REQUEST_DAYS = 7


def refusal_message(env, code):
    """What the patient reads when a refill request is refused (in their language)."""
    messages = {
        'held': _('This prescription is on hold at the pharmacy: please call us before '
                  'asking for a refill.'),
        'discontinued': _('This prescription was discontinued: it cannot be refilled. '
                          'Please call us if you still take this medication.'),
        'expired': _('This prescription has expired: we will contact your prescriber for a '
                     'new one.'),
        'no_refills': _('This prescription has no refills left: we will contact your '
                        'prescriber for a new one.'),
        'inactive': _('You are no longer an active patient of this pharmacy: please call us.'),
    }
    return messages[code]


class PharmacyPatientMedication(models.Model):
    _inherit = 'pharmacy.patient.medication'

    # staff's words, which a portal patient reading their own prescriptions does not read
    discontinue_note = fields.Text(groups=PHARMACY_STAFF)
    portal_prescriber_name = fields.Char(
        related='prescriber_id.name', string='Prescriber Name', readonly=True,
        help="The prescriber's name, as the patient reads it on the portal.")

    def _pharmacy_refill_refusal(self):
        """Why this prescription cannot be refilled on request (a key of
        ``refusal_message``), or False."""
        self.ensure_one()
        today = pharmacy_today(self)
        # the patient's status is staff-only (its groups): the server reads it
        if self.sudo().patient_state != 'active':
            return 'inactive'
        if self.state == 'discontinued' or not self.active:
            return 'discontinued'
        if self.state == 'on_hold':
            return 'held'
        if self.date_expiry and self.date_expiry < today:
            return 'expired'
        if self.fill_count and self.refills_remaining <= 0:
            return 'no_refills'
        return False

    def _pharmacy_renewal_task(self):
        """A "renew with the prescriber" to-do for the pharmacy on this prescription, once
        (an open one is kept). Created by the server: the patient may not write activities.
        Returns the activity."""
        self.ensure_one()
        rx = self.sudo()
        summary = _('Renewal requested by the patient')
        existing = rx.activity_ids.filtered(lambda act: act.summary == summary)
        if existing:
            return existing[0]
        users = self.env['res.users'].sudo().search([
            ('groups_id', 'in', self.env.ref(PHARMACIST).id),
            ('company_id', '=', rx.company_id.id), ('share', '=', False)], order='id', limit=1)
        if not users:
            users = self.env['res.users'].sudo().search([
                ('groups_id', 'in', self.env.ref(PHARMACY_STAFF).id), ('share', '=', False)],
                order='id', limit=1)
        deadline = fields.Date.from_string(pharmacy_today(rx)) + timedelta(days=1)
        return self.env['mail.activity'].sudo().create({
            'res_model_id': self.env['ir.model']._get_id(self._name),
            'res_id': rx.id,
            'activity_type_id': self.env.ref('mail.mail_activity_data_todo').id,
            'summary': summary,
            'note': _('The patient asked for a refill; the prescription needs a renewal: '
                      'contact the prescriber.'),
            'user_id': users.id or self.env.ref('base.user_root').id,
            'date_deadline': fields.Date.to_string(deadline),
        })
