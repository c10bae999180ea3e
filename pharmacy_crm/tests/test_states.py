# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""State fields change through their actions only (#18): the declaration, the refusal of a
client's write, the transitions, a patient transferred out or deceased."""
from odoo.exceptions import AccessError, UserError

from ..models.pharmacy_server_fields_mixin import declared_states
from .common import PharmacyCase


class TestStates(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rx = cls._prescription(date_written='2024-01-02')
        cls.fill = cls._fill(cls.rx, '2024-01-05')

    def test_every_state_field_is_declared(self):
        """The core's state fields, each with its actions (an addon adds its own)."""
        expected = {
            'res.partner': ('patient_state', {'action_transfer_out', 'action_mark_deceased',
                                              'action_reactivate'}),
            'pharmacy.patient.medication': ('state', {'action_hold', 'action_resume',
                                                      'action_discontinue'}),
            'pharmacy.fill': ('state', {'action_ready', 'action_pick_up',
                                        'action_return_to_stock', 'action_undo_return'}),
        }
        for model, (name, actions) in expected.items():
            declared = declared_states(self.env[model])
            self.assertLessEqual(actions, set(declared[name]), model)
            for action in actions:
                self.assertTrue(callable(getattr(self.env[model], action)), action)

    def test_a_client_write_is_refused_naming_the_action(self):
        rx = self.rx.sudo(self.pharmacist)
        with self.assertRaisesRegex(UserError, 'State of a Prescription changes only through '
                                               'its actions: to make it On hold, use '
                                               '"Put on Hold" .*action_hold'):
            rx.write({'state': 'on_hold'})
        self.assertEqual(self.rx.state, 'active')
        with self.assertRaisesRegex(UserError, 'action_pick_up'):
            self.fill.sudo(self.technician).write({'state': 'picked_up',
                                                   'pickup_date': '2024-01-06'})
        self.assertEqual(self.fill.state, 'filled')
        for state in ('transferred', 'dismissed', 'deceased'):
            with self.assertRaisesRegex(UserError, 'Patient Status of a .* changes only'):
                self.patient.sudo(self.pharmacist).write({'patient_state': state})
        self.assertEqual(self.patient.patient_state, 'active')
        # the state a record already has is no change; a new record starts in its default
        self.assertTrue(self.rx.sudo(self.technician).write({'state': 'active'}))
        Rx = self.env['pharmacy.patient.medication'].sudo(self.pharmacist)
        with self.assertRaisesRegex(UserError, 'changes only through its actions'):
            Rx.create({'patient_id': self.patient.id, 'medication_id': self.atorvastatin.id,
                       'rx_number': 'RX-HELD', 'date_written': '2024-01-02',
                       'state': 'on_hold'})
        with self.assertRaisesRegex(UserError, 'changes only through its actions'):
            self.env['pharmacy.patient.medication'].with_context(
                default_state='discontinued').create({
                    'patient_id': self.patient.id, 'medication_id': self.atorvastatin.id,
                    'rx_number': 'RX-DEFAULT', 'date_written': '2024-01-02'})

    def test_an_action_checks_the_state_it_starts_from(self):
        fill = self._fill(self._prescription(), '2024-01-05')
        self.assertIs(fill.sudo(self.technician).action_ready(), True)
        self.assertIs(fill.sudo(self.technician).action_pick_up(), True)
        self.assertEqual(fill.state, 'picked_up')
        with self.assertRaisesRegex(UserError, 'does not apply to .* from Filled, Ready for pickup '
                                               'only'):
            fill.sudo(self.technician).action_return_to_stock()
        self.assertEqual(fill.state, 'picked_up')

    def test_transfer_out_holds_the_prescriptions(self):
        patient = self.patient.copy({'name': 'Tess Transfer'})
        active = self._prescription(patient_id=patient.id)
        held = self._prescription(patient_id=patient.id)
        held.action_hold()
        with self.assertRaises(AccessError):
            patient.sudo(self.technician).action_transfer_out()
        action = patient.sudo(self.pharmacist).action_transfer_out()
        self.assertEqual(action['res_model'], 'pharmacy.patient.leave')
        other = self.env['res.partner'].create({'name': 'Other Pharmacy', 'is_company': True})
        wizard = self.env['pharmacy.patient.leave'].sudo(self.pharmacist).with_context(
            **action['context']).create({'date': '2024-02-01', 'pharmacy_id': other.id})
        self.assertEqual(wizard.action_confirm()['type'], 'ir.actions.act_window_close')
        self.assertEqual(patient.patient_state, 'transferred')
        self.assertEqual((active.state, held.state), ('on_hold', 'on_hold'))
        body = patient.message_ids[0].body
        self.assertIn('Transferred out', body)
        self.assertIn('Other Pharmacy', body)
        self.assertIn(active.rx_number, body)
        # back by a manager only; the prescriptions stay held
        with self.assertRaises(AccessError):
            patient.sudo(self.pharmacist).action_reactivate()
        self.assertIs(patient.sudo(self.manager).action_reactivate(), True)
        self.assertEqual((patient.patient_state, active.state), ('active', 'on_hold'))

    def test_death_discontinues_the_prescriptions(self):
        patient = self.patient.copy({'name': 'Dora Deceased'})
        active = self._prescription(patient_id=patient.id)
        held = self._prescription(patient_id=patient.id)
        held.action_hold()
        wizard = self.env['pharmacy.patient.leave'].sudo(self.pharmacist).create({
            'patient_id': patient.id, 'reason': 'deceased', 'date': '2024-02-01'})
        wizard.action_confirm()
        self.assertEqual(patient.patient_state, 'deceased')
        for rx in active | held:
            self.assertEqual((rx.state, rx.discontinue_reason, rx.discontinue_date),
                             ('discontinued', 'deceased', '2024-02-01'))
        self.assertIn('Deceased on', patient.message_ids[0].body)
        # a transfer needs the receiving pharmacy
        with self.assertRaisesRegex(Exception, 'Receiving Pharmacy is required'):
            self.env['pharmacy.patient.leave'].create({
                'patient_id': self.patient.id, 'reason': 'transferred', 'date': '2024-02-01'})
