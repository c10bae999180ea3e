# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, models
from odoo.exceptions import ValidationError


class MailActivity(models.Model):
    """Activities on pharmacy records and patients: read by who may read the record, and
    assigned only to such a user."""

    _name = 'mail.activity'
    _inherit = ['mail.activity', 'pharmacy.phi.document.mixin']

    @api.constrains('user_id', 'res_model', 'res_id')
    def _check_pharmacy_assignee(self):
        """The assignee of an activity on patient data (a pharmacy record, a patient) may read
        that record: Odoo shows the assignee the activity's record in their activity counter
        and mails them its name. The rule of reading, one query per assignee and model."""
        activities = self.sudo()
        for user in activities.mapped('user_id'):
            theirs = activities.filtered(lambda activity: activity.user_id == user)
            for activity in theirs._pharmacy_unreadable_by(user):
                raise ValidationError(_(
                    'Activity "%(activity)s": Assigned To is %(user)s, who may not read the '
                    '%(model)s it is about (patient data). Assign it to pharmacy staff of the '
                    'record\'s pharmacy.') % {
                        'activity': activity.summary or activity.activity_type_id.name,
                        'user': user.name,
                        'model': self.env['ir.model']._get(activity.res_model).name})
