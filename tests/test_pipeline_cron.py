"""Two runs of the pipeline's proposals at once (#21): two transactions propose the same
win-back; the second waits on the partial unique index until the first commits, then inserts
nothing for that patient (ON CONFLICT DO NOTHING; in Odoo's repeatable-read transaction
PostgreSQL refuses the conflict with a row it did not see, and the rule is skipped): one open
lead, no error. Real cursors on the
served test database, committed data."""
import threading
import time
from datetime import timedelta

import odoo

from conftest import pharmacy_today


def test_overlapping_runs_propose_one_lead(db_name, admin_rpc):
    today = pharmacy_today()
    name = 'Overlap Win Back %d' % time.time()
    patient = admin_rpc('res.partner', 'create', {
        'name': name, 'is_patient': True, 'birthdate_date': '1961-05-06', 'nkda': True})
    filled = (today - timedelta(days=120)).isoformat()
    medication = admin_rpc('pharmacy.medication', 'create', {'name': 'Overlapol %s' % name})
    admin_rpc('pharmacy.patient.medication', 'create', {
        'patient_id': patient, 'medication_id': medication, 'rx_number': 'OV-%d' % patient,
        'days_supply': 30, 'quantity': 30, 'refills_authorized': 1, 'date_written': filled,
        'fill_ids': [(0, 0, {'fill_date': filled, 'quantity': 30, 'days_supply': 30})]})
    registry = odoo.registry(db_name)
    created = {}

    def propose(key, cr):
        try:
            with odoo.api.Environment.manage():
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                created[key] = env['crm.lead']._pharmacy_propose_win_back()
        except Exception as error:  # pylint: disable=broad-except
            created[key] = error

    def mine(ids, cr):
        cr.execute('SELECT id FROM crm_lead WHERE id = ANY(%s) AND partner_id = %s',
                   [ids or [0], patient])
        return [row[0] for row in cr.fetchall()]

    with registry.cursor() as first, registry.cursor() as second:
        propose('first', first)                  # inserted, not committed yet
        assert len(mine(created['first'], first)) == 1
        waiting = threading.Thread(target=propose, args=('second', second))
        waiting.start()
        waiting.join(timeout=2)
        assert waiting.is_alive(), 'the second run did not wait for the first'
        first.commit()
        waiting.join(timeout=60)
        assert not waiting.is_alive()
        assert isinstance(created['second'], list), created['second']
        assert mine(created['second'], second) == []
        second.commit()
    leads = admin_rpc('crm.lead', 'search', [('partner_id', '=', patient),
                                             ('pharmacy_work_type', '=', 'win_back')])
    assert len(leads) == 1
