# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The patient at the counter: what a patient profile requires, and the counter form."""
import json
from datetime import timedelta

from lxml import etree

from odoo import fields as fields_
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import PATIENT_PROFILE, PharmacyCase


class TestPatientProfile(PharmacyCase):

    def _create(self, **values):
        return self.env['res.partner'].create(dict({'name': 'New', 'is_patient': True},
                                                   **values))

    def test_a_patient_needs_a_birthdate(self):
        with self.assertRaisesRegex(ValidationError, 'Birthdate of patient New is required'):
            self._create(allergies='Sulfa')
        with self.assertRaisesRegex(ValidationError, 'Birthdate of patient Pat Test is req'):
            self.patient.write({'birthdate_date': False})

    def test_a_patient_needs_allergies_or_no_known_drug_allergies(self):
        message = 'Allergies of patient New are required: list the drug allergies'
        with self.assertRaisesRegex(ValidationError, message):
            self._create(birthdate_date='1970-03-01')
        with self.assertRaisesRegex(ValidationError, message):
            self._create(birthdate_date='1970-03-01', allergies='   ')
        with self.assertRaisesRegex(ValidationError, 'contradict "No known drug allergies"'):
            self._create(birthdate_date='1970-03-01', allergies='Sulfa', nkda=True)
        none_known = self._create(birthdate_date='1970-03-01', nkda=True)
        self.assertEqual((none_known.nkda, none_known.allergies), (True, False))
        with self.assertRaisesRegex(ValidationError, 'contradict'):
            none_known.write({'allergies': 'Sulfa (rash)'})
        none_known.write({'nkda': False, 'allergies': 'Sulfa (rash)'})
        self.assertEqual((none_known.nkda, none_known.allergies), (False, 'Sulfa (rash)'))
        with self.assertRaisesRegex(ValidationError, 'Allergies of patient New are required'):
            none_known.write({'allergies': False})

    def test_nkda_written_as_text_ticks_the_box(self):
        for text in ('NKDA', ' nkda ', 'NKA', 'No known drug allergies.', 'none known'):
            patient = self._create(birthdate_date='1970-03-01', allergies=text)
            self.assertEqual((patient.nkda, patient.allergies), (True, False), text)
        patient = self._create(birthdate_date='1970-03-01', allergies='NKDA but latex')
        self.assertEqual((patient.nkda, patient.allergies), (False, 'NKDA but latex'))
        self.patient.write({'allergies': 'nkda'})
        self.assertEqual((self.patient.nkda, self.patient.allergies), (True, False))

    def test_ticking_nkda_in_the_form_empties_the_allergies(self):
        draft = self.env['res.partner'].new({'allergies': 'Sulfa', 'nkda': True})
        draft._onchange_nkda()
        self.assertFalse(draft.allergies)

    def test_patients_whose_allergies_said_nkda_are_migrated(self):
        self.env.cr.execute("UPDATE res_partner SET allergies = ' nkda. ' WHERE id = %s",
                            [self.patient.id])
        self.env['res.partner'].init()
        self.patient.invalidate_cache()
        self.assertEqual((self.patient.nkda, self.patient.allergies), (True, False))

    def test_contacts_that_are_not_patients_need_neither(self):
        contact = self.env['res.partner'].create({'name': 'Supplier'})
        with self.assertRaisesRegex(ValidationError, 'Birthdate of patient Supplier'):
            contact.write({'is_patient': True})
        contact.write(dict(PATIENT_PROFILE, is_patient=True))
        self.assertTrue(contact.is_patient)

    def test_fill_history_holds_the_fills_of_every_prescription(self):
        statin = self._prescription()
        benzo = self._prescription(medication_id=self.alprazolam.id)
        first = self._fill(statin, '2024-01-05')
        second = self._fill(benzo, '2024-01-20')
        third = self._fill(statin, '2024-02-04')
        other_patient = self.env['res.partner'].create(
            dict(PATIENT_PROFILE, name='Other', is_patient=True))
        self._fill(self._prescription(patient_id=other_patient.id), '2024-01-10')
        self.assertEqual(self.patient.fill_ids.ids, [third.id, second.id, first.id])
        as_tech = self.patient.sudo(self.technician)
        self.assertEqual(as_tech.fill_ids.ids, [third.id, second.id, first.id])
        with self.assertRaises(AccessError):
            self.patient.sudo(self.internal_user).read(['fill_ids'])
        # the history is the fills': not written through the patient, not even as a default
        with self.assertRaisesRegex(UserError, 'Fill History of Contact cannot be set'):
            as_tech.write({'fill_ids': [(3, first.id)]})
        with self.assertRaisesRegex(UserError, 'Fill History of Contact cannot be set'):
            self.env['res.partner'].sudo(self.technician).with_context(
                default_fill_ids=[]).create(dict(PATIENT_PROFILE, name='New', is_patient=True))

    def test_current_medications_are_the_active_and_held_prescriptions(self):
        active = self._prescription()
        held = self._prescription(state='on_hold')
        stopped = self._prescription(state='discontinued', discontinue_reason='other')
        self.assertEqual(self.patient.current_prescription_ids, active | held)
        self.assertEqual(self.patient.current_prescription_ids[0], active)   # active first
        self.assertEqual(self.patient.discontinued_prescription_ids, stopped)
        self.assertEqual(self.patient.prescription_ids, active | held | stopped)


