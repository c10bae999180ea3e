# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The pharmacy pipeline (#21): teams, access, leads proposed by the data at their boundaries,
no duplicate, closed by the data, transfer-in conversion, the reports."""
import json
from datetime import timedelta

import psycopg2
from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from odoo.addons.pharmacy_crm.tests.common import PATIENT_PROFILE, PharmacyCase


def iso(day):
    return fields.Date.to_string(day)


class TestPipeline(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Lead = cls.env['crm.lead']
        cls.today = fields.Date.from_string(cls.env['res.company'].pharmacy_today())
        cls.team = cls.env.ref('pharmacy_crm_pipeline.crm_team_pharmacy')
        # "Contact Creation" reads leads in crm: the record rule is what hides them
        cls.marketing = cls._user('marketing', cls.env.ref('base.group_user'))
        cls.marketing.write({'groups_id': [(4, cls.env.ref('base.group_partner_manager').id)]})
        cls.company_b = cls.env['res.company'].create({'name': 'Pipeline Pharmacy B'})
        cls.technician_b = cls.env['res.users'].create({
            'name': 'Tech B', 'login': 'pharmacy_test_tech_b', 'company_id': cls.company_b.id,
            'company_ids': [(6, 0, [cls.company_b.id])],
            'groups_id': [(6, 0, [cls.group_technician.id])]})

    def _patient(self, name, **values):
        return self.env['res.partner'].create(
            dict(PATIENT_PROFILE, name=name, is_patient=True, **values))

    def _rx(self, patient, medication=None, written=120):
        return self._prescription(patient_id=patient.id,
                                  medication_id=(medication or self.atorvastatin).id,
                                  date_written=iso(self.today - timedelta(days=written)))

    def _leads(self, patient, work_type):
        return self.Lead.search([('partner_id', '=', patient.id),
                                 ('pharmacy_work_type', '=', work_type)])

    # --- data -----------------------------------------------------------------------------
    def test_a_team_per_company_and_staff_rights(self):
        """Each company has its pharmacy team; a technician (no Sales rights) creates and
        moves a lead; another company's technician, a marketing user and a portal user
        read nothing of it; marketing reads the conversion counts."""
        team_b = self.env['crm.team'].search([('is_pharmacy', '=', True),
                                              ('company_id', '=', self.company_b.id)])
        self.assertEqual(len(team_b), 1)
        patient = self._patient('Lead Access')
        lead = self.Lead.sudo(self.technician).with_context(pharmacy_pipeline=True).create({
            'name': 'Medication review', 'partner_id': patient.id,
            'pharmacy_work_type': 'clinical_service', 'description': 'On 7 medications'})
        self.assertEqual(lead.team_id, self.team)
        self.assertTrue(lead.stage_id.is_pharmacy)
        lead.with_context(tracking_disable=False).write({
            'user_id': self.pharmacist.id,
            'stage_id': self.env.ref('pharmacy_crm_pipeline.crm_stage_pharmacy_contacted').id})
        # the chatter in the pipeline's words, without crm's Expected Revenue
        tracked = lead.sudo().message_ids.mapped('tracking_value_ids.field_desc')
        self.assertEqual(sorted(tracked), ['Assigned To', 'Stage'])
        lead.message_post(body='Called, will think about it')
        # opening it is in the access log, with its patient; a sales lead is not logged
        lead.sudo(self.technician).read(['name', 'description'])
        sales_user = self._user('sales', self.env.ref('sales_team.group_sale_salesman'))
        sales = self.Lead.create({'name': 'Office chairs', 'description': '12 chairs',
                                  'user_id': sales_user.id})
        sales.sudo(sales_user).read(['name', 'description'])
        log = self.env['pharmacy.access.log'].search(
            [('res_model', '=', 'crm.lead'), ('res_id', 'in', (lead | sales).ids)])
        self.assertEqual(log.mapped(lambda entry: (entry.event, entry.user_id, entry.patient_id,
                                                   entry.res_id)),
                         [('view', self.technician, patient, lead.id),
                          ('write', self.technician, patient, lead.id),
                          ('create', self.technician, patient, lead.id)])
        # its activities: assigned only to who may read it (mail.activity, the core's rule)
        with self.assertRaises(ValidationError):
            self.env['mail.activity'].sudo(self.technician).create({
                'res_model_id': self.env['ir.model']._get_id('crm.lead'), 'res_id': lead.id,
                'activity_type_id': self.env.ref('mail.mail_activity_data_todo').id,
                'user_id': self.marketing.id})
        for user in (self.technician_b, self.marketing):
            self.assertFalse(self.Lead.sudo(user).search([('id', '=', lead.id)]), user.login)
            with self.assertRaises(AccessError):
                lead.sudo(user).read(['description'])
            self.assertFalse(self.env['mail.message'].sudo(user).search(
                [('model', '=', 'crm.lead'), ('res_id', '=', lead.id)]), user.login)
            self.assertFalse(self.env['crm.activity.report'].sudo(user).search(
                [('lead_id', '=', lead.id)]), user.login)
        with self.assertRaises(AccessError):
            self.Lead.sudo(self.marketing).search([('pharmacy_work_type', '=', 'win_back')])
        with self.assertRaises(AccessError):
            self.Lead.sudo(self.portal_user).search([])
        report = self.env['pharmacy.pipeline.conversion.report'].sudo(self.marketing)
        groups = report.read_group([('work_type', '=', 'clinical_service')],
                                   ['lead_count', 'won_count', 'lost_count', 'conversion_rate'],
                                   [])
        self.assertGreaterEqual(groups[0]['lead_count'], 1)
        groups = report.read_group([('work_type', '=', 'clinical_service')], ['source_id'],
                                   ['source_id'])
        self.assertIn((0, 'No source recorded'), [group['source_id'] for group in groups])
        self.assertNotIn('partner_id', report._fields)
        # crm mails the assignee the lead's name: never someone who may not read it
        with self.assertRaises(ValidationError):
            lead.sudo(self.technician).write({'user_id': self.marketing.id})
        # crm's partner.opportunity_ids, searched in SQL by Odoo: not which patient has a lead
        partners = self.env['res.partner'].sudo(self.marketing)
        for domain in ([('opportunity_ids', '!=', False)], [('opportunity_ids', '=', lead.id)],
                       [('opportunity_ids', 'in', [lead.id])]):
            self.assertNotIn(patient, partners.search(domain), domain)
        self.assertIn(patient, partners.search([('opportunity_ids', '=', False)]))
        partners = partners.sudo(self.technician)
        self.assertIn(patient, partners.search([('opportunity_ids', '=', lead.id)]))
        self.assertNotIn(patient, partners.search([('opportunity_ids', '=', False)]))
        # a lost lead stays readable to the staff, archived
        lead.sudo(self.technician).write({'active': False})
        self.assertTrue(self.Lead.sudo(self.technician).with_context(active_test=False).search(
            [('id', '=', lead.id)]))

    def test_views_in_pharmacy_terms(self):
        """The list dates "Proposed On" (a date) on proposed leads only; a transfer in says the
        US rules of a transfer (pharmacist to pharmacist, controlled substances)."""
        def arch(xmlid, view_type):
            view = self.env.ref('pharmacy_crm_pipeline.%s' % xmlid)
            return etree.fromstring(self.Lead.fields_view_get(view.id, view_type)['arch'])
        [proposed_on] = arch('crm_lead_view_tree_pharmacy', 'tree').xpath(
            '//field[@name="create_date"]')
        self.assertEqual(json.loads(proposed_on.get('modifiers'))['invisible'],
                         [['pharmacy_proposed', '=', False]])
        self.assertEqual(proposed_on.get('widget'), 'date')
        [rules] = arch('crm_lead_view_form_pharmacy', 'form').xpath(
            '//div[contains(@class, "o_pharmacy_transfer_rules")]')
        self.assertIn('Schedule II', rules.text)

    # --- proposed by data -----------------------------------------------------------------
    def test_win_back_at_89_and_90_days(self):
        at_90 = self._patient('Win Back 90')
        at_89 = self._patient('Win Back 89')
        left = self._patient('Win Back Transferred')
        for patient, days in ((at_90, 90), (at_89, 89), (left, 200)):
            self._fill(self._rx(patient, written=300), iso(self.today - timedelta(days=days)))
        left._pharmacy_server_write({'patient_state': 'transferred'})
        self.Lead._pharmacy_propose_win_back()
        lead = self._leads(at_90, 'win_back')
        self.assertEqual(len(lead), 1)
        self.assertFalse(self._leads(at_89, 'win_back'))
        self.assertFalse(self._leads(left, 'win_back'))
        self.assertIn('90 days', lead.description)
        self.assertEqual(lead.team_id, self.team)
        self.assertTrue(lead.pharmacy_proposed)
        # closed by a new counted fill at the counter (the ORM's hook), the chatter says why
        rx = at_90.prescription_ids
        self._fill(rx, iso(self.today))
        lead.invalidate_cache()
        self.assertEqual(lead.probability, 100)
        self.assertEqual(lead.stage_id, self.env.ref(
            'pharmacy_crm_pipeline.crm_stage_pharmacy_won'))
        self.assertIn('filled again', lead.message_ids[0].body)

    def test_overlapping_runs_make_no_duplicate(self):
        """Two runs, the second as if concurrent (the recently-proposed filter bypassed):
        the unique index and ON CONFLICT keep one open lead; a second by hand is refused."""
        patient = self._patient('Win Back Twice')
        self._fill(self._rx(patient, written=300), iso(self.today - timedelta(days=120)))
        self.Lead._pharmacy_propose_win_back()
        # (the demo's lapsed patients may be proposed too: only this patient's lead counts)
        first = self._leads(patient, 'win_back').ids
        self.assertEqual(len(first), 1)
        self.env.cr.execute("UPDATE crm_lead SET create_date = create_date - interval "
                            "'1 year' WHERE id = ANY(%s)", [first])
        self.Lead._pharmacy_propose_win_back()
        self.assertEqual(len(self._leads(patient, 'win_back')), 1)
        with mute_logger('odoo.sql_db'), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self.Lead.create({'name': 'again', 'partner_id': patient.id,
                                  'pharmacy_work_type': 'win_back'})
        # a patient who leaves loses the open lead ("moved away"), one UPDATE
        self.assertIs(patient._pharmacy_patient_left('transferred'), True)
        self.assertFalse(self.Lead.search([('id', 'in', first)]))
        lost = self.Lead.with_context(active_test=False).browse(first)
        self.assertEqual(lost.lost_reason, self.env.ref(
            'pharmacy_crm_pipeline.crm_lost_reason_moved_away'))

    def test_clinical_service_at_64_and_65(self):
        at_65 = self._patient('Flu 65', birthdate_date=iso(self.today - relativedelta(
            years=65)))
        at_64 = self._patient('Flu 64', birthdate_date=iso(self.today - relativedelta(
            years=65) + timedelta(days=1)))
        self.Lead._pharmacy_propose_clinical_service()
        lead = self._leads(at_65, 'clinical_service')
        self.assertEqual(lead.pharmacy_service_tag_id,
                         self.env.ref('pharmacy_crm_pipeline.crm_lead_tag_flu'))
        self.assertIn('65 years old', lead.description)
        self.assertFalse(self._leads(at_64, 'clinical_service'))
        # lost this season: not proposed again until the next one
        lead.action_set_lost()
        self.Lead._pharmacy_propose_clinical_service()
        self.assertFalse(self._leads(at_65, 'clinical_service'))

    def test_sync_enrolment_at_2_and_3_medications_and_won_on_enrolment(self):
        three = self._patient('Sync Three')
        two = self._patient('Sync Two')
        for patient, count in ((three, 3), (two, 2)):
            for index in range(count):
                rx = self._rx(patient)
                self._fill(rx, iso(self.today - timedelta(days=20 - 5 * index)))
        self.Lead._pharmacy_propose_sync_enrolment()
        lead = self._leads(three, 'sync_enrolment')
        self.assertEqual(len(lead), 1)
        self.assertIn('3 active maintenance prescriptions', lead.description)
        self.assertFalse(self._leads(two, 'sync_enrolment'))
        self.env['pharmacy.sync.enrollment'].create({
            'patient_id': three.id, 'sync_rule': 'day', 'sync_day': 15,
            'consent_source': 'in_store'})
        lead.invalidate_cache()
        self.assertEqual(lead.probability, 100)
        self.assertIn('enrolled in refill sync', lead.message_ids[0].body)

    def test_adherence_outreach_links_the_worklist_row(self):
        patient = self._patient('Adherence Low')
        start, end = self.today - timedelta(days=364), self.today + timedelta(days=400)
        statin = self.env.ref('pharmacy_crm.therapeutic_class_statin')
        self.env.cr.execute("""
            INSERT INTO pharmacy_adherence (patient_id, class_id, company_id, date_start,
                                            date_end, index_date, pdc, adherent, covered_days,
                                            period_days, fill_count)
            VALUES (%s, %s, %s, %s, %s, %s, 0.5, FALSE, 100, 200, 3) RETURNING id""",
                            [patient.id, statin.id, patient.company_id.id, start, end, start])
        row = self.env.cr.fetchone()[0]
        self.Lead._pharmacy_propose_adherence_outreach()
        lead = self._leads(patient, 'adherence_outreach')
        self.assertEqual(lead.pharmacy_adherence_id.id, row)
        self.assertIn('50%', lead.description)
        # the outreach logged on the patient (the adherence addon's activity) wins it
        outreach = self.env.ref('pharmacy_crm_adherence.mail_activity_type_adherence_outreach')
        patient.message_post(body='Called about the statin', mail_activity_type_id=outreach.id)
        self.assertEqual(self.Lead._pharmacy_close_by_data(patient.ids), lead.ids)
        lead.invalidate_cache()
        self.assertEqual(lead.probability, 100)
        self.assertIn('adherence outreach was logged', lead.message_ids[0].body)
        lead.action_set_lost()
        self.Lead._pharmacy_propose_adherence_outreach()   # same period: not again
        self.assertFalse(self._leads(patient, 'adherence_outreach'))

    # --- transfer in ----------------------------------------------------------------------
    def test_transfer_in_conversion_and_first_fill(self):
        web = self.env.ref('utm.utm_medium_website')
        lead = self.Lead.sudo(self.technician).create({
            'name': 'Transfer in: Maria Lopez', 'contact_name': 'Maria Lopez',
            'phone': '555-0199', 'email_from': 'maria@example.com',
            'pharmacy_work_type': 'transfer_in', 'pharmacy_current_pharmacy': 'Corner Drugs',
            'pharmacy_medications': 'metformin, lisinopril', 'pharmacy_contact_consent': True,
            'medium_id': web.id,
            'source_id': self.env.ref('pharmacy_crm_pipeline.utm_source_word_of_mouth').id})
        Sources = self.env['pharmacy.patient.source.report']
        source = [('source_id', '=', lead.source_id.id), ('medium_id', '=', web.id)]
        before = sum(Sources.search(source).mapped('patient_count'))
        wizard = self.env['pharmacy.lead.convert'].sudo(self.technician).create({
            'lead_id': lead.id, 'birthdate_date': '1970-02-03', 'nkda': True})
        action = wizard.action_convert()
        patient = lead.partner_id
        self.assertEqual(action['res_id'], patient.id)
        self.assertTrue(patient.is_patient)
        self.assertEqual((patient.name, patient.phone), ('Maria Lopez', '555-0199'))
        self.assertEqual(patient.pharmacy_source_id, lead.source_id)
        consent = patient.consent_ids.filtered(lambda c: c.purpose == 'treatment'
                                               and c.channel == 'phone')
        self.assertEqual((consent.state, consent.source), ('granted', 'web'))
        self.assertEqual(patient.pharmacy_open_lead_count, 1)
        self.assertEqual(patient.action_pharmacy_new_lead()['context']['default_partner_id'],
                         patient.id)
        self.assertEqual(sum(Sources.search(source).mapped('patient_count')), before + 1)
        self._fill(self._rx(patient, written=5), iso(self.today))
        lead.invalidate_cache()
        self.assertEqual(lead.probability, 100)
        self.assertIn('first fill', lead.message_ids[0].body)
        # a patient is new in the month of their first counted fill (not when recorded)
        day = self.today - timedelta(days=70)
        in_month = [('source_id', '=', lead.source_id.id), ('month', '=', iso(day.replace(day=1)))]
        before = sum(Sources.search(in_month).mapped('patient_count'))
        came = self._patient('Came Before', pharmacy_source_id=lead.source_id.id)
        self._fill(self._rx(came, written=100), iso(day))
        self.assertEqual(sum(Sources.search(in_month).mapped('patient_count')), before + 1)
