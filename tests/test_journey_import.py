"""The goal exit of a journey reached through the nightly dispensing import (#23): the import
writes fills with SQL and calls ``pharmacy.fill._pharmacy_fills_changed`` once with every fill
it wrote; a participant of a running journey whose goal is a fill exits at once with "goal
reached". (In tests/: the journeys do not depend on the import addon.)"""
import io
import time

from conftest import pharmacy_today
from test_pipeline_import import ROW

from odoo.addons.pharmacy_crm_import.tools.dispensing_csv import to_bytes


def test_an_imported_fill_reaches_the_journey_goal(env):
    today = pharmacy_today().isoformat()
    run = int(time.time())
    company = env.ref('base.main_company')
    last, email = 'JourneyImport%d' % run, 'journey.import.%d@example.com' % run
    patient = env['res.partner'].create({
        'name': 'Jane %s' % last, 'is_patient': True, 'birthdate_date': '1950-03-04',
        'nkda': True, 'company_id': company.id, 'email': email})
    env['pharmacy.consent'].create({
        'patient_id': patient.id, 'channel': 'email', 'purpose': 'marketing',
        'state': 'granted', 'date': '2024-01-01', 'source': 'in_store'})
    segment = env['pharmacy.segment'].create({
        'name': last, 'company_id': company.id, 'partner_domain': repr([('email', '=', email)])})
    journey = env['pharmacy.journey'].create({
        'name': last, 'entry_type': 'segment', 'segment_id': segment.id, 'goal': 'fill',
        'company_id': company.id,
        'step_ids': [(0, 0, {'name': 'Wait', 'step_type': 'wait', 'wait_days': 7})]})
    journey.action_start()
    assert journey._pharmacy_enter() == 1
    participant = env['pharmacy.journey.participant'].search([('journey_id', '=', journey.id)])
    assert (participant.patient_id, participant.state) == (patient, 'active')
    rows = [dict(ROW, patient_id='JRN%d' % run, last_name=last, first_name='Jane',
                 birthdate='1950-03-04', rx_number='JRN%d' % run, date_written=today,
                 fill_date=today, pickup_date=today)]
    counts, errors = env['pharmacy.import']._import_file(io.BytesIO(to_bytes(rows)), company)
    assert not errors, errors
    assert env['pharmacy.fill'].search_count([('patient_id', '=', patient.id)]) == 1
    participant.invalidate_cache()
    assert (participant.state, participant.exit_reason, participant.exit_date) == (
        'exited', 'goal', today)
