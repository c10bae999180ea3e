# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Journey campaign return on a hand-built history: of 6 participants sent a journey mail on
May 1, 3 came back within the window (from May 2 to May 31); of 4 held out at the same step,
1: 50 % - 25 % = +25 points. A fill on the day of the send is not a return."""
from odoo.addons.pharmacy_crm.tests.common import PATIENT_PROFILE, PharmacyCase, frozen_clock


class TestJourneyReturn(PharmacyCase):

    def test_participants_who_came_back_against_the_held_out(self):
        company = self.env['res.company'].create({
            'name': 'Journey Return Pharmacy', 'parent_id': self.env.ref('base.main_company').id})
        template = self.env['mail.template'].create({
            'name': 'Jrn return', 'model_id': self.env.ref('base.model_res_partner').id,
            'subject': 'Hi', 'body_html': '<p>Hi</p>'})
        with frozen_clock(self.env, '2026-06-15 16:00:00'):
            journey = self.env['pharmacy.journey'].create({
                'name': 'Jrn return', 'entry_type': 'lapsed', 'entry_days': 90,
                'company_id': company.id, 'holdout_percent': 40,
                'step_ids': [(0, 0, {'name': 'Come back', 'step_type': 'mail',
                                     'template_id': template.id})]})
            step = journey.step_ids
            participants = [
                # sent on May 1
                ('sent', [('2026-05-20', 'filled')]),                    # came back
                ('sent', [('2026-04-01', 'picked_up', '2026-05-31')]),   # day 30: came back
                ('sent', [('2026-06-01', 'filled')]),                    # day 31: too late
                ('sent', []),
                ('sent', [('2026-05-01', 'filled')]),                    # send day: no
                ('sent', [('2026-05-02', 'filled')]),                    # the day after: yes
                # held out at the same step, dated May 1
                ('held_out', [('2026-05-10', 'filled')]),                # came back
                ('held_out', [('2026-05-01', 'picked_up', '2026-05-01')]),   # send day: no
                ('held_out', [('2026-05-15', 'returned')]),              # returned: no
                ('held_out', []),
            ]
            for number, (outcome, fills) in enumerate(participants):
                patient = self.env['res.partner'].create(dict(
                    PATIENT_PROFILE, name='Jrn Return %d' % number, is_patient=True,
                    company_id=company.id))
                if fills:
                    rx = self._prescription(patient_id=patient.id, date_written='2026-01-05')
                    for fill in fills:
                        self._fill(rx, fill[0], state=fill[1],
                                   pickup_date=fill[2] if len(fill) > 2 else False)
                self.env.cr.execute("""
                    WITH pa AS (
                        INSERT INTO pharmacy_journey_participant
                               (journey_id, patient_id, company_id, state, entry_date, held_out)
                        VALUES (%(journey)s, %(patient)s, %(company)s, 'active', '2026-05-01',
                                %(held)s)
                     RETURNING id)
                    INSERT INTO pharmacy_journey_history
                           (participant_id, step_id, journey_id, patient_id, company_id, date,
                            outcome)
                    SELECT pa.id, %(step)s, %(journey)s, %(patient)s, %(company)s,
                           '2026-05-01', %(outcome)s FROM pa
                """, {'journey': journey.id, 'patient': patient.id, 'company': company.id,
                      'step': step.id, 'outcome': outcome, 'held': outcome == 'held_out'})
            rows = self.env['pharmacy.journey.return.report'].sudo(self.manager).search_read(
                [('journey_id', '=', journey.id)])
        self.assertEqual(
            [(row['step_id'][0], row['recipient_count'], row['recipient_return_count'],
              row['recipient_return_rate'], row['holdout_count'], row['holdout_return_count'],
              row['holdout_return_rate'], row['return_points']) for row in rows],
            [(step.id, 6, 3, 50.0, 4, 1, 25.0, 25.0)])
