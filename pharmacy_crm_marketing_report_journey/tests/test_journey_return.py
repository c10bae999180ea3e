# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Journey campaign return on a hand-built history: 2 of 4 participants sent a journey mail
came back within the window."""
from odoo.addons.pharmacy_crm.tests.common import PATIENT_PROFILE, PharmacyCase, frozen_clock


class TestJourneyReturn(PharmacyCase):

    def test_participants_who_came_back(self):
        company = self.env['res.company'].create({
            'name': 'Journey Return Pharmacy', 'parent_id': self.env.ref('base.main_company').id})
        template = self.env['mail.template'].create({
            'name': 'Jrn return', 'model_id': self.env.ref('base.model_res_partner').id,
            'subject': 'Hi', 'body_html': '<p>Hi</p>'})
        with frozen_clock(self.env, '2026-06-15 16:00:00'):
            journey = self.env['pharmacy.journey'].create({
                'name': 'Jrn return', 'entry_type': 'lapsed', 'entry_days': 90,
                'company_id': company.id,
                'step_ids': [(0, 0, {'name': 'Come back', 'step_type': 'mail',
                                     'template_id': template.id})]})
            step = journey.step_ids
            # sent on May 1: a fill on May 20 and a pickup on May 31 count; a fill on June 1
            # (day 31) and none do not
            for number, fills in enumerate([[('2026-05-20', 'filled')],
                                            [('2026-04-01', 'picked_up', '2026-05-31')],
                                            [('2026-06-01', 'filled')], []]):
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
                               (journey_id, patient_id, company_id, state, entry_date)
                        VALUES (%(journey)s, %(patient)s, %(company)s, 'active', '2026-05-01')
                     RETURNING id)
                    INSERT INTO pharmacy_journey_history
                           (participant_id, step_id, journey_id, patient_id, company_id, date,
                            outcome)
                    SELECT pa.id, %(step)s, %(journey)s, %(patient)s, %(company)s,
                           '2026-05-01', 'sent' FROM pa
                """, {'journey': journey.id, 'patient': patient.id, 'company': company.id,
                      'step': step.id})
            rows = self.env['pharmacy.journey.return.report'].sudo(self.manager).search_read(
                [('journey_id', '=', journey.id)])
        self.assertEqual(
            [(row['step_id'][0], row['recipient_count'], row['recipient_return_count'],
              row['recipient_return_rate']) for row in rows], [(step.id, 4, 2, 50.0)])