class TestCounterForm(PharmacyCase):

    def _arch(self, view_xmlid=None, user=None):
        Partner = self.env['res.partner'].sudo(user or self.technician)
        view_id = self.env.ref(view_xmlid).id if view_xmlid else None
        return etree.fromstring(Partner.fields_view_get(view_id=view_id, view_type='form')['arch'])

    def test_pharmacy_patients_open_the_counter_form(self):
        action = self.env.ref('pharmacy_crm.res_partner_patient_action')
        forms = action.view_ids.filtered(lambda v: v.view_mode == 'form')
        self.assertEqual(forms.view_id, self.env.ref('pharmacy_crm.res_partner_patient_view_form'))
        profile = self.patient.sudo(self.technician).action_open_patient_profile()
        self.assertEqual((profile['res_id'], profile['views']),
                         (self.patient.id, [(forms.view_id.id, 'form')]))

    def test_counter_form_top_then_medications_then_tabs(self):
        arch = self._arch('pharmacy_crm.res_partner_patient_view_form')
        sheet = arch.find('sheet')
        order = [node.get('name') or node.tag for node in sheet
                 if node.tag in ('group', 'field', 'notebook')
                 and node.get('invisible') != '1']
        self.assertEqual(order, ['counter', 'current_prescription_ids', 'notebook'])
        top = {node.get('name') for node in sheet.find('group').iter('field')}
        self.assertEqual(top, {'birthdate_date', 'age', 'phone', 'allergies', 'nkda',
                               'preferred_contact_channel', 'preferred_contact_time',
                               'patient_state', 'next_due_date'})
        self.assertTrue(arch.xpath('//div[hasclass("o_pharmacy_alert_banner")]'
                                   '/field[@name="alert_text"]'))
        self.assertEqual([page.get('string') for page in arch.iter('page')],
                         ['Fill History', 'Staff Notes', 'Preferences', 'Consent',
                          'Discontinued', 'Address'])
        names = {node.get('name') for node in arch.iter('field')}
        self.assertFalse(names & {'vat', 'function', 'website', 'title', 'category_id',
                                  'opportunity_count', 'child_ids'})

    def test_counter_form_shows_no_clinical_field_outside_the_pharmacy(self):
        clinical = {name for name, field in self.env['res.partner']._fields.items()
                    if field.groups == 'pharmacy_crm.group_pharmacy_technician'}
        self.assertTrue({'allergies', 'nkda', 'fill_ids', 'current_prescription_ids'}
                        <= clinical)
        arch = self._arch('pharmacy_crm.res_partner_patient_view_form', self.internal_user)
        self.assertEqual({node.get('name') for node in arch.iter('field')} & clinical, set())
        # what holds them is hidden (Odoo keeps a node whose groups= the user lacks, hidden)
        holders = arch.xpath('//div[hasclass("o_pharmacy_alert_banner")] | //notebook | '
                             '//group[@name="counter"] | //separator')
        self.assertEqual([json.loads(node.get('modifiers')).get('invisible') for node in holders],
                         [True] * 4)

    def test_contacts_keep_odoos_form_without_the_pharmacy_profile(self):
        arch = self._arch()
        names = {node.get('name') for node in arch.iter('field')}
        self.assertTrue({'vat', 'function', 'is_patient', 'npi', 'fax'} <= names)
        self.assertFalse(names & {'allergies', 'prescription_ids', 'note_ids', 'alert_text'})
        # the fax has a label of its own, not the mobile's (sms puts the mobile in a row)
        [fax] = arch.xpath('//field[@name="fax"]')
        self.assertEqual(fax.getparent().tag, 'group')
        self.assertEqual(fax.getnext().get('name'), 'email')

    def test_prescription_dialogs_are_titled_prescription(self):
        """The web client titles a one2many's dialog "Open: <string of the field node>"."""
        arch = self._arch('pharmacy_crm.res_partner_patient_view_form')
        for name, title in (('current_prescription_ids', 'Prescription'),
                            ('discontinued_prescription_ids', 'Prescription'),
                            ('fill_ids', 'Fill')):
            [node] = arch.xpath('//field[@name="%s"]' % name)
            self.assertEqual(node.get('string'), title)

    def test_discontinue_dialog_names_the_patient_and_the_drug(self):
        rx = self._prescription().sudo(self.pharmacist)
        action = rx.action_discontinue()
        self.assertEqual(action['name'], 'Discontinue Atorvastatin 20 mg for Pat Test')
        two = (rx | self._prescription(medication_id=self.alprazolam.id)).sudo(self.pharmacist)
        self.assertEqual(two.action_discontinue()['name'], 'Discontinue 2 prescriptions')
        Wizard = self.env['pharmacy.prescription.discontinue'].sudo(self.pharmacist)
        view = Wizard.fields_view_get(view_type='form')
        arch = etree.fromstring(view['arch'])
        listed = etree.fromstring(view['fields']['prescription_ids']['views']['tree']['arch'])
        self.assertEqual([node.get('name') for node in listed.iter('field')][:2],
                         ['patient_id', 'medication_id'])
        text = ' '.join(arch.xpath('//p//text()'))
        self.assertNotIn('synchronisation', text)
        self.assertNotIn('reminders', text)

    def test_record_fill_opens_a_fill_of_today_with_the_prescription_values(self):
        rx = self._prescription(days_supply=28, quantity=56, date_written='2026-01-02')
        action = rx.sudo(self.technician).action_record_fill()
        self.assertEqual((action['res_model'], action['target']), ('pharmacy.fill', 'new'))
        Fill = self.env['pharmacy.fill'].sudo(self.technician)
        fill = Fill.with_context(**action['context']).create({'fill_date': '2026-01-05'})
        self.assertEqual((fill.prescription_id, fill.quantity, fill.days_supply),
                         (rx, 56, 28))
        # the prescription given as a default is checked as if it were given
        rx.action_hold()
        with self.assertRaisesRegex(ValidationError, 'the prescription is on hold'):
            Fill.with_context(**action['context']).create({'fill_date': '2026-03-05'})
        rx.action_resume()
        with self.assertRaisesRegex(ValidationError, 'Refill too soon'):
            Fill.with_context(**action['context']).create({'fill_date': '2026-01-20'})
        with self.assertRaisesRegex(ValidationError, 'Prescription of Fill: .* is not valid'):
            Fill.with_context(default_prescription_id='abc').create(
                {'fill_date': '2026-01-20', 'quantity': 30, 'days_supply': 30})

    def test_pharmacy_staff_get_no_tour_of_other_apps(self):
        Tour = self.env['web_tour.tour']
        self.assertEqual(Tour.sudo(self.technician).get_consumed_tours(),
                         ['crm_tour', 'mail_tour'])
        self.assertEqual(Tour.sudo(self.internal_user).get_consumed_tours(), [])
        Tour.create({'name': 'crm_tour', 'user_id': self.manager.id})   # what consume() does
        self.assertEqual(Tour.sudo(self.manager).get_consumed_tours(),
                         ['crm_tour', 'mail_tour'])


