# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from ..tools.recipients import EMAIL_SQL
from .mass_mailing import MAILING_CONTACT


class MailMassMailingContact(models.Model):
    """A mailing contact that opts out (the unsubscribe link of a mailing to a list) is the
    opt-out of the patients with its address: their email marketing consent is refused."""

    _name = MAILING_CONTACT
    _inherit = [MAILING_CONTACT, 'pharmacy.opt.out.mixin']

    pharmacy_segment_id = fields.Many2one(
        'pharmacy.segment', string='Segment', readonly=True, index=True, ondelete='cascade',
        help='The segment this contact is a member of (synced by the segment).')
    pharmacy_patient_id = fields.Many2one(
        'res.partner', string='Patient', readonly=True, index=True, ondelete='cascade')
    pharmacy_clinical = fields.Boolean(
        string='Clinical Segment Member', readonly=True, index=True,
        help='A member of a segment built on clinical data: read by pharmacy staff only.')

    def _pharmacy_refuse_email_marketing(self):
        """Returns True."""
        self.env.cr.execute('SELECT DISTINCT %s FROM %s WHERE id = ANY(%%s)' % (
            EMAIL_SQL.format('email'), self._table), [self.ids])
        emails = [row[0] for row in self.env.cr.fetchall()]
        patients = self.env['res.partner']._pharmacy_patients_by_email(emails)
        return patients._pharmacy_refuse_email_marketing()
