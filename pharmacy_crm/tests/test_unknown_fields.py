# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""A good neighbour to the rest of Odoo (#17): on the contacts, which every addon writes, a key
that is no field is dropped with Odoo's own warning, as without the pharmacy; the pharmacy's
fields are still checked; the pharmacy's own models still refuse an unknown field."""
from odoo.exceptions import ValidationError

from .common import PATIENT_PROFILE, PharmacyCase

RX = 'pharmacy.patient.medication'


class TestUnknownFields(PharmacyCase):

    def test_a_contact_drops_an_unknown_key_as_odoo_does(self):
        """OCA's privacy_consent creates contacts with ``notify_email`` (a field of Odoo 10):
        created, with the warning Odoo gives for any model (here a contact tag)."""
        with self.assertLogs('odoo.models', 'WARNING') as stock:
            tag = self.env['res.partner.category'].create({'name': 'Tag', 'notify_email': 1})
        self.assertTrue(tag)
        self.assertEqual(stock.output, ['WARNING:odoo.models:res.partner.category.create() '
                                        'includes unknown fields: notify_email'])
        for Partner in (self.env['res.partner'], self.env['res.partner'].sudo(self.technician)):
            with self.assertLogs('odoo.models', 'WARNING') as logs:
                partner = Partner.create({'name': 'Neighbour %s' % Partner.env.uid,
                                          'notify_email': 'none'})
                partner.write({'notify_email': 'always', 'email': 'n@example.com'})
            self.assertEqual(logs.output, [
                'WARNING:odoo.models:res.partner.create() includes unknown fields: '
                'notify_email',
                'WARNING:odoo.models:res.partner.write() with unknown fields: notify_email'])
            self.assertEqual((partner.name, partner.email),
                             ('Neighbour %s' % Partner.env.uid, 'n@example.com'))

    def test_a_patient_with_an_unknown_key_is_still_checked(self):
        Partner = self.env['res.partner'].sudo(self.technician)
        with self.assertLogs('odoo.models', 'WARNING'):
            patient = Partner.create(dict(PATIENT_PROFILE, name='Neighbour Patient',
                                          is_patient=True, notify_email='none'))
        self.assertEqual((patient.is_patient, patient.birthdate_date, patient.patient_state),
                         (True, PATIENT_PROFILE['birthdate_date'], 'active'))
        count = Partner.search_count([])
        with self.assertRaises(ValidationError) as caught:
            Partner.create({'name': 'X', 'notify_email': 'none', 'birthdate_date': '9999-01-01'})
        self.assertEqual(caught.exception.name, "Birthdate of Contact: '9999-01-01' is not "
                                                "valid: expected a date between the years 1900 "
                                                "and 2100.")
        self.assertEqual(Partner.search_count([]), count)
        with self.assertRaises(ValidationError) as caught:
            patient.write({'notify_email': 'none', 'nkda': 'yes'})
        self.assertEqual(caught.exception.name, "No Known Drug Allergies of Contact: 'yes' is "
                                                "not valid: expected true or false.")

    def test_a_key_that_is_not_a_name_is_refused(self):
        """Odoo would fail on it (it sorts the unknown names to warn): a clear refusal."""
        with self.assertRaises(ValidationError) as caught:
            self.env['res.partner'].create({'name': 'X', 5: 'y'})
        self.assertEqual(caught.exception.name, 'Contact has no field 5.')

    def test_the_pharmacy_models_refuse_an_unknown_field(self):
        """Only the pharmacy writes them: a misspelled or obsolete field there would be
        clinical data lost in silence."""
        rx = self._prescription()
        for vals in ({'notify_email': 'none'}, {'allergy': 'Penicillin'}):
            with self.assertRaises(ValidationError) as caught:
                rx.sudo(self.technician).write(vals)
            self.assertEqual(caught.exception.name,
                             "Prescription has no field %r." % list(vals)[0])
        with self.assertRaises(ValidationError) as caught:
            self.env['pharmacy.patient.note'].sudo(self.technician).create({
                'patient_id': self.patient.id, 'body': 'x', 'notify_email': 'none'})
        self.assertEqual(caught.exception.name, "Patient Note has no field 'notify_email'.")
