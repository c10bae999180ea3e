"""Two runs of the reminders' scheduled action overlapping in two transactions (issue #22), e.g.
the daily job and a pharmacist's *Send Due Reminders Now*, on two real database connections:
the second run's insert waits for the first run's uncommitted reminder of the same patient and
day (the unique index on patient and date). Once the first commits, the second (Odoo's
REPEATABLE READ transactions) fails to serialize and is rolled back whole, no email written;
run again, as Odoo's RPC layer retries it (``odoo.service.model``, serialization failures),
it sees the reminder and makes none: the patient gets one reminder and one email."""
import threading
import time
import uuid
from datetime import timedelta

from psycopg2 import errorcodes

import odoo
from odoo import SUPERUSER_ID

from conftest import pharmacy_today

LOCK_DEADLINE = 60   # s for the second run to be seen waiting (a loaded CI machine)


def _env(cr):
    return odoo.api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True})


def test_two_overlapping_runs_remind_a_patient_once(db_name):
    registry = odoo.registry(db_name)
    token = uuid.uuid4().hex[:8]
    filled = (pharmacy_today() - timedelta(days=28)).isoformat()
    with registry.cursor() as cr:
        env = _env(cr)
        patient = env['res.partner'].create({
            'name': 'Overlap Reminder %s' % token, 'is_patient': True,
            'email': 'overlap.reminder.%s@example.com' % token,
            'birthdate_date': '1970-01-01', 'nkda': True})
        rx = env['pharmacy.patient.medication'].create({
            'patient_id': patient.id, 'medication_id': env['pharmacy.medication'].search(
                [], limit=1).id, 'rx_number': 'OVERLAP-%s' % token, 'days_supply': 30,
            'quantity': 30, 'date_written': filled})
        env['pharmacy.fill'].create({'prescription_id': rx.id, 'fill_date': filled,
                                     'quantity': 30, 'days_supply': 30})
        patient_id = patient.id
    outcome = {}
    try:
        with registry.cursor() as cr_b:
            # B reminds the patient, uncommitted
            run_b = _env(cr_b)['pharmacy.reminder']._cron_send_reminders(
                patient_ids=[patient_id])
            assert len(run_b) == 1 and run_b.mail_id
            cr_b.execute('SELECT pg_backend_pid()')
            pid_b = cr_b.fetchone()[0]

            def run_c():
                with odoo.api.Environment.manage():
                    for attempt in ('first', 'retry'):
                        try:
                            with registry.cursor() as cr_c:
                                outcome[attempt] = _env(cr_c)[
                                    'pharmacy.reminder']._cron_send_reminders(
                                        patient_ids=[patient_id]).ids
                            return
                        except Exception as err:  # reported by the assertion below
                            outcome[attempt] = getattr(err, 'pgcode', None) or repr(err)
            thread = threading.Thread(target=run_c)
            thread.start()
            # C runs once its insert waits for B's reminder (same patient, same day)
            with registry.cursor() as watcher:
                deadline = time.time() + LOCK_DEADLINE
                while True:
                    watcher.execute('SELECT count(*) FROM pg_stat_activity '
                                    'WHERE %s = ANY(pg_blocking_pids(pid))', [pid_b])
                    if watcher.fetchone()[0] or not thread.is_alive() or \
                            time.time() > deadline:
                        break
                    watcher.rollback()
                    time.sleep(0.05)
            assert thread.is_alive(), 'the second run did not wait for the first: %s' % outcome
            cr_b.commit()
        thread.join(LOCK_DEADLINE)
        assert outcome == {'first': errorcodes.SERIALIZATION_FAILURE, 'retry': []}
        with registry.cursor() as cr:
            cr.execute('SELECT count(*), count(mail_id) FROM pharmacy_reminder '
                       'WHERE patient_id = %s', [patient_id])
            assert cr.fetchone() == (1, 1)
            cr.execute('SELECT count(*) FROM mail_mail_res_partner_rel '
                       'WHERE res_partner_id = %s', [patient_id])
            assert cr.fetchone()[0] == 1
    finally:
        with registry.cursor() as cr:
            # the mail to a made-up address is not handed to a mail server; patient data is
            # archived, never deleted
            cr.execute("UPDATE mail_mail SET state = 'cancel' WHERE id IN (SELECT mail_mail_id "
                       "FROM mail_mail_res_partner_rel WHERE res_partner_id = %s)",
                       [patient_id])
            _env(cr)['res.partner'].browse(patient_id).active = False
