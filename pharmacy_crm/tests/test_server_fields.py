# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Server fields: refused in create and write whatever the context a client sends, written by
the server through one ORM write (``_pharmacy_server_write``): access rights and rules, tracking,
the access log and recomputation apply."""
from odoo.exceptions import AccessError, UserError

from ..models.pharmacy_server_fields_mixin import SERVER_WRITE, ServerWrite
from .common import PATIENT_PROFILE, PharmacyCase

# contexts a JSON-RPC or XML-RPC client could send (and a marker of another model)
CONTEXTS = [
    {},
    {SERVER_WRITE: True},
    {SERVER_WRITE: 'pharmacy.patient.medication'},
    {SERVER_WRITE: ['held_by_archive']},
    {SERVER_WRITE: {'model': 'pharmacy.patient.medication', 'names': ['held_by_archive']}},
    {'pharmacy_dismissal_server': True},
]


class TestServerFields(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rx = cls._prescription(date_written='2024-01-02')
        cls._fill(cls.rx, '2024-01-05')

    def _log(self, record):
        entries = self.env['pharmacy.access.log'].search(
            [('res_model', '=', record._name), ('res_id', '=', record.id)], order='id')
        return [(e.event, e.user_id, e.field_names) for e in entries]

    def _refusal(self, call):
        with self.assertRaises(UserError) as refused:
            call()
        return refused.exception.name

    def test_a_client_never_writes_a_server_field(self):
        """Whatever the context, for the prescription's server field and a contact's (one
        check for both)."""
        contexts = CONTEXTS + [{SERVER_WRITE: ServerWrite('res.partner', ['held_by_archive'])}]
        tail = (' cannot be set: the pharmacy computes them. Change the values they come from '
                'instead (e.g. the patient or the prescription).')
        for context in contexts:
            rx = self.rx.sudo(self.technician).with_context(**context)
            patient = self.patient.sudo(self.technician).with_context(**context)
            self.assertEqual([
                self._refusal(lambda: rx.write({'held_by_archive': True})),
                self._refusal(lambda: rx.create(dict(rx.copy_data()[0], rx_number='RX-S',
                                                     held_by_archive=True))),
                self._refusal(lambda: patient.write({'next_due_date': '2030-01-01'})),
            ], ['Held By Archive of Prescription' + tail] * 2 + [
                'Next Due Date of Contact' + tail], context)
        self.assertFalse(self.rx.held_by_archive)

    def test_the_server_writes_through_the_orm(self):
        """Tracked, logged, recomputed, as the environment's user."""
        self.assertEqual(self.rx.next_due_date, '2024-02-04')
        as_tech = self.rx.sudo(self.technician).with_context(tracking_disable=False)
        self.assertIs(as_tech._pharmacy_server_write(
            {'state': 'on_hold', 'held_by_archive': True}), True)
        self.assertEqual((self.rx.state, self.rx.held_by_archive, self.rx.next_due_date),
                         ('on_hold', True, False))   # recomputed: on hold, nothing is due
        tracking = self.rx.message_ids[:1].tracking_value_ids
        self.assertEqual([(t.field, t.old_value_char, t.new_value_char) for t in tracking],
                         [('state', 'Active', 'On hold')])
        self.assertEqual(self.rx.message_ids[:1].author_id, self.technician.partner_id)
        self.assertEqual(self._log(self.rx)[-1:], [
            ('write', self.technician, 'held_by_archive,state')])

    def test_the_server_writes_with_the_users_rights(self):
        """The user's access rights and record rules apply: an office user writes nothing,
        a technician writes no prescription of another company."""
        with self.assertRaises(AccessError):
            self.rx.sudo(self.internal_user)._pharmacy_server_write({'held_by_archive': True})
        other = self.env['res.company'].create({'name': 'Other Pharmacy'})
        patient = self.env['res.partner'].create(dict(
            PATIENT_PROFILE, name='Other Patient', is_patient=True, company_id=other.id))
        theirs = self._prescription(patient_id=patient.id)
        with self.assertRaises(AccessError):
            theirs.sudo(self.technician)._pharmacy_server_write({'held_by_archive': True})
        self.assertFalse(self.rx.held_by_archive or theirs.held_by_archive)

    def test_archiving_a_patient_holds_through_the_server_write(self):
        held = self._prescription()
        held.action_hold()
        self.patient.sudo(self.technician).write({'active': False})
        self.assertEqual([(rx.state, rx.held_by_archive) for rx in (self.rx, held)],
                         [('on_hold', True), ('on_hold', False)])
        self.patient.sudo(self.technician).write({'active': True})
        self.assertEqual([(rx.state, rx.held_by_archive) for rx in (self.rx, held)],
                         [('active', False), ('on_hold', False)])
        self.assertEqual(self.rx.next_due_date, '2024-02-04')
