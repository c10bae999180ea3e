"""A technician without an email address works over RPC like an outside client: creates a
patient and a prescription, writes in the chatter; Odoo 11 refused all three ("Unable to send
email, please configure the sender's email address")."""
import time
import xmlrpc.client

from conftest import expected_sender


def test_technician_without_email_creates_a_patient_and_a_prescription(
        odoo_server, db_name, admin_rpc, technician_without_email, env):
    user = technician_without_email
    uid = xmlrpc.client.ServerProxy(odoo_server + '/xmlrpc/2/common').authenticate(
        db_name, user['login'], user['login'], {})
    assert uid == user['id']
    models = xmlrpc.client.ServerProxy(odoo_server + '/xmlrpc/2/object')

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db_name, uid, user['login'], model, method, list(args), kwargs)

    patient_id = call('res.partner', 'create', {
        'name': 'Walk-In RPC %d' % time.time(), 'is_patient': True,
        'birthdate_date': '1958-04-12', 'allergies': 'Sulfa drugs: rash'})
    rx_number = 'NOMAIL-%d' % time.time()
    rx_id = call('pharmacy.patient.medication', 'create', {
        'patient_id': patient_id, 'medication_id': env.ref('pharmacy_crm.demo_medication_08').id,
        'prescriber_id': env.ref('pharmacy_crm.demo_prescriber_0').id, 'rx_number': rx_number,
        'days_supply': 30, 'quantity': 30, 'refills_authorized': 2})
    note_id = call('res.partner', 'message_post', [patient_id],
                   body='Prefers a call after 5 pm', message_type='comment',
                   subtype='mail.mt_note')

    sender = expected_sender(admin_rpc, user)
    [rx] = admin_rpc('pharmacy.patient.medication', 'read', [rx_id],
                     ['patient_id', 'create_uid', 'rx_number'])
    assert (rx['patient_id'][0], rx['create_uid'][0], rx['rx_number']) == \
        (patient_id, uid, rx_number)
    messages = admin_rpc('mail.message', 'search_read', [
        '|', '&', ('model', '=', 'res.partner'), ('res_id', '=', patient_id),
        '&', ('model', '=', 'pharmacy.patient.medication'), ('res_id', '=', rx_id)],
        ['model', 'body', 'email_from', 'author_id'], order='id')
    # every message the user caused (creations, tracked values, the note) is sent as them
    assert {(m['email_from'], m['author_id'][0]) for m in messages} == \
        {(sender, user['partner_id'][0])}
    assert [(m['model'], m['body']) for m in messages if m['body']] == [
        ('res.partner', '<p>Contact created</p>'),
        ('pharmacy.patient.medication', '<p>Prescription created</p>'),
        ('res.partner', '<p>Prefers a call after 5 pm</p>')]
    assert messages[-1]['id'] == note_id