class TestCounterQueries(PharmacyCase):
    """The counter page and the worklists read in a number of queries that does not grow with
    the prescriptions and fills shown."""

    def _patient_with(self, prescriptions, fills):
        patient = self.env['res.partner'].create(
            dict(PATIENT_PROFILE, name='P%d' % prescriptions, is_patient=True))
        for _i in range(prescriptions):
            rx = self._prescription(patient_id=patient.id, date_written='2024-01-02')
            for month in range(fills):
                self._fill(rx, '2024-%02d-05' % (month + 1))
        return patient.sudo(self.technician)

    def _queries_to_open(self, patient):
        """What the web client reads: the patient's fields, then the lines of its lists."""
        view = patient.fields_view_get(
            view_id=self.env.ref('pharmacy_crm.res_partner_patient_view_form').id,
            view_type='form')
        patient.invalidate_cache()
        before = self.cr.sql_log_count
        [values] = patient.read(list(view['fields']))
        for name in ('current_prescription_ids', 'fill_ids'):
            patient[name].browse(values[name]).read(
                list(view['fields'][name]['views']['tree']['fields']))
        return self.cr.sql_log_count - before

    def test_counter_page_reads_in_constant_queries(self):
        # two prescriptions at least: one line alone would be logged as a view of it
        small, big = self._patient_with(2, 1), self._patient_with(4, 6)
        self.assertEqual(len(big.fill_ids), 24)
        self._queries_to_open(small)    # warm the caches of views, access rights and rules
        self.assertEqual(self._queries_to_open(small), self._queries_to_open(big))

    def test_worklists_read_in_constant_queries(self):
        def queries(count):
            self.env['pharmacy.patient.medication'].search([]).action_hold()
            today = fields_.Date.from_string(self.env['res.company'].pharmacy_today())
            for _i in range(count):   # overdue, not expired: due today
                self._fill(self._prescription(date_written=str(today - timedelta(days=60))),
                           str(today - timedelta(days=40)))
            Rx = self.env['pharmacy.patient.medication'].sudo(self.technician)
            fields = list(Rx.fields_view_get(
                view_id=self.env.ref(
                    'pharmacy_crm.pharmacy_patient_medication_view_tree_due').id,
                view_type='tree')['fields'])
            Rx.invalidate_cache()
            before = self.cr.sql_log_count
            rows = Rx.search_read([('is_due', '=', True)], fields, limit=80)
            self.assertEqual(len(rows), count)
            return self.cr.sql_log_count - before
        queries(2)     # warm the caches
        self.assertEqual(queries(2), queries(12))
