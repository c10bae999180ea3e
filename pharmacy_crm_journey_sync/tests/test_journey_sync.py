# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""With refill sync, a journey's patients enter on their enrolment, and the branches read it."""
from odoo.addons.pharmacy_crm_marketing.tests.common import MarketingCase


class TestJourneySync(MarketingCase):

    def test_entry_on_enrolment_and_branch_on_it(self):
        lisinopril = self.env['pharmacy.medication'].create({
            'name': 'Lisinopril', 'strength': '10 mg', 'is_maintenance': True})
        patient = self.patients['granted']
        for medication in (self.atorvastatin, lisinopril):
            self._prescription(patient_id=patient.id, medication_id=medication.id,
                               date_written=self.env['res.company'].pharmacy_today())
        journey = self.env['pharmacy.journey'].create({
            'name': 'Synced', 'entry_type': 'refill_sync_enrolment', 'entry_days': 7,
            'step_ids': [(0, 0, {'sequence': 1, 'name': 'Candidate?', 'step_type': 'branch',
                                 'condition': 'refill_sync_candidate'}),
                         (0, 0, {'sequence': 2, 'name': 'Offer', 'step_type': 'activity',
                                 'activity_summary': 'Offer refill sync'})]})
        self.assertTrue(journey.is_clinical)
        journey.action_start()
        Participant = self.env['pharmacy.journey.participant']
        mine = [('journey_id', '=', journey.id), ('patient_id', '=', patient.id)]
        Journey = self.env['pharmacy.journey']
        journey._pharmacy_run()
        self.assertFalse(Participant.search(mine))   # not enrolled: does not enter
        self.env['pharmacy.sync.enrollment'].create({
            'patient_id': patient.id, 'sync_rule': 'day', 'sync_day': 5,
            'consent_source': 'in_store'})
        journey._pharmacy_run()
        participant = Participant.search(mine)
        self.assertEqual(Journey._pharmacy_condition_met('in_refill_sync', participant.ids),
                         set(participant.ids))
        # enrolled: no longer a sync candidate, whatever the maintenance medications
        self.assertEqual((participant.state, participant.history_ids.mapped('outcome')),
                         ('done', ['branch_no']))
