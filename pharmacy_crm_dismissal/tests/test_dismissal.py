# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Incident log and dismissal: thresholds, required answers, the flow by group, every effect of
approval and of the effective date, reinstatement, the letter, the debrief, access."""
import base64
import re
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.pharmacy_crm.models.pharmacy_server_fields_mixin import (
    SERVER_WRITE, ServerWrite)
from odoo.addons.pharmacy_crm.tests.common import PharmacyCase


def without_letter(test):
    """Approve without rendering the letter: after each test Odoo clears its caches, and the
    report's templates and assets cost 1.5 s to prepare again. The letter is checked by
    test_approval_effects and test_letter_renders_explanation_and_referral_address."""
    def wrapper(self):
        with patch.object(type(self.env['pharmacy.dismissal']), '_attach_letter',
                          lambda dismissal: None):
            return test(self)
    wrapper.__name__ = test.__name__
    return wrapper


class TestDismissal(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.from_string(cls.env['res.company'].pharmacy_today())
        cls.pharmacy = cls.env['res.partner'].create({
            'name': 'Riverside Pharmacy', 'is_company': True, 'is_pharmacy': True,
            'street': '12 River Road', 'city': 'Milton', 'zip': '17847',
            'phone': '(570) 555-0199'})
        # a pharmacist who was not there: the debrief must reach them
        cls.absent_pharmacist = cls._user('absent', cls.group_pharmacist)
        cls.marketer = cls._user('marketer', cls.env.ref('base.group_user'))
        cls.rx = cls._prescription(date_written=cls._day(-40))
        cls.Incident = cls.env['pharmacy.incident'].sudo(cls.technician)

    @classmethod
    def _day(cls, offset):
        return fields.Date.to_string(cls.today + timedelta(days=offset))

    def _incident(self, day, incident_type='scene', patient=None, **values):
        vals = {'patient_id': (patient or self.patient).id, 'incident_type': incident_type,
                'date': '%s 10:00:00' % self._day(day), 'description': 'Shouted at the counter.'}
        vals.update(values)
        return self.Incident.create(vals)

    def _wizard(self, user, incidents, **values):
        vals = {'patient_id': self.patient.id, 'incident_ids': [(6, 0, incidents.ids)],
                'explanation': 'You damaged merchandise and upset our staff repeatedly.',
                'attestation': True, 'referral_pharmacy_ids': [(6, 0, [self.pharmacy.id])],
                'transfer_prescriptions': True}
        vals.update(values)
        return self.env['pharmacy.dismissal.wizard'].sudo(user).with_context(
            default_patient_id=self.patient.id).create(vals)

    def _propose(self, user=None, incidents=None, **values):
        incidents = incidents if incidents is not None else (
            self._incident(-20) | self._incident(-3, 'verbal_abuse'))
        action = self._wizard(user or self.pharmacist, incidents, **values).action_confirm()
        return self.env['pharmacy.dismissal'].browse(action['res_id'])

    def _set(self, **settings):
        self.env['res.config.settings'].sudo(self.manager).create(settings).execute()

    # --- incidents -----------------------------------------------------------------------
    def test_incident_severity_defaults_from_type_and_count(self):
        self.assertEqual(self._incident(-1, 'threat').severity, 'severe')
        self.assertEqual(self._incident(-1, 'violence').severity, 'severe')
        self.assertEqual(self._incident(-1, 'property_damage').severity, 'severe')
        scene = self._incident(-1, 'scene')
        self.assertEqual(scene.severity, 'minor')
        self.assertEqual(self._incident(-1, 'threat', severity='serious').severity, 'serious')
        self.assertEqual(scene.reported_by_id, self.technician)
        self.assertEqual(self.patient.sudo(self.technician).incident_count, 5)
        with self.assertRaisesRegex(UserError, 'never deleted'):
            scene.unlink()
        scene.write({'active': False})
        self.patient.invalidate_cache()
        self.assertEqual(self.patient.sudo(self.technician).incident_count, 4)

    # --- thresholds ----------------------------------------------------------------------
    def test_thresholds(self):
        minor = self._incident(-5)
        with self.assertRaisesRegex(ValidationError, 'on 1 day'):
            self._propose(incidents=minor)
        same_day = self._incident(-5, 'verbal_abuse', date='%s 16:00:00' % self._day(-5))
        with self.assertRaisesRegex(ValidationError, 'A single bad day is never enough'):
            self._propose(incidents=minor | same_day)
        other_day = self._incident(-2, 'verbal_abuse')
        dismissal = self._propose(incidents=minor | other_day)
        self.assertEqual(dismissal.state, 'proposed')
        dismissal.sudo(self.pharmacist).action_withdraw()
        self.assertEqual(dismissal.state, 'withdrawn')
        severe = self._incident(-1, 'violence')
        self.assertEqual(self._propose(incidents=severe).state, 'proposed')

    def test_thresholds_follow_the_settings(self):
        self._set(pharmacy_dismissal_incident_days=3, pharmacy_dismissal_severe_incidents=0)
        values = self.env['res.config.settings'].sudo(self.manager).default_get(
            ['pharmacy_dismissal_incident_days', 'pharmacy_dismissal_severe_incidents'])
        self.assertEqual(values, {'pharmacy_dismissal_incident_days': 3,
                                  'pharmacy_dismissal_severe_incidents': 0})
        severe = self._incident(-1, 'threat')
        two_days = self._incident(-9) | severe
        with self.assertRaisesRegex(ValidationError, 'on 2 day'):
            self._propose(incidents=two_days)
        self.assertEqual(self._propose(incidents=two_days | self._incident(-30)).state,
                         'proposed')
        with self.assertRaisesRegex(ValidationError, 'from 2 to 20'):
            self._set(pharmacy_dismissal_incident_days=1)

    def test_explanation_attestation_referral_and_notice_required(self):
        with self.assertRaisesRegex(ValidationError, 'Explanation of Dismissal.*required'):
            self._propose(explanation='  ')
        with self.assertRaisesRegex(ValidationError, 'Attestation is required'):
            self._propose(attestation=False)
        with self.assertRaisesRegex(ValidationError, 'Referral Pharmacies'):
            self._propose(referral_pharmacy_ids=[(5, 0, 0)])
        with self.assertRaisesRegex(ValidationError, 'notice period of 30 days'):
            self._propose(effective_date=self._day(29))
        wizard = self._wizard(self.pharmacist, self._incident(-1, 'threat'))
        self.assertEqual(wizard.effective_date, self._day(30))
        self.assertEqual(wizard.protected_grounds, 'race, color, religion, national origin, '
                                                   'sex, age, disability')
        self._set(pharmacy_dismissal_local_grounds='sexual orientation, gender identity')
        wizard.invalidate_cache()
        self.assertEqual(wizard.protected_grounds, 'race, color, religion, national origin, '
                                                   'sex, age, disability, sexual orientation, '
                                                   'gender identity')
        # the wizard shows them as it opens (computed with its patient, as in the form)
        new = self.env['pharmacy.dismissal.wizard'].sudo(self.pharmacist).new(
            {'patient_id': self.patient.id})
        self.assertTrue(new.protected_grounds.startswith('race, color, religion'))

    def test_the_dismissal_settings_are_registered_and_checked_whichever_way(self):
        Setting = self.env['pharmacy.setting']
        settings = Setting._pharmacy_settings()
        self.assertEqual(
            [(spec.key, spec.kind, spec.default, spec.minimum, spec.maximum)
             for spec in (settings['dismissal_incident_days'],
                          settings['dismissal_severe_incidents'],
                          settings['dismissal_notice_days'],
                          settings['dismissal_protected_grounds'],
                          settings['dismissal_local_grounds'])],
            [('pharmacy_crm.dismissal_incident_days', 'integer', 2, 2, 20),
             ('pharmacy_crm.dismissal_severe_incidents', 'integer', 1, 0, 20),
             ('pharmacy_crm.dismissal_notice_days', 'integer', 30, 0, 365),
             ('pharmacy_crm.dismissal_protected_grounds', 'char',
              'race, color, religion, national origin, sex, age, disability', None, None),
             ('pharmacy_crm.dismissal_local_grounds', 'char', '', None, None)])
        Param = self.env['ir.config_parameter'].sudo(self.manager)
        for key, wrong, message in (
                ('pharmacy_crm.dismissal_incident_days', '1', 'Incidents on Different Days '
                 'must be a whole number of days from 2 to 20 (got "1").'),
                ('pharmacy_crm.dismissal_severe_incidents', '-1', 'Or Severe Incidents must be '
                 'a whole number from 0 to 20 (got "-1").'),
                ('pharmacy_crm.dismissal_notice_days', '400', 'Notice Period must be a whole '
                 'number of days from 0 to 365 (got "400").')):
            with self.assertRaises(ValidationError) as err:
                Param.set_param(key, wrong)
            self.assertEqual(err.exception.name, message)
        # a valid value applies at once: the wizard's effective date, the attestation
        Param.set_param('pharmacy_crm.dismissal_notice_days', '10')
        Param.set_param('pharmacy_crm.dismissal_local_grounds', '  gender identity ')
        wizard = self._wizard(self.pharmacist, self._incident(-1, 'threat'))
        self.assertEqual((wizard.effective_date, wizard.protected_grounds),
                         (self._day(10), 'race, color, religion, national origin, sex, age, '
                                         'disability, gender identity'))
        for key in ('pharmacy_crm.dismissal_notice_days', 'pharmacy_crm.dismissal_local_grounds'):
            Param.search([('key', '=', key)]).unlink()
        self.assertEqual((Setting.get('dismissal_notice_days'),
                          Setting.get('dismissal_local_grounds')), (30, ''))
        with self.assertRaises(AccessError):
            self.env['ir.config_parameter'].sudo(self.technician).set_param(
                'pharmacy_crm.dismissal_notice_days', '0')
        self.assertEqual(Setting.get('dismissal_notice_days'), 30)

    # --- the flow by group -----------------------------------------------------------------
    def test_technician_cannot_open_nor_create(self):
        patient = self.patient.sudo(self.technician)
        with self.assertRaisesRegex(AccessError, 'Only pharmacists propose'):
            patient.action_open_dismissal_wizard()
        with self.assertRaisesRegex(AccessError, 'Only pharmacists propose'):
            self.env['pharmacy.dismissal.wizard'].sudo(self.technician).default_get(
                ['patient_id'])
        with self.assertRaisesRegex(AccessError, 'Only pharmacists propose'):
            self._wizard(self.technician, self._incident(-1, 'threat'))
        with self.assertRaisesRegex(AccessError, 'Only pharmacists propose or change'):
            self.env['pharmacy.dismissal'].sudo(self.technician).create({
                'patient_id': self.patient.id, 'explanation': 'x', 'attestation': True,
                'incident_ids': [(6, 0, self._incident(-1, 'threat').ids)],
                'referral_pharmacy_ids': [(6, 0, self.pharmacy.ids)],
                'effective_date': self._day(40)})

    @without_letter
    def test_pharmacist_proposes_manager_approves(self):
        dismissal = self._propose()
        self.assertEqual(dismissal.proposed_by_id, self.pharmacist)
        # the manager is told: a To Do activity, found with the filter To Approve
        [activity] = dismissal.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual((activity.activity_type_id, activity.summary), (
            self.env.ref('mail.mail_activity_data_todo'),
            'Approve or withdraw the dismissal of Pat Test'))
        self.assertFalse(dismissal.activity_ids.filtered(lambda a: a.user_id == self.pharmacist))
        self.assertEqual(self.env['pharmacy.dismissal'].sudo(self.manager).search(
            [('patient_id', '=', self.patient.id), ('state', '=', 'proposed')]), dismissal)
        with self.assertRaisesRegex(AccessError, 'Only pharmacy managers approve'):
            dismissal.sudo(self.pharmacist).action_approve()
        with self.assertRaisesRegex(UserError, 'changes only through its actions: to make it '
                                               'Approved, use "Approve"'):
            dismissal.sudo(self.pharmacist).write({'state': 'approved'})
        with self.assertRaisesRegex(UserError, 'already has a dismissal'):
            self._propose(incidents=self._incident(-1, 'threat'))
        dismissal.sudo(self.manager).action_approve()
        self.assertEqual((dismissal.state, dismissal.approved_by_id),
                         ('approved', self.manager))
        self.assertFalse(dismissal.activity_ids)   # done with the approval
        with self.assertRaisesRegex(UserError, 'changes only while it is proposed'):
            dismissal.sudo(self.pharmacist).write({'explanation': 'Other'})

    @without_letter
    def test_manager_proposes_and_approves_at_once(self):
        dismissal = self._propose(user=self.manager, approve_now=True)
        self.assertEqual(dismissal.state, 'approved')

    @without_letter
    def test_dismissal_effective_date_is_written_by_the_server_only(self):
        """A pharmacist never sets it, whatever the context a client sends; the approval and
        the reinstatement write it through the ORM, as the manager: in the access log."""
        for context in ({}, {SERVER_WRITE: True}, {SERVER_WRITE: 'res.partner'},
                        {SERVER_WRITE: {'model': 'res.partner',
                                        'names': ['dismissal_effective_date']}},
                        {'pharmacy_dismissal_server': True},
                        {SERVER_WRITE: ServerWrite('pharmacy.dismissal',
                                                   ['dismissal_effective_date'])}):
            with self.assertRaises(UserError) as refused:
                self.patient.sudo(self.pharmacist).with_context(**context).write(
                    {'dismissal_effective_date': self._day(1)})
            self.assertEqual(refused.exception.name, (
                'Dismissal Effective Date of Contact cannot be set: the pharmacy computes '
                'them. Change the values they come from instead (e.g. the patient or the '
                'prescription).'), context)
        self.assertFalse(self.patient.dismissal_effective_date)
        dismissal = self._propose(effective_date=self._day(31))
        Log = self.env['pharmacy.access.log']
        last = Log.search([], order='id desc', limit=1).id or 0
        dismissal.sudo(self.manager).action_approve()
        self.assertEqual(self.patient.dismissal_effective_date, self._day(31))
        dismissal.sudo(self.manager).action_reinstate('Apologised')
        self.assertFalse(self.patient.dismissal_effective_date)
        entries = Log.search([('id', '>', last), ('event', '=', 'write')], order='id')
        self.assertEqual(
            [(e.res_model, e.res_id, e.user_id, e.field_names) for e in entries], [
                ('pharmacy.dismissal', dismissal.id, self.manager,
                 'approved_by_id,approved_date,state'),
                ('res.partner', self.patient.id, self.manager, 'dismissal_effective_date'),
                ('pharmacy.dismissal', dismissal.id, self.manager,
                 'reinstate_date,reinstate_reason,reinstated_by_id,state'),
                ('res.partner', self.patient.id, self.manager, 'dismissal_effective_date')])

    def test_incidents_and_dismissals_are_in_the_access_log(self):
        Log = self.env['pharmacy.access.log']
        last = Log.search([], order='id desc', limit=1).id or 0
        incident = self._incident(-20)
        with patch.object(type(self.env['pharmacy.dismissal']), '_attach_letter',
                          lambda dismissal: None):
            dismissal = self._propose(incidents=incident | self._incident(-3, 'verbal_abuse'))
        incident.sudo(self.pharmacist).read(['description'])
        dismissal.sudo(self.manager).read(['explanation'])
        entries = Log.search([('id', '>', last), '|', '&', ('res_model', '=', incident._name),
                              ('res_id', '=', incident.id), '&',
                              ('res_model', '=', dismissal._name), ('res_id', '=', dismissal.id)],
                             order='id')
        self.assertEqual(
            [(e.event, e.res_model, e.res_id, e.user_id, e.patient_id) for e in entries], [
                ('create', 'pharmacy.incident', incident.id, self.technician, self.patient),
                ('create', 'pharmacy.dismissal', dismissal.id, self.pharmacist, self.patient),
                ('view', 'pharmacy.incident', incident.id, self.pharmacist, self.patient),
                ('view', 'pharmacy.dismissal', dismissal.id, self.manager, self.patient)])

    # --- effects ---------------------------------------------------------------------------
    def test_approval_effects(self):
        Consent = self.env['pharmacy.consent']
        Consent.create({'patient_id': self.patient.id, 'channel': 'email', 'purpose': 'marketing',
                        'state': 'granted', 'date': self._day(-100), 'source': 'form'})
        treatment = Consent.create({'patient_id': self.patient.id, 'channel': 'sms',
                                    'purpose': 'treatment', 'state': 'granted',
                                    'date': self._day(-100), 'source': 'form'})
        Activity = self.env['mail.activity']
        todo = self.env.ref('mail.mail_activity_data_todo')
        model_rx = self.env['ir.model']._get('pharmacy.patient.medication')
        before = Activity.create({'res_model_id': model_rx.id, 'res_id': self.rx.id,
                                  'activity_type_id': todo.id, 'summary': 'Call prescriber',
                                  'date_deadline': self._day(10), 'user_id': self.technician.id})
        after = Activity.create({'res_model_id': model_rx.id, 'res_id': self.rx.id,
                                 'activity_type_id': todo.id, 'summary': 'Refill reminder',
                                 'date_deadline': self._day(45), 'user_id': self.technician.id})
        dismissal = self._propose(effective_date=self._day(31))
        dismissal.sudo(self.manager).action_approve()

        # the patient is marked, still active during the notice period, leaving (no new
        # plan is offered: e.g. refill sync)
        self.assertEqual(self.patient.dismissal_effective_date, self._day(31))
        self.assertTrue(self.patient.pharmacy_leaving)
        self.assertEqual(self.patient.patient_state, 'active')
        # the letter, on the patient's chatter
        letter = dismissal.letter_attachment_id
        self.assertEqual((letter.res_model, letter.res_id), ('res.partner', self.patient.id))
        self.assertIn(letter, self.patient.message_ids.mapped('attachment_ids'))
        content = base64.b64decode(letter.sudo().datas)
        if letter.name.endswith('.pdf'):   # wkhtmltopdf, outside Odoo's test mode
            self.assertEqual(content[:5], b'%PDF-')
        else:   # Odoo's test mode renders reports as HTML
            self.assertEqual(letter.name, 'Dismissal letter - Pat Test.html')
            self.assertIn(b'You damaged merchandise and upset our staff repeatedly.', content)
            self.assertIn(b'12 River Road, Milton', content)
        # marketing consent withdrawn on every channel, treatment consent untouched
        marketing = Consent.search([('patient_id', '=', self.patient.id),
                                    ('purpose', '=', 'marketing')])
        self.assertEqual(sorted(marketing.mapped('channel')), ['email', 'phone', 'sms'])
        self.assertEqual(set(marketing.mapped('state')), {'refused'})
        self.assertEqual(set(marketing.mapped('source')), {'dismissal'})
        self.assertEqual(set(marketing.mapped('date')), {fields.Date.to_string(self.today)})
        self.assertEqual(treatment.state, 'granted')
        self.assertTrue(self.patient.opt_out)
        # activities after the effective date closed, those before kept
        self.assertFalse(after.exists())
        self.assertTrue(before.exists())
        done = self.rx.message_ids[0]
        self.assertEqual(done.mail_activity_type_id, todo)
        self.assertIn('Closed: the patient is dismissed', done.body)
        # the debrief reaches a pharmacist who was not involved
        channel = self.env.ref('pharmacy_crm_dismissal.pharmacy_staff_channel')
        self.assertIn(self.absent_pharmacist.partner_id, channel.channel_partner_ids)
        debrief = channel.message_ids[0]
        self.assertIn('Dismissal of Pat Test', debrief.body)
        self.assertIn('You damaged merchandise and upset our staff repeatedly.', debrief.body)
        self.assertIn('If the patient comes in', debrief.body)
        self.assertIn('Riverside Pharmacy', debrief.body)
        self.assertIn(self.absent_pharmacist.partner_id, debrief.partner_ids)
        self.assertIn(debrief, self.env['mail.message'].sudo(self.absent_pharmacist).search(
            [('model', '=', 'mail.channel'), ('res_id', '=', channel.id)]))
        self.assertNotIn(self.internal_user.partner_id, channel.channel_partner_ids)
        # fills continue during the notice period
        self._fill(self.rx, fields.Date.to_string(self.today))

    @without_letter
    def test_effective_date_cron_and_counter(self):
        self._set(pharmacy_dismissal_notice_days=0)
        dismissal = self._propose(effective_date=fields.Date.to_string(self.today))
        dismissal.sudo(self.manager).action_approve()
        with self.assertRaisesRegex(UserError, 'was dismissed from this pharmacy'):
            self._fill(self.rx, fields.Date.to_string(self.today))
        self.assertEqual(self.env['pharmacy.dismissal']._cron_apply_effective(), 1)
        self.assertEqual((dismissal.state, self.patient.patient_state),
                         ('effective', 'dismissed'))
        with self.assertRaisesRegex(UserError, 'transfer the prescription out'):
            self._fill(self.rx, fields.Date.to_string(self.today))
        # transferring out stays possible, with the receiving pharmacy
        wizard = self.env['pharmacy.prescription.discontinue'].sudo(self.pharmacist).create({
            'prescription_ids': [(6, 0, self.rx.ids)], 'reason': 'transferred',
            'transfer_pharmacy_id': self.pharmacy.id})
        wizard.action_confirm()
        self.assertEqual((self.rx.state, self.rx.transfer_pharmacy_id),
                         ('discontinued', self.pharmacy))

        # reinstatement: managers, with a reason; consent stays refused; nothing reopened
        with self.assertRaisesRegex(AccessError, 'Only pharmacy managers reinstate'):
            dismissal.sudo(self.pharmacist).action_reinstate('Apologised')
        with self.assertRaisesRegex(UserError, 'Reason is required'):
            dismissal.sudo(self.manager).action_reinstate(' ')
        reinstate = self.env['pharmacy.dismissal.reinstate'].sudo(self.manager).create(
            {'dismissal_id': dismissal.id, 'reason': 'Apologised in writing to the staff.'})
        reinstate.action_confirm()
        self.assertEqual(dismissal.state, 'reinstated')
        self.assertEqual(dismissal.reinstate_reason, 'Apologised in writing to the staff.')
        self.assertEqual(self.patient.patient_state, 'active')
        self.assertFalse(self.patient.dismissal_effective_date)
        self.assertEqual(self.rx.state, 'discontinued')
        self.assertEqual(set(self.patient.consent_ids.filtered(
            lambda c: c.purpose == 'marketing').mapped('state')), {'refused'})
        self.assertIn('Reinstated by Manager', self.patient.message_ids[0].body)

    @without_letter
    def test_the_addons_are_told_what_is_cancelled_and_when_the_patient_leaves(self):
        """Approval cancels what is planned from the effective date on, and the effective
        date tells the addons the patient left (the core's hooks, e.g. refill sync's)."""
        calls = []
        Partner = type(self.env['res.partner'])
        with patch.object(Partner, '_pharmacy_cancel_plans',
                          lambda partners, date_from: calls.append(
                              ('cancel', partners.ids, date_from)) or True), \
                patch.object(Partner, '_pharmacy_patient_left',
                             lambda partners, reason: calls.append(
                                 ('left', partners.ids, reason)) or True):
            dismissal = self._propose(effective_date=self._day(30))
            dismissal.sudo(self.manager).action_approve()
            self.assertEqual(calls, [('cancel', self.patient.ids, self._day(30))])
            dismissal._pharmacy_server_write({'effective_date': self._day(0)})
            self.env['pharmacy.dismissal']._cron_apply_effective()
        self.assertEqual(calls[1:], [('left', self.patient.ids, 'dismissed')])

    @without_letter   # rendered once below (test_approval_effects attaches it)
    def test_letter_renders_explanation_and_referral_address(self):
        dismissal = self._propose(user=self.manager, approve_now=True)
        company = dismissal.company_id
        company.write({'phone': '(570) 555-0100', 'street': '418 Market Street',
                       'city': 'Lewisburg', 'zip': '17837',
                       'state_id': self.env.ref('base.state_us_39').id,
                       'country_id': self.env.ref('base.us').id})
        self.patient.write({'street': '276 Water Street', 'city': False, 'zip': '17870',
                            'state_id': self.env.ref('base.state_us_39').id,
                            'country_id': self.env.ref('base.us').id})
        text = self._letter_text(dismissal)
        self.assertIn('You damaged merchandise and upset our staff repeatedly.', text)
        # the referral pharmacy with its address and phone
        self.assertIn('Riverside Pharmacy 12 River Road, Milton, 17847 Phone: (570) 555-0199',
                      text)
        self.assertIn('we transfer your prescriptions', text)
        # the letterhead: the pharmacy's name, address and phone
        self.assertIn('%s 418 Market Street · Lewisburg, PA 17837 Phone: (570) 555-0100'
                      % company.name, text)
        # the patient's address without stray commas; long dates; the facts, never the
        # incidents' descriptions; the grounds; how to reach the pharmacy
        self.assertIn('Pat Test 276 Water Street PA 17870', text)
        effective = fields.Date.from_string(dismissal.effective_date)
        self.assertIn('From %s %d, %d, we will no longer be able to serve you.' % (
            effective.strftime('%B'), effective.day, effective.year), text)
        incident = min(dismissal.incident_ids, key=lambda i: i.date)
        day = fields.Date.from_string(incident.date[:10])
        self.assertIn('%s %d, %d: Disruptive scene' % (day.strftime('%B'), day.day, day.year),
                      text)
        self.assertNotIn('Shouted at the counter', text)
        self.assertNotIn('incidents described above', text)
        self.assertIn('It does not rest on your race, color, religion, national origin, sex, '
                      'age, disability, or any other ground protected by law.', text)
        self.assertIn('please call us at (570) 555-0100.', text)
        self.assertNotIn('colour', text)
        # US Letter for a US pharmacy, the company's paper elsewhere
        report = self.env.ref('pharmacy_crm_dismissal.pharmacy_dismissal_letter_report')
        self.assertEqual(report._pharmacy_letter_paperformat(dismissal.ids).format, 'Letter')
        company.country_id = self.env.ref('base.fr')
        self.assertFalse(report._pharmacy_letter_paperformat(dismissal.ids))

    def _letter_text(self, dismissal):
        html = self.env.ref(
            'pharmacy_crm_dismissal.pharmacy_dismissal_letter_report').render_qweb_html(
                dismissal.ids)[0]
        html = html.decode() if isinstance(html, bytes) else html
        html = html[html.index('o_pharmacy_dismissal_letter'):]
        return ' '.join(re.sub(r'<[^>]+>', ' ', html).split())

    # --- access ----------------------------------------------------------------------------
    def test_outsiders_see_no_incident(self):
        incident = self._incident(-1)
        for user in (self.marketer, self.portal_user, self.internal_user):
            for model in ('pharmacy.incident', 'pharmacy.dismissal'):
                self.assertFalse(self.env[model].sudo(user).check_access_rights(
                    'read', raise_exception=False))
            with self.assertRaises(AccessError):
                incident.sudo(user).read(['description'])
            with self.assertRaises(AccessError):
                self.patient.sudo(user).read(['incident_ids'])

    @without_letter
    def test_referral_pharmacies_searchable_by_city_and_debrief_per_company(self):
        wizard = self._wizard(self.pharmacist, self._incident(-1, 'threat'))
        elsewhere = self.env['res.partner'].create({'name': 'Sunbury Drug', 'city': 'Sunbury',
                                                    'is_pharmacy': True})
        wizard.referral_city = 'milt'
        domain = wizard._onchange_referral_city()['domain']['referral_pharmacy_ids']
        found = self.env['res.partner'].search(domain)
        self.assertIn(self.pharmacy, found)
        self.assertNotIn(elsewhere, found)
        self.assertEqual({p.city[:4].lower() for p in found}, {'milt'})
        wizard.referral_city = False
        domain = wizard._onchange_referral_city()['domain']['referral_pharmacy_ids']
        self.assertIn(elsewhere, self.env['res.partner'].search(domain))
        # a patient of another company: its own staff channel, none of company A's staff
        company_b = self.env['res.company'].create({'name': 'Second Pharmacy'})
        tech_b = self._user('tech_b', self.group_technician)
        tech_b.write({'company_ids': [(4, company_b.id)], 'company_id': company_b.id})
        patient_b = self.env['res.partner'].create({
            'name': 'Pat B', 'is_patient': True, 'birthdate_date': '1970-01-01', 'nkda': True,
            'company_id': company_b.id})
        incident = self.env['pharmacy.incident'].sudo(tech_b).create({
            'patient_id': patient_b.id, 'incident_type': 'threat',
            'description': 'Threatened the technician.'})
        with self.assertRaises(AccessError):   # company A's staff log nothing on B's patients
            self._incident(-1, 'threat', patient=patient_b)
        dismissal = self.env['pharmacy.dismissal'].create({
            'patient_id': patient_b.id, 'incident_ids': [(6, 0, incident.ids)],
            'explanation': 'You threatened a technician.', 'attestation': True,
            'referral_pharmacy_ids': [(6, 0, self.pharmacy.ids)],
            'effective_date': self._day(30)})
        dismissal.action_approve()
        channel = dismissal._staff_channel()
        self.assertEqual(channel.name, 'Pharmacy staff (Second Pharmacy)')
        self.assertIn(tech_b.partner_id, channel.channel_partner_ids)
        self.assertNotIn(self.absent_pharmacist.partner_id, channel.channel_partner_ids)
        main = self.env.ref('pharmacy_crm_dismissal.pharmacy_staff_channel')
        self.assertFalse(main.message_ids.filtered(lambda m: 'Pat B' in (m.body or '')))
