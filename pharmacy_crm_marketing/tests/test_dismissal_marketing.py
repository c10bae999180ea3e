# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""An approved dismissal takes the patient off every mailing list."""
from datetime import timedelta

from odoo import fields

from odoo.addons.pharmacy_crm.tests.common import PharmacyCase

from ..models.mass_mailing import MAILING_CONTACT, MAILING_LIST


class TestDismissalMarketing(PharmacyCase):

    def test_dismissed_patient_leaves_every_mailing_list(self):
        self.patient.write({'email': 'pat.test@example.com'})
        lists = (self.env[MAILING_LIST].create({'name': 'Flu shots'})
                 | self.env[MAILING_LIST].create({'name': 'Newsletter'}))
        Contact = self.env[MAILING_CONTACT]
        contact = Contact.create({'name': 'Pat Test', 'email': 'Pat.Test@example.com',
                                  'list_ids': [(6, 0, lists.ids)]})
        other = Contact.create({'name': 'Someone', 'email': 'someone@example.com',
                                'list_ids': [(6, 0, lists.ids)]})
        pharmacy = self.env['res.partner'].create({'name': 'Other Pharmacy', 'is_pharmacy': True})
        incident = self.env['pharmacy.incident'].create({
            'patient_id': self.patient.id, 'incident_type': 'violence',
            'description': 'Pushed a technician.'})
        today = fields.Date.from_string(self.patient.env['res.company'].pharmacy_today())
        dismissal = self.env['pharmacy.dismissal'].sudo(self.manager).create({
            'patient_id': self.patient.id, 'incident_ids': [(6, 0, incident.ids)],
            'explanation': 'You pushed a member of our staff.', 'attestation': True,
            'referral_pharmacy_ids': [(6, 0, pharmacy.ids)],
            'effective_date': fields.Date.to_string(today + timedelta(days=30))})
        dismissal.action_approve()
        self.assertEqual((contact.list_ids, contact.opt_out), (lists.browse(), True))
        self.assertEqual((other.list_ids, other.opt_out), (lists, False))
