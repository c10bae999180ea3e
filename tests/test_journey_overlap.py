"""Two runs of the journeys' scheduled action overlapping in two transactions (issue #23): the
participants one run holds are skipped by the other (``FOR UPDATE SKIP LOCKED``), and the
unique index on participant and step records each step once: nothing is performed twice."""
import uuid

import odoo
from odoo import SUPERUSER_ID


def _env(cr):
    return odoo.api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True})


def test_two_overlapping_runs_perform_each_step_once(db_name):
    registry = odoo.registry(db_name)
    token = uuid.uuid4().hex[:8]
    email = 'overlap.%s@example.com' % token
    with registry.cursor() as cr:
        env = _env(cr)
        patient = env['res.partner'].create({
            'name': 'Overlap %s' % token, 'is_patient': True, 'email': email,
            'birthdate_date': '1970-01-01', 'nkda': True})
        env['pharmacy.consent'].create({
            'patient_id': patient.id, 'channel': 'email', 'purpose': 'marketing',
            'state': 'granted', 'date': '2026-01-01', 'source': 'in_store'})
        segment = env['pharmacy.segment'].create({
            'name': 'Overlap %s' % token, 'partner_domain': repr([('email', '=', email)])})
        template = env.ref('pharmacy_crm_journey.mail_template_journey_welcome')
        journey = env['pharmacy.journey'].create({
            'name': 'Overlap %s' % token, 'entry_type': 'segment', 'segment_id': segment.id,
            'step_ids': [(0, 0, {'sequence': 1, 'name': 'Mail', 'step_type': 'mail',
                                 'template_id': template.id}),
                         (0, 0, {'sequence': 2, 'name': 'Wait', 'step_type': 'wait',
                                 'wait_days': 3}),
                         (0, 0, {'sequence': 3, 'name': 'Again', 'step_type': 'mail',
                                 'template_id': template.id})]})
        journey.action_start()
        assert journey._pharmacy_enter() == 1
        journey_id = journey.id
    try:
        with registry.cursor() as cr_b, registry.cursor() as cr_c:
            run_b = _env(cr_b)['pharmacy.journey'].browse(journey_id)
            run_c = _env(cr_c)['pharmacy.journey'].browse(journey_id)
            assert run_b._pharmacy_advance_batch(100) is True   # B sends the mail, uncommitted
            assert run_c._pharmacy_advance_batch(100) is False  # C: the participant is B's
            cr_c.commit()
        # B committed; two more full runs perform the wait once, then nothing
        for _run in range(2):
            with registry.cursor() as cr:
                _env(cr)['pharmacy.journey'].browse(journey_id)._pharmacy_run()
        with registry.cursor() as cr:
            cr.execute("""
                SELECT s.name, h.outcome FROM pharmacy_journey_history h
                  JOIN pharmacy_journey_step s ON s.id = h.step_id
                 WHERE h.journey_id = %s ORDER BY h.id""", [journey_id])
            assert cr.fetchall() == [('Mail', 'sent'), ('Wait', 'waited')]
            cr.execute("SELECT COUNT(*) FROM mail_mail m JOIN mail_mail_res_partner_rel r "
                       "ON r.mail_mail_id = m.id WHERE r.res_partner_id = %s", [patient.id])
            assert cr.fetchone()[0] == 1
    finally:
        with registry.cursor() as cr:
            env = _env(cr)
            env['pharmacy.journey'].browse(journey_id).action_stop()
            env['pharmacy.journey'].browse(journey_id).active = False
            # the mail to a made-up address is not handed to a mail server
            cr.execute("UPDATE mail_mail SET state = 'cancel' WHERE id IN (SELECT mail_mail_id "
                       "FROM mail_mail_res_partner_rel WHERE res_partner_id = %s)",
                       [patient.id])
