# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Patient data is unreachable outside the pharmacy through every route (issue #6)."""
import base64

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import PATIENT_PROFILE, PharmacyCase


class TestPhiProtection(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rx = cls._prescription()
        cls._fill(cls.rx, '2024-01-05')
        Note = cls.env['pharmacy.patient.note']
        cls.note_all = Note.create({'patient_id': cls.patient.id, 'body': 'Speak slowly'})
        cls.note_private = Note.create({
            'patient_id': cls.patient.id, 'body': 'Check PDMP first', 'is_alert': True,
            'visibility': 'pharmacist'})
        cls.other_company = cls.env['res.company'].create({'name': 'Other Pharmacy'})
        cls.other_technician = cls._user('other_tech', cls.group_technician)
        cls.other_technician.write({'company_ids': [(6, 0, cls.other_company.ids)],
                                    'company_id': cls.other_company.id})
        activity_type = cls.env.ref('mail.mail_activity_data_todo')
        cls.activities = cls.env['mail.activity']
        for record in (cls.rx, cls.note_private, cls.patient):
            cls.activities |= cls.activities.create({
                'res_model_id': cls.env['ir.model']._get_id(record._name),
                'res_id': record.id, 'activity_type_id': activity_type.id,
                'summary': 'Call about %s' % record.display_name, 'user_id': cls.env.uid})
        cls.attachments = cls.env['ir.attachment']
        for record in (cls.patient, cls.rx):
            cls.attachments |= cls.attachments.create({
                'name': 'scan.txt', 'res_model': record._name, 'res_id': record.id,
                'datas': base64.b64encode(b'Penicillin rash 2019')})
        cls.rx.message_post(body='Dose changed after the rash')

    def _as(self, user, model='res.partner'):
        return self.env[model].sudo(user)

    # --- 1. the field guard ---------------------------------------------------------------
    def test_clinical_fields_are_refused_in_every_route_outside_the_pharmacy(self):
        for user in (self.internal_user, self.portal_user):
            Partner = self._as(user)
            routes = {
                'domain': lambda: Partner.search_count([('allergies', 'ilike', 'pen')]),
                'path': lambda: Partner.search([('child_ids.allergies', 'ilike', 'pen')]),
                'order': lambda: Partner.search([], order='next_due_date desc'),
                'read_group field': lambda: Partner.read_group(
                    [('is_patient', '=', True)], ['allergies'], ['is_patient']),
                'group-by': lambda: Partner.read_group(
                    [('is_patient', '=', True)], ['name'], ['patient_state']),
                'group order': lambda: Partner.read_group(
                    [], ['name'], ['is_patient'], orderby='has_alerts'),
                'export': lambda: Partner.browse(self.patient.id).export_data(
                    ['name', 'allergies']),
                'export path': lambda: Partner.browse(self.patient.id).export_data(
                    ['name', 'prescription_ids/rx_number']),
                'name_search': lambda: Partner.name_search(
                    'Pat', args=[('on_controlled_substance', '=', False)]),
                'users path': lambda: self._as(user, 'res.users').search(
                    [('partner_id.allergies', 'ilike', 'pen')]),
            }
            for route, call in routes.items():
                with self.assertRaises(AccessError, msg='%s: %s' % (user.login, route)):
                    call()

    def test_refusal_names_the_field_and_who_may_use_it(self):
        with self.assertRaisesRegex(AccessError, 'by "Allergies" of Contact: only '
                                                 'Pharmacy / Technician may use it'):
            self._as(self.internal_user).search([('allergies', '!=', False)])

    def test_staff_search_group_and_export_clinical_fields(self):
        Partner = self._as(self.technician)
        self.assertEqual(Partner.search([('id', '=', self.patient.id),
                                         ('allergies', 'ilike', 'penic')]), self.patient)
        groups = Partner.read_group([('id', '=', self.patient.id)],
                                    ['allergies', 'patient_state'], ['patient_state'])
        self.assertEqual(groups[0]['patient_state'], 'active')
        rows = Partner.browse(self.patient.id).export_data(['name', 'allergies'])['datas']
        self.assertEqual(rows, [['Pat Test', 'Penicillin']])

    def test_defaults_of_clinical_fields_are_not_given_outside_the_pharmacy(self):
        self.env['ir.default'].set('res.partner', 'allergies', 'NKDA')
        self.assertEqual(self._as(self.technician).default_get(['allergies']),
                         {'allergies': 'NKDA'})
        self.assertEqual(self._as(self.internal_user).default_get(['allergies']), {})

    # --- 2. side channels -----------------------------------------------------------------
    def _visible(self, user, model, records):
        return self.env[model].sudo(user).search([('id', 'in', records.ids)])

    def test_activities_attachments_messages_follow_their_record(self):
        messages = self.env['mail.message'].search(
            [('model', '=', self.rx._name), ('res_id', '=', self.rx.id)])
        followers = self.env['mail.followers'].search(
            [('res_model', '=', self.rx._name), ('res_id', '=', self.rx.id)])
        self.assertTrue(messages and followers)
        for user in (self.internal_user, self.other_technician):
            for model, records in (('mail.activity', self.activities),
                                   ('ir.attachment', self.attachments),
                                   ('mail.message', messages),
                                   ('mail.followers', followers)):
                self.assertFalse(self._visible(user, model, records),
                                 '%s sees %s' % (user.login, model))
                with self.assertRaises(AccessError, msg='%s reads %s' % (user.login, model)):
                    records.sudo(user).read(['res_id'])
        summaries = self.patient.sudo(self.internal_user).read(
            ['activity_summary', 'activity_type_id', 'activity_user_id'])[0]
        self.assertEqual([summaries[name] for name in ('activity_summary', 'activity_type_id',
                                                       'activity_user_id')], [False] * 3)
        self.assertEqual(self.patient.sudo(self.technician).activity_summary,
                         'Call about Pat Test')
        # a technician reads them, except the activity of a pharmacist-only note
        self.assertEqual(self._visible(self.technician, 'mail.activity', self.activities),
                         self.activities - self.activities[1])
        self.assertEqual(self._visible(self.pharmacist, 'mail.activity', self.activities),
                         self.activities)
        self.assertEqual(self._visible(self.technician, 'ir.attachment', self.attachments),
                         self.attachments)
        self.assertEqual(self._visible(self.technician, 'mail.message', messages), messages)
        # assigned only to who may read the record (the assignee's counter and mail name it)
        for activity, user in ((self.activities[0], self.internal_user),
                               (self.activities[2], self.other_technician),
                               (self.activities[1], self.technician)):
            with self.assertRaises(ValidationError, msg=user.login):
                activity.write({'user_id': user.id})
        self.activities[1].write({'user_id': self.pharmacist.id})

    def test_an_activity_assignee_is_checked_against_its_own_record(self):
        """An activity's stored model name reaches the database after its constraints run: the
        assignee rule takes the model from the ORM. Another pharmacy's note has here the id of
        the prescription the activity is about; read from SQL (still NULL) the model let that
        note's id refuse the pharmacy's own technician."""
        cr = self.env.cr
        tables = ('pharmacy_patient_note', 'pharmacy_patient_medication')
        cr.execute('SELECT GREATEST(%s) + 1' % ', '.join(
            '(SELECT COALESCE(max(id), 0) FROM %s)' % table for table in tables))
        same_id = cr.fetchone()[0]
        for table in tables:
            cr.execute('SELECT setval(%s, %s, false)', ('%s_id_seq' % table, same_id))
        elsewhere = self.env['res.partner'].create(dict(
            PATIENT_PROFILE, name='Elsewhere Patient', is_patient=True,
            company_id=self.other_company.id))
        note = self.env['pharmacy.patient.note'].create(
            {'patient_id': elsewhere.id, 'body': 'Elsewhere'})
        rx = self._prescription()
        self.assertEqual(note.id, rx.id)
        values = {'res_model_id': self.env['ir.model']._get_id(rx._name), 'res_id': rx.id,
                  'activity_type_id': self.env.ref('mail.mail_activity_data_todo').id,
                  'summary': 'Call the prescriber'}
        activity = self.env['mail.activity'].create(dict(values, user_id=self.technician.id))
        self.assertEqual(activity.user_id, self.technician)
        with self.assertRaises(ValidationError):
            self.env['mail.activity'].create(dict(values, user_id=self.other_technician.id))

    def test_staff_create_records_with_their_chatter(self):
        """With tracking on, mail subscribes the author while the record is created, before
        its company (related to the patient) is stored: the followers' rule lets it through."""
        as_tech = self.env(user=self.technician, context={})
        rx = as_tech['pharmacy.patient.medication'].create({
            'patient_id': self.patient.id, 'medication_id': self.atorvastatin.id,
            'rx_number': 'RX-CHATTER', 'date_written': '2024-01-02'})
        note = as_tech['pharmacy.patient.note'].create(
            {'patient_id': self.patient.id, 'body': 'Prefers mornings'})
        for record in (rx, note):
            self.assertEqual(record.message_follower_ids.mapped('partner_id'),
                             self.technician.partner_id)
            self.assertEqual(record.company_id, self.patient.company_id)

    def test_patient_status_is_staff_only_and_tracked_for_staff(self):
        patient = self.patient.with_context(tracking_disable=False)
        patient._pharmacy_server_write({'patient_state': 'transferred'})
        tracking = self.env['mail.message'].search(
            [('model', '=', 'res.partner'), ('res_id', '=', patient.id),
             ('tracking_value_ids', '!=', False)])
        self.assertEqual(len(tracking), 1)
        self.assertEqual(self._visible(self.technician, 'mail.message', tracking), tracking)
        self.assertFalse(self._visible(self.internal_user, 'mail.message', tracking))
        with self.assertRaises(AccessError):
            self.patient.sudo(self.internal_user).read(['patient_state'])
        for vals in ({'is_patient': False}, {'patient_state': 'deceased'}):
            with self.assertRaisesRegex(AccessError, 'Only pharmacy staff'):
                self.patient.sudo(self.internal_user).write(vals)
        self.internal_user.groups_id |= self.env.ref('base.group_partner_manager')
        with self.assertRaisesRegex(AccessError, 'Only pharmacy staff'):
            self._as(self.internal_user).create({'name': 'New', 'is_patient': True})
        # a contact that is not a patient stays an ordinary contact for everyone
        contact = self._as(self.internal_user).create({'name': 'Supplier'})
        contact.write({'is_patient': False, 'phone': '555'})

    # --- 3. alerts per reader -------------------------------------------------------------
    def test_alerts_count_only_the_notes_the_reader_may_read(self):
        as_tech, as_pharmacist = self._as(self.technician), self._as(self.pharmacist)
        self.assertFalse(as_tech.browse(self.patient.id).has_alerts)
        self.assertFalse(as_tech.browse(self.patient.id).alert_text)
        self.assertNotIn(self.patient, as_tech.search([('has_alerts', '=', True)]))
        self.assertIn(self.patient, as_tech.search([('has_alerts', '=', False)]))
        self.assertTrue(as_pharmacist.browse(self.patient.id).has_alerts)
        self.assertIn(self.patient, as_pharmacist.search([('has_alerts', '=', True)]))
        self.assertNotIn(self.patient, as_pharmacist.search([('has_alerts', '!=', True)]))

    def test_technicians_cannot_make_a_note_pharmacist_only(self):
        Note = self._as(self.technician, 'pharmacy.patient.note')
        with self.assertRaisesRegex(AccessError, 'Only pharmacists'):
            Note.create({'patient_id': self.patient.id, 'body': 'x',
                         'visibility': 'pharmacist'})
        note = Note.create({'patient_id': self.patient.id, 'body': 'x'})
        with self.assertRaisesRegex(AccessError, 'Only pharmacists'):
            note.write({'visibility': 'pharmacist'})
        view = Note.fields_view_get(view_type='form')['arch']
        self.assertIn('<field name="visibility" invisible="1"', view)
        view = self._as(self.pharmacist, 'pharmacy.patient.note').fields_view_get(
            view_type='form')['arch']
        self.assertIn('<field name="visibility" modifiers', view)

    # --- 4. companies ---------------------------------------------------------------------
    def test_a_patient_belongs_to_one_company(self):
        self.assertEqual(self.patient.company_id, self.env.user.company_id)
        with self.assertRaisesRegex(ValidationError, 'Company of patient Pat Test'):
            self.patient.company_id = False
        Partner = self._as(self.other_technician)
        self.assertFalse(Partner.search([('id', '=', self.patient.id)]))
        self.assertFalse(Partner.search_count([('allergies', 'ilike', 'pen')]))
        self.assertFalse(Partner.read_group([('is_patient', '=', True)], ['allergies'],
                                            ['allergies']))
        for call in (lambda p: p.read(['allergies']),
                     lambda p: p.write({'allergies': 'None'})):
            with self.assertRaises(AccessError):
                call(Partner.browse(self.patient.id))
        own = Partner.create(dict(PATIENT_PROFILE, name='Their Patient', is_patient=True))
        self.assertEqual(own.company_id, self.other_company)
        self.assertFalse(self._as(self.technician).search([('id', '=', own.id)]))

    def test_records_take_their_patients_company(self):
        self.assertEqual(self.rx.company_id, self.patient.company_id)
        self.assertEqual(self.note_all.company_id, self.patient.company_id)
        for record in (self.rx, self.rx.fill_ids, self.note_all):
            with self.assertRaisesRegex(UserError, 'cannot be set'):
                record.write({'company_id': self.other_company.id})
        with self.assertRaisesRegex(UserError, 'cannot be set'):
            self._prescription(company_id=self.other_company.id)
        with self.assertRaisesRegex(UserError, 'cannot be set'):
            self.rx.write({'held_by_archive': True})
        # a technician of another company cannot attach a record to this patient
        with self.assertRaises(AccessError):
            self._as(self.other_technician, 'pharmacy.patient.note').create(
                {'patient_id': self.patient.id, 'body': 'x'})

    # --- 5. nothing deleted ---------------------------------------------------------------
    def test_nothing_is_deleted_not_even_by_the_superuser(self):
        consent = self.env['pharmacy.consent'].create({
            'patient_id': self.patient.id, 'channel': 'email', 'purpose': 'marketing',
            'state': 'refused', 'date': '2024-01-02', 'source': 'in_store'})
        new_patient = self.env['res.partner'].create(
            dict(PATIENT_PROFILE, name='No Records', is_patient=True))
        for record in (consent, self.rx.fill_ids, self.note_all, self.rx, new_patient,
                       self.patient):
            with self.assertRaisesRegex(UserError, 'never deleted'):
                record.unlink()
            self.assertTrue(record.exists())

    def test_archiving_a_patient_holds_prescriptions_and_refuses_fills(self):
        held_before = self._prescription()
        held_before.action_hold()
        self.patient.active = False
        self.assertEqual(self.rx.state, 'on_hold')
        self.assertTrue(self.rx.held_by_archive)
        self.assertFalse(held_before.held_by_archive)
        with self.assertRaisesRegex(ValidationError, 'Pat Test is archived'):
            self._fill(self.rx, '2024-02-05')
        with self.assertRaisesRegex(ValidationError, 'Unarchive the patient first'):
            self.rx.action_resume()
        self.patient.active = True
        self.assertEqual(self.rx.state, 'active')
        self.assertFalse(self.rx.held_by_archive)
        self.assertEqual(held_before.state, 'on_hold', 'held for another reason: stays held')
        self._fill(self.rx, '2024-02-05')
