# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""A patient who stops being served (the core's hook, called e.g. by an approved dismissal)
leaves every mailing list."""
from odoo.addons.pharmacy_crm.tests.common import PharmacyCase

from ..models.mass_mailing import MAILING_CONTACT, MAILING_LIST


class TestLeaveMailingLists(PharmacyCase):

    def test_the_patient_leaves_every_mailing_list(self):
        self.patient.write({'email': 'pat.test@example.com'})
        lists = (self.env[MAILING_LIST].create({'name': 'Flu shots'})
                 | self.env[MAILING_LIST].create({'name': 'Newsletter'}))
        Contact = self.env[MAILING_CONTACT]
        contact = Contact.create({'name': 'Pat Test', 'email': 'Pat.Test@example.com',
                                  'list_ids': [(6, 0, lists.ids)]})
        other = Contact.create({'name': 'Someone', 'email': 'someone@example.com',
                                'list_ids': [(6, 0, lists.ids)]})
        self.assertIs(self.patient._pharmacy_leave_mailing_lists(), True)
        self.assertEqual((contact.list_ids, contact.opt_out), (lists.browse(), True))
        self.assertEqual((other.list_ids, other.opt_out), (lists, False))

    def test_a_patient_without_email_changes_no_contact(self):
        contact = self.env[MAILING_CONTACT].create({'name': 'Pat', 'email': 'pat@example.com'})
        self.patient.email = False
        self.assertIs(self.patient._pharmacy_leave_mailing_lists(), True)
        self.assertFalse(contact.opt_out)
