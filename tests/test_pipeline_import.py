"""The pharmacy pipeline (#21) closed by the nightly dispensing import: the import writes fills
with SQL, not through ``pharmacy.fill.create``, and calls ``_pharmacy_fills_changed`` once with
every fill it wrote; a win-back lead is then won by the patient's new fill, a converted
transfer-in lead by the patient's first fill, each with the chatter saying why. (In tests/:
the pipeline does not depend on the import addon.)"""
import io
import time
from datetime import timedelta

from conftest import pharmacy_today

from odoo.addons.pharmacy_crm_import.tools.dispensing_csv import to_bytes

ROW = {
    'prescriber_npi': '1234567893', 'prescriber_name': 'Alice Brown, MD',
    'prescriber_dea': 'AB1234563', 'ndc': '99999-0001-01', 'drug_name': 'Atorvastatin',
    'generic_name': 'atorvastatin', 'strength': '20 mg', 'dosage_form': 'tablet',
    'drug_type': 'generic', 'schedule': 'none', 'therapeutic_class': 'statin',
    'refills_authorized': '2', 'rx_quantity': '30', 'rx_days_supply': '30',
    'fill_number': '1', 'quantity': '30', 'days_supply': '30', 'state': 'picked_up',
    'allergies': 'NKDA', 'phone': '555-0101',
}


def test_an_import_wins_win_back_and_transfer_in_leads(env):
    today = pharmacy_today()
    run = int(time.time())
    company = env.ref('base.main_company')
    Lead = env['crm.lead']
    patients, leads, rows = {}, {}, []
    for kind, work_type in (('Winback', 'win_back'), ('Transfer', 'transfer_in')):
        last = 'Import%s%d' % (kind, run)
        patients[kind] = env['res.partner'].create({
            'name': 'Jane %s' % last, 'is_patient': True, 'birthdate_date': '1950-03-04',
            'nkda': True, 'company_id': company.id})
        leads[kind] = Lead.create({
            'name': '%s: Jane %s' % (kind, last), 'partner_id': patients[kind].id,
            'pharmacy_work_type': work_type,
            'pharmacy_reference_date': (today - timedelta(days=100)).isoformat()})
        yesterday = (today - timedelta(days=1)).isoformat()
        rows.append(dict(ROW, patient_id='PIPE%s%d' % (kind, run), last_name=last,
                         first_name='Jane', birthdate='1950-03-04',
                         rx_number='PIPE%s%d' % (kind, run),
                         date_written=(today - timedelta(days=5)).isoformat(),
                         fill_date=yesterday, pickup_date=yesterday))
    counts, errors = env['pharmacy.import']._import_file(io.BytesIO(to_bytes(rows)), company)
    assert not errors, errors
    for kind, reason in (('Winback', 'filled again'), ('Transfer', 'first fill')):
        lead = leads[kind]
        lead.invalidate_cache()
        assert lead.probability == 100, kind
        assert lead.stage_id == env.ref('pharmacy_crm_pipeline.crm_stage_pharmacy_won')
        assert reason in lead.message_ids[0].body, kind
