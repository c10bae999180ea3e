# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, fields, models
from odoo.exceptions import AccessError
from odoo.tools import html_escape

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF


class ResPartner(models.Model):
    """A patient's reminders, and whether their reminders may name their medications."""

    _inherit = 'res.partner'
    _pharmacy_validated_fields = ('reminder_show_medication',)
    _pharmacy_server_fields = ('reminder_ids', 'reminder_count')

    reminder_show_medication = fields.Boolean(
        string='Medication Names in Reminders', groups=PHARMACY_STAFF,
        help='The body of a refill or pickup reminder names the medications (their subject '
             'never does). Off: the reminder gives the Rx numbers only.')
    reminder_ids = fields.One2many('pharmacy.reminder', 'patient_id', string='Reminders',
                                   readonly=True, groups=PHARMACY_STAFF)
    reminder_count = fields.Integer(compute='_compute_pharmacy_counters', groups=PHARMACY_STAFF,
                                    help='Refill and pickup reminders made for the patient.')

    def _pharmacy_counters(self):
        """reminders = the patient's reminders (with the other counters)."""
        counters = super()._pharmacy_counters()
        counters['reminder_count'] = ('pharmacy.reminder', [], 'patient_id')
        return counters

    def action_send_reminders(self):
        """Remind these patients now of what is due, as the daily scheduled action would (the
        same rules, consent and caps: nothing twice in a day); then their reminders. For
        pharmacy staff. One patient reminded of nothing: the log of today's reminders, empty,
        whose help says why (``pharmacy.reminder._pharmacy_why_not_reminded``)."""
        if not self.env.user.has_group(PHARMACY_STAFF):
            raise AccessError(_('Only pharmacy staff send refill and pickup reminders.'))
        self.check_access_rule('read')
        made = self.env['pharmacy.reminder'].sudo()._cron_send_reminders(patient_ids=self.ids)
        if len(self) != 1:
            return True
        action = self.action_open_reminders()
        if not made:
            why = self.env['pharmacy.reminder'].sudo()._pharmacy_why_not_reminded(self)
            action.update({
                'name': _('No Reminder Sent'),
                'display_name': _('No Reminder Sent'),
                'domain': [('patient_id', '=', self.id), ('id', 'in', made.ids)],
                'help': '<p class="o_view_nocontent_smiling_face">%s</p><p>%s</p>' % (
                    html_escape(_('No reminder sent.')), html_escape(why)),
            })
        return action

    def action_open_reminders(self):
        """The patient's reminders (the smart button)."""
        self.ensure_one()
        action = self.env.ref('pharmacy_crm_reminder.pharmacy_reminder_action').read()[0]
        action['domain'] = [('patient_id', '=', self.id)]
        action['context'] = {}
        return action
