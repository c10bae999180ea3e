# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Retention, lifecycle and campaign return on a hand-built history, in a pharmacy of their
own (the demo's patients stay out of the counts); the hold-out group of a mailing never
receives it, whoever sends and however."""
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.pharmacy_crm.tests.common import frozen_clock
from odoo.addons.pharmacy_crm_marketing.tests.common import MarketingCase

from ..models.mass_mailing import MAILING_STATISTICS, MASS_MAILING

TODAY = '2026-06-15 16:00:00'   # noon in New York, 16:00 in UTC


class TestReports(MarketingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env['res.company'].create({
            'name': 'Report Test Pharmacy', 'parent_id': cls.env.ref('base.main_company').id})
        cls.company.partner_id.tz = 'America/New_York'
        cls.manager.company_ids |= cls.company
        cls.marketer.company_ids |= cls.company

    @classmethod
    def _patient(cls, name, fills=(), **values):
        patient = cls.env['res.partner'].create(dict({
            'name': name, 'is_patient': True, 'company_id': cls.company.id,
            'email': '%s@example.com' % name.lower().replace(' ', '.'),
            'birthdate_date': '1960-01-01', 'allergies': 'None known'}, **values))
        if fills:
            rx = cls._prescription(patient_id=patient.id, date_written='2025-12-01',
                                   refills_authorized=11)
            for fill_date, state in fills:
                cls._fill(rx, fill_date, state=state,
                          pickup_date=fill_date if state == 'picked_up' else False)
        return patient

    def _rows(self, model, **domain):
        return self.env[model].sudo(self.marketer).search_read(
            [('company_id', '=', self.company.id)] + [(k, '=', v) for k, v in domain.items()])

    def test_retention_and_lifecycle_on_a_hand_built_history(self):
        with frozen_clock(self.env, TODAY):
            # A: monthly until March, then nothing: lapses in June (Mar 10 + 90 days)
            a = self._patient('Ret A', [('2026-01-10', 'picked_up'), ('2026-02-10', 'picked_up'),
                                        ('2026-03-10', 'picked_up')])
            # B: once in February, lapses in May, comes back in June
            b = self._patient('Ret B', [('2026-02-20', 'picked_up'), ('2026-06-01', 'filled')])
            # C: a prospect who never filled; D: first fill in June; E: transferred in April;
            # F: only a fill returned to stock (it never counts): a prospect
            c = self._patient('Ret C')
            d = self._patient('Ret D', [('2026-06-05', 'filled')])
            e = self._patient('Ret E', [('2026-01-15', 'picked_up'), ('2026-03-15', 'picked_up')])
            f = self._patient('Ret F', [('2026-05-15', 'returned')])
            e._pharmacy_server_write({'patient_state': 'transferred'})
            everyone = a | b | c | d | e | f
            self.env.cr.execute("UPDATE res_partner SET create_date = '2026-01-01 12:00' "
                                "WHERE id = ANY(%s)", [everyone.ids])
            # no tracked change here (tests disable tracking): the status dates from the
            # patient's last write
            self.env.cr.execute("UPDATE res_partner SET write_date = '2026-04-03 12:00' "
                                "WHERE id = %s", [e.id])
            self.env['pharmacy.retention.report'].invalidate_cache()
            retention = {row['month']: row for row in self._rows('pharmacy.retention.report')}
            lifecycle = {(row['month'], row['state']): row['patient_count']
                         for row in self._rows('pharmacy.lifecycle.report')}
            moves = {(row['month'], row['state_from'], row['state_to']): row['patient_count']
                     for row in self._rows('pharmacy.lifecycle.transition.report')}
            # the churn of the months together: 3 lapsed (May 1, June 2) out of 13 active
            # the month before (Jan 0, Feb 2, Mar 3, Apr 3, May 3, Jun 2), not the average of
            # the monthly rates (26.7)
            total, = self.env['pharmacy.retention.report'].sudo(self.marketer).read_group(
                [('company_id', '=', self.company.id)], ['churn_rate'], [])
            self.assertEqual(total['churn_rate'], 23.1)

        def figures(month):
            row = retention[month]
            return (row['active_count'], row['new_count'], row['returned_count'],
                    row['lapsed_count'], row['previous_active_count'], row['churn_rate'])
        # active, new, returned, lapsed, active the month before, churn
        self.assertEqual(figures('2026-01-01'), (2, 2, 0, 0, 0, 0.0))      # A, E new
        self.assertEqual(figures('2026-02-01'), (3, 1, 0, 0, 2, 0.0))      # + B
        self.assertEqual(figures('2026-04-01'), (3, 0, 0, 0, 3, 0.0))      # E: Mar 15 fill
        # May 31 - 89 days = Mar 3: B (Feb 20) lapses; A (Mar 10) and E (Mar 15) stay (the
        # retention counts fills only, transferred or not)
        self.assertEqual(figures('2026-05-01'), (2, 0, 0, 1, 3, 33.3))
        # June 15 - 89 days = Mar 18: A and E lapse, B returns, D is new
        self.assertEqual(figures('2026-06-01'), (2, 1, 1, 2, 2, 100.0))
        self.assertNotIn('2026-07-01', retention)

        june = {state: count for (month, state), count in lifecycle.items()
                if month == '2026-06-01'}
        self.assertEqual(june, {'lapsed': 1, 'active': 1, 'prospect': 2, 'new': 1,
                                'transferred': 1})
        self.assertEqual(lifecycle[('2026-01-01', 'new')], 2)
        self.assertEqual(lifecycle[('2026-05-01', 'lapsed')], 1)   # B
        self.assertEqual(moves[('2026-04-01', 'active', 'transferred')], 1)   # E
        self.assertEqual(moves[('2026-06-01', 'active', 'lapsed')], 1)        # A
        self.assertEqual(moves[('2026-06-01', 'lapsed', 'active')], 1)        # B
        self.assertEqual(moves[('2026-06-01', 'prospect', 'new')], 1)         # D
        self.assertEqual(moves[('2026-06-01', 'prospect', 'prospect')], 2)    # C, F
        self.assertEqual(moves[('2026-02-01', 'new', 'active')], 2)           # A, E
        self.assertEqual(sum(count for (month, _from, _to), count in moves.items()
                             if month == '2026-06-01'), 6)

    def test_campaign_return_against_the_hold_out(self):
        """10 recipients of whom 4 came back within 30 days vs 10 held out of whom 1: +30."""
        with frozen_clock(self.env, TODAY):
            mailing = self.env[MASS_MAILING].create({
                'name': 'Return test', 'body_html': '<p>Hi</p>', 'reply_to_mode': 'email',
                'mailing_model_id': self.env.ref('base.model_res_partner').id})
            sent_at = '2026-03-10 15:00:00'   # 11:00 in New York: sent on March 10
            sent_fills = [
                [('2026-03-11', 'picked_up')],            # the day after the send: counts
                [('2026-03-20', 'filled')],
                [('2026-02-01', 'filled'), ('2026-03-25', 'ready')],
                [('2026-03-01', 'picked_up'), ('2026-04-09', 'filled')],   # day 30: counts
                [('2026-04-10', 'filled')],               # day 31: too late
                [('2026-03-15', 'returned')],             # returned to stock: never counts
                [('2026-03-10', 'picked_up')],            # the day of the send: no
                [], [], []]
            held_fills = [[('2026-03-12', 'filled')], [('2026-03-12', 'returned')]] + [[]] * 8
            for number, fills in enumerate(sent_fills):
                patient = self._patient('Sent %d' % number, fills)
                self.env[MAILING_STATISTICS].create({
                    'model': 'res.partner', 'res_id': patient.id,
                    'mass_mailing_id': mailing.id, 'sent': sent_at})
            for number, fills in enumerate(held_fills):
                patient = self._patient('Held %d' % number, fills)
                self.env.cr.execute(
                    'INSERT INTO pharmacy_mailing_holdout (mailing_id, res_id, patient_id, date) '
                    'VALUES (%s, %s, %s, %s)', [mailing.id, patient.id, patient.id, sent_at])
            row, = self._rows('pharmacy.campaign.return.report', mailing_id=mailing.id)
            self.assertEqual(
                (row['recipient_count'], row['recipient_return_count'],
                 row['recipient_return_rate'], row['holdout_count'],
                 row['holdout_return_count'], row['holdout_return_rate'],
                 row['return_points'], row['sent_date']),
                (10, 4, 40.0, 10, 1, 10.0, 30.0, '2026-03-10'))
            # a second mailing, without a hold-out: 3 of its 5 recipients came back
            other = self.env[MASS_MAILING].create({
                'name': 'Return test, no hold-out', 'body_html': '<p>Hi</p>',
                'reply_to_mode': 'email',
                'mailing_model_id': self.env.ref('base.model_res_partner').id})
            for number, fills in enumerate([[('2026-04-03', 'filled')]] * 3 + [[]] * 2):
                patient = self._patient('Other %d' % number, fills)
                self.env[MAILING_STATISTICS].create({
                    'model': 'res.partner', 'res_id': patient.id,
                    'mass_mailing_id': other.id, 'sent': '2026-04-01 15:00:00'})
            Report = self.env['pharmacy.campaign.return.report'].sudo(self.marketer)
            # not measured without a hold-out: empty (NULL), not 0
            self.env.cr.execute(
                'SELECT recipient_return_rate, holdout_return_rate, return_points '
                'FROM pharmacy_campaign_return_report WHERE mailing_id = %s', [other.id])
            self.assertEqual(self.env.cr.fetchall(), [(60.0, None, None)])
            per_mailing = {group['mailing_id'][0]: group for group in Report.read_group(
                [('company_id', '=', self.company.id)],
                ['mailing_id', 'recipient_return_rate', 'holdout_return_rate',
                 'return_points'], ['mailing_id'])}
            self.assertEqual([per_mailing[other.id][name] for name in (
                'recipient_return_rate', 'holdout_return_rate', 'return_points')],
                [60.0, None, None])
            # the total: 7 of 15 recipients came back (46.7 %, not the average 50.0), 1 of
            # the 10 held out (10.0 %): 36.7 points
            total, = Report.read_group(
                [('company_id', '=', self.company.id)],
                ['recipient_return_rate', 'holdout_return_rate', 'return_points'], [])
            self.assertEqual((total['recipient_return_rate'], total['holdout_return_rate'],
                              total['return_points']), (46.7, 10.0, 36.7))
            # a 31-day window takes the April 10 fill in
            self.env['pharmacy.setting'].set('campaign_return_days', 31)
            self.env['pharmacy.campaign.return.report'].invalidate_cache()
            row, = self._rows('pharmacy.campaign.return.report', mailing_id=mailing.id)
            self.assertEqual((row['recipient_return_count'], row['return_points']), (5, 40.0))

    def test_the_held_out_never_receive_the_mailing(self):
        recipients = self.env['res.partner']
        for number in range(10):
            patient = self.env['res.partner'].create({
                'name': 'Hold %02d' % number, 'is_patient': True,
                'email': 'hold.%02d@example.com' % number, 'birthdate_date': '1970-03-04',
                'allergies': 'None known'})
            self._consent(patient, 'granted')
            recipients |= patient
        mailing = self._mailing(mailing_domain="[('email', '=like', 'hold.%@example.com')]",
                                pharmacy_holdout_percent=50)
        with self.captured_mail() as sent:
            self.assertIs(mailing.sudo(self.marketer).send_mail(), True)
        held = self.env['pharmacy.mailing.holdout'].search([('mailing_id', '=', mailing.id)])
        self.assertEqual(len(held), 5)
        self.assertEqual(held.mapped('patient_id'), recipients.filtered(
            lambda p: p.id in held.mapped('res_id')))
        held_emails = set(held.mapped('patient_id.email'))
        self.assertEqual(len(sent), 5)
        self.assertFalse({address.split('<')[-1].rstrip('>') for address in sent}
                         & held_emails)
        mailing.invalidate_cache()
        self.assertEqual((mailing.pharmacy_holdout_count, mailing.pharmacy_holdout_drawn),
                         (5, True))
        # sending again, even to the held-out recipients by name, sends nothing: the draw is
        # kept and they stay out
        with self.captured_mail() as sent_again:
            with self.assertRaises(UserError):
                mailing.sudo(self.marketer).send_mail(res_ids=held.mapped('res_id'))
        self.assertEqual(sent_again, [])
        # the hold-out names patients: not for marketing users (they read the report's counts)
        with self.assertRaises(AccessError):
            self.env['pharmacy.mailing.holdout'].sudo(self.marketer).search([])
        self.assertEqual(self.env['pharmacy.mailing.holdout'].sudo(self.manager).search_count(
            [('mailing_id', '=', mailing.id)]), 5)

    def test_reports_are_read_only(self):
        """No Create, Import, Edit or Delete on a report's list."""
        for model in ('pharmacy.retention.report', 'pharmacy.lifecycle.report',
                      'pharmacy.lifecycle.transition.report', 'pharmacy.campaign.return.report'):
            arch = self.env[model].sudo(self.manager).fields_view_get(view_type='tree')['arch']
            for attribute in ('create', 'edit', 'delete', 'import'):
                self.assertIn('%s="false"' % attribute, arch, model)

    def test_percentage_range(self):
        with self.assertRaisesRegex(ValidationError, 'Hold-out'):
            self._mailing(pharmacy_holdout_percent=80)
