"""The demo pharmacy is one a pharmacist would believe, checked on the served demo database.

Each test reads the records of the demo (xml ids ``pharmacy_crm.demo_*``, written by
``scripts/generate_demo.py``) as installed, and checks what a pharmacist would check: the
directions agree with quantity and days supply, alerts and notes talk about the patient's own
drugs and allergies, controlled substances fit the age, fills obey the server's rules, notes come
from the staff at working hours, the pharmacy is an American one. Records that other tests add
to demo patients are not demo records and are not read.
"""
import math
import re
from collections import Counter
from datetime import datetime, timedelta

import pytest
import pytz

from odoo import SUPERUSER_ID, fields
from odoo.addons.pharmacy_crm.models.pharmacy_setting import REFILL_THRESHOLD
from conftest import pharmacy_today

TECHNICIAN = 'pharmacy_crm.group_pharmacy_technician'
PHARMACIST = 'pharmacy_crm.group_pharmacy_pharmacist'
US_PHONE = re.compile(r'\(\d{3}\) \d{3}-\d{4}')
# allergen written in a patient's allergies -> active ingredients that patient must not get
ALLERGENS = {
    'penicillin': {'amoxicillin'},
    'sulfa': {'hydrochlorothiazide', 'furosemide'},   # sulfonamide diuretics: flagged
    'codeine': {'hydrocodone and acetaminophen', 'oxycodone', 'tramadol'},
    'latex': set(), 'iodine': set(), 'aspirin': set(),
}
OPIOIDS = {'hydrocodone and acetaminophen', 'oxycodone', 'tramadol'}
# classes a note may name instead of a drug -> does a prescription belong to it
CLASS_WORDS = {
    'opioid': lambda rx: rx.medication_id.generic_name in OPIOIDS,
    'statin': lambda rx: rx.medication_id.therapeutic_class_id.code == 'statin',
    'inhaler': lambda rx: rx.medication_id.dosage_form == 'inhaler',
}
# for the older adult, avoided (AGS Beers criteria): benzodiazepines and "Z-drugs"
BEERS = {'alprazolam', 'lorazepam', 'zolpidem'}
# frequency in the directions -> administrations per day
FREQUENCIES = [
    (r'\bthree times daily\b', lambda m: 3),
    (r'\btwice daily\b', lambda m: 2),
    (r'\bonce daily\b', lambda m: 1),
    (r'\bat bedtime\b', lambda m: 1),
    (r'\bevery morning\b', lambda m: 1),
    (r'\bonce weekly\b', lambda m: 1 / 7),
    (r'\bevery (\d+) hours\b', lambda m: 24 / int(m.group(1))),
    (r'\bevery (\d+) days\b', lambda m: 1 / int(m.group(1))),
]


def _demo(env, model):
    data = env['ir.model.data'].search([('module', '=', 'pharmacy_crm'), ('model', '=', model),
                                        ('name', '=like', 'demo_%')])
    return env[model].with_context(active_test=False).browse(data.mapped('res_id'))


def _patients(env):
    return _demo(env, 'res.partner').filtered('is_patient')


def _date(value):
    return fields.Date.from_string(value)


def units_per_day(sig):
    """Units a day the directions ask for: "Take 2 tablets ... once daily" is 2; None when
    the directions give no single frequency (e.g. "every 4 to 6 hours as needed")."""
    count = re.match(r'(?:Take|Inject|Inhale) (\d+) ', sig or '')
    found = [per_day(match) for pattern, per_day in FREQUENCIES
             for match in [re.search(pattern, sig or '')] if match]
    if not count or len(found) != 1:
        return None
    return int(count.group(1)) * found[0]


def test_units_per_day_reads_the_common_directions():
    assert units_per_day('Take 1 tablet by mouth once daily') == 1
    assert units_per_day('Take 1 tablet by mouth twice daily with meals') == 2
    assert units_per_day('Take 1 capsule by mouth three times daily') == 3
    assert units_per_day('Take 2 tablets by mouth at bedtime') == 2
    assert units_per_day('Take 1 tablet by mouth every morning') == 1
    assert units_per_day('Take 1 tablet by mouth every 6 hours as needed for pain') == 4
    assert units_per_day('Take 1 tablet by mouth once weekly') == 1 / 7
    assert units_per_day('Inject 1 mL (200 mg) into the muscle every 14 days') == 1 / 14
    assert units_per_day('Inhale 2 puffs every 4 to 6 hours as needed') is None
    assert units_per_day('Take 1 tablet by mouth once daily and 1 at bedtime') is None


def test_the_pharmacy_is_american(env):
    company, usd = env.ref('base.main_company'), env.ref('base.USD')
    assert company.currency_id == usd and usd.active
    assert company.name not in ('YourCompany', 'My Company')
    assert company.country_id == env.ref('base.us')
    assert company.state_id.country_id == env.ref('base.us')
    assert re.fullmatch(r'\d{5}', company.zip) and company.street and company.city
    assert US_PHONE.fullmatch(company.phone)
    assert company.partner_id.tz.startswith('America/')
    # US conventions: 12-hour time without seconds, every PDF on Letter (new companies too)
    assert env.ref('base.lang_en').time_format == '%I:%M %p'
    letter = env.ref('base.paperformat_us')
    assert company.paperformat_id == letter
    assert env['res.company'].default_get(['paperformat_id'])['paperformat_id'] == letter.id
    # every demo login works in the pharmacy's time zone (the marketing user too)
    users = env['ir.model.data'].search([('module', '=like', 'pharmacy_crm%'),
                                         ('model', '=', 'res.users')])
    for user in env['res.users'].browse(users.mapped('res_id')):
        assert user.tz == company.partner_id.tz, user.login
    people = _patients(env) | _demo(env, 'res.partner').filtered('is_prescriber')
    assert len(people) >= 30
    for partner in people:
        assert partner.country_id == env.ref('base.us'), partner.name
        assert US_PHONE.fullmatch(partner.phone), (partner.name, partner.phone)


def test_referral_pharmacies_have_their_own_phone_numbers(env):
    """A patient calls the pharmacy the letter names: its number is no prescriber's, no
    patient's, not the pharmacy's own."""
    pharmacies = env['res.partner'].browse(env['ir.model.data'].search([
        ('module', '=', 'pharmacy_crm_dismissal'), ('model', '=', 'res.partner')]).mapped(
            'res_id')).filtered('is_pharmacy')
    assert len(pharmacies) >= 3
    others = env['res.partner'].search([('phone', '!=', False)]) - pharmacies
    taken = set(others.mapped('phone')) | set(others.mapped('fax')) | {
        env.ref('base.main_company').phone}
    phones = pharmacies.mapped('phone')
    assert len(set(phones)) == len(pharmacies) and all(US_PHONE.fullmatch(p) for p in phones)
    assert not taken & set(phones), taken & set(phones)


def test_directions_agree_with_quantity_and_days_supply(env):
    """quantity = units per administration x administrations per day x days supply, for each
    prescription and each of its fills (short fills included)."""
    prescriptions = _demo(env, 'pharmacy.patient.medication')
    fills = _demo(env, 'pharmacy.fill')
    checked = Counter()
    for rx in prescriptions:
        per_day = units_per_day(rx.sig)
        if per_day is None:   # only "as needed" directions with a range of hours
            assert 'as needed' in rx.sig, rx.sig
            continue
        checked['prescriptions'] += 1
        assert rx.quantity == round(per_day * rx.days_supply, 2), (rx.rx_number, rx.sig)
        unit = re.match(r'Take \d+ (tablet|capsule)s? ', rx.sig)
        if unit:
            assert rx.medication_id.dosage_form == unit.group(1), (rx.rx_number, rx.sig)
        for fill in fills.filtered(lambda f: f.prescription_id == rx):
            checked['fills'] += 1
            assert fill.quantity == round(per_day * fill.days_supply, 2), (
                rx.rx_number, rx.sig, fill.fill_date, fill.quantity, fill.days_supply)
    assert checked['prescriptions'] >= 0.95 * len(prescriptions)
    assert checked['fills'] >= 0.95 * len(fills)
    for generic in ('levothyroxine', 'atorvastatin'):   # once a day, whatever the words
        for rx in prescriptions.filtered(lambda r: r.medication_id.generic_name == generic):
            assert units_per_day(rx.sig) == 1, rx.sig


def test_allergies_agree_with_alerts_notes_and_prescriptions(env):
    notes = _demo(env, 'pharmacy.patient.note')
    told = Counter()
    for patient in _patients(env):
        allergies = (patient.allergies or '').lower()
        # "NKDA" in the demo's allergies is stored as the box "No known drug allergies"
        assert bool(allergies) != patient.nkda, (
            '%s: allergies or NKDA (not both) are recorded for every patient' % patient.name)
        known_none = patient.nkda
        for note in notes.filtered(lambda n: n.patient_id == patient):
            text = note.body.lower()
            for allergen in ALLERGENS:
                if allergen in text:
                    told['allergen'] += 1
                    assert allergen in allergies, (patient.name, patient.allergies, note.body)
            if known_none:
                assert 'allerg' not in text and 'anaphyla' not in text, (patient.name, note.body)
        taken = set(patient.prescription_ids.mapped('medication_id.generic_name'))
        for allergen, avoided in ALLERGENS.items():
            if allergen in allergies:
                told['allergic'] += 1
                assert not taken & avoided, (patient.name, patient.allergies, taken & avoided)
    assert told['allergen'] >= 2 and told['allergic'] >= 5


def _terms(medication):
    """Words that name a medication in a note: its name and its active ingredients."""
    names = {medication.name.lower(), (medication.generic_name or '').lower()}
    for name in list(names):
        names.update(part.strip() for part in re.split(r'/| and ', name))
    return {name for name in names if len(name) > 3}


def test_notes_about_a_drug_refer_to_one_the_patient_takes(env):
    catalog = {term: medication for medication in _demo(env, 'pharmacy.medication')
               for term in _terms(medication)}
    about_a_drug = 0
    for note in _demo(env, 'pharmacy.patient.note'):
        text, prescriptions = note.body.lower(), note.patient_id.prescription_ids
        taken = set().union(*[_terms(rx.medication_id) for rx in prescriptions])
        named = [term for term in catalog if re.search(r'\b%s\b' % re.escape(term), text)]
        classes = [word for word in CLASS_WORDS if re.search(r'\b%s' % word, text)]
        about_a_drug += bool(named or classes)
        for term in named:
            assert term in taken, (note.patient_id.name, term, note.body)
        for word in classes:
            assert any(CLASS_WORDS[word](rx) for rx in prescriptions), (
                note.patient_id.name, word, note.body)
    assert about_a_drug >= 20


def test_profiles_fit_age_preferences_and_drugs(env):
    notes = _demo(env, 'pharmacy.patient.note')
    catalog = _demo(env, 'pharmacy.medication')
    branded = set(catalog.filtered(lambda m: m.drug_type == 'brand').mapped('generic_name'))
    for patient in _patients(env):
        assert 18 <= patient.age <= 100, (patient.name, patient.birthdate_date)
        prescriptions = _demo(env, 'pharmacy.patient.medication').filtered(
            lambda rx: rx.patient_id == patient)
        generics = set(prescriptions.mapped('medication_id.generic_name'))
        for note in notes.filtered(lambda n: n.patient_id == patient):
            if 'medicare' in note.body.lower():
                assert patient.age >= 65, (patient.name, patient.age, note.body)
            if 'deliver' in note.body.lower():
                assert patient.fulfillment_method == 'delivery', (patient.name, note.body)
        if 'dextroamphetamine and amphetamine' in generics:
            assert patient.age < 65, (patient.name, patient.age)
        if generics & BEERS:
            assert patient.age < 75, (patient.name, patient.age, generics & BEERS)
        if 'testosterone' in generics:
            assert patient.title == env.ref('base.res_partner_title_mister'), patient.name
        if patient.preferred_contact_channel == 'sms':
            assert patient.mobile, patient.name
        if patient.preferred_contact_channel == 'email':
            assert patient.email, patient.name
        maintenance = prescriptions.filtered(
            lambda rx: rx.state == 'active' and rx.medication_id.is_maintenance
            and rx.schedule == 'none')
        if patient.prefers_90_day_supply:
            assert maintenance and all(rx.days_supply >= 84 for rx in maintenance), patient.name
        if patient.generic_preference == 'brand_only':
            generic_of_a_brand = prescriptions.filtered(
                lambda rx: rx.medication_id.drug_type == 'generic'
                and rx.medication_id.generic_name in branded)
            assert not generic_of_a_brand, patient.name


def test_no_fill_breaks_the_server_rules(env):
    """Within the prescription's dates and refills, not in the future, pickup on or after the
    fill, never on a held or discontinued prescription, and a refill before the refill-too-soon
    date (the default threshold, under which the demo was recorded) only with a pharmacist's
    reason."""
    today = pharmacy_today()
    fills = _demo(env, 'pharmacy.fill')
    prescriptions = _demo(env, 'pharmacy.patient.medication')
    assert len(fills) >= 300
    early = 0
    for rx in prescriptions:
        mine = fills.filtered(lambda f: f.prescription_id == rx).sorted(
            lambda f: (f.fill_date, f.id))
        counted = mine.filtered('counts')
        assert len(counted) <= rx.refills_authorized + 1, rx.rx_number
        if rx.patient_id.patient_state != 'active':
            assert rx.state != 'active', rx.rx_number
        for fill in mine:
            assert rx.date_written <= fill.fill_date <= rx.date_expiry, rx.rx_number
            assert _date(fill.fill_date) <= today, rx.rx_number
            if fill.state == 'picked_up':
                assert fill.fill_date <= fill.pickup_date, (rx.rx_number, fill.fill_date)
                assert _date(fill.pickup_date) <= today
            else:
                assert not fill.pickup_date, (rx.rx_number, fill.fill_date)
            if rx.state == 'discontinued':
                assert fill.fill_date <= rx.discontinue_date, rx.rx_number
        for before, after in zip(counted, counted[1:]):
            gap = (_date(after.fill_date) - _date(before.fill_date)).days
            if gap < math.ceil(round(before.days_supply * REFILL_THRESHOLD.default, 6)):
                early += 1
                assert after.early_refill_reason, (rx.rx_number, before.fill_date, gap)
                assert after.early_refill_by.has_group(PHARMACIST)
                assert after.early_refill_by.id != SUPERUSER_ID
    assert early >= 1


def test_a_year_of_history(env):
    """Written over the year, short fills, returns, holds, discontinuations, one patient gone."""
    prescriptions = _demo(env, 'pharmacy.patient.medication')
    fills = _demo(env, 'pharmacy.fill')
    written = [_date(d) for d in prescriptions.mapped('date_written')]
    assert (max(written) - min(written)).days >= 300
    assert max(Counter(written).values()) <= 0.1 * len(written)
    by_number = prescriptions.sorted(lambda rx: int(rx.rx_number))
    assert by_number.mapped('date_written') == sorted(by_number.mapped('date_written'))
    assert fills.filtered('is_short_fill') and fills.filtered(lambda f: f.state == 'returned')
    assert fills.filtered(lambda f: f.state == 'ready')
    discontinued = prescriptions.filtered(lambda rx: rx.state == 'discontinued')
    assert len(discontinued) >= 5
    for rx in discontinued:
        assert rx.discontinue_reason and rx.discontinue_date and rx.discontinue_note
    assert prescriptions.filtered(lambda rx: rx.state == 'on_hold')
    [gone] = _patients(env).filtered(lambda p: p.patient_state != 'active')
    assert gone.patient_state == 'transferred'
    assert set(gone.prescription_ids.mapped('discontinue_reason')) == {'transferred'}
    for model in ('res.partner', 'pharmacy.patient.medication', 'pharmacy.patient.note',
                  'pharmacy.medication'):
        assert all(_demo(env, model).mapped('active')), model   # nothing archived


def test_notes_are_written_by_staff_at_working_hours(env):
    notes = _demo(env, 'pharmacy.patient.note')
    assert len(notes) >= 40
    tz = pytz.timezone(env.ref('base.main_company').partner_id.tz)
    now = datetime.utcnow()
    for note in notes:
        author = note.author_id
        assert author.id != SUPERUSER_ID and author.has_group(TECHNICIAN), author.name
        assert note.create_uid == author
        if note.visibility == 'pharmacist':
            assert author.has_group(PHARMACIST), (author.name, note.body)
        written = fields.Datetime.from_string(note.date)
        assert now - timedelta(days=366) < written < now, note.date
        local = pytz.utc.localize(written).astimezone(tz)
        assert 9 <= local.hour < 18, (note.date, local)
    assert len(notes.mapped('author_id')) >= 3
    assert len(set(notes.mapped('date'))) == len(notes)
    assert notes.filtered('is_alert') and notes.filtered(lambda n: n.visibility == 'pharmacist')


def test_the_patient_the_browser_tests_open(env):
    """tests/test_patient_browser.py opens demo_patient_00: an alert for all staff about her
    hearing, and an active prescription whose prescriber has a phone and a fax."""
    patient = env.ref('pharmacy_crm.demo_patient_00')
    alerts = patient.note_ids.filtered(lambda n: n.is_alert and n.visibility == 'all')
    assert any('Hard of hearing' in note.body for note in alerts)
    active = patient.prescription_ids.filtered(lambda rx: rx.state == 'active')
    assert active and all(rx.prescriber_id.phone and rx.prescriber_id.fax for rx in active)


def test_the_pipeline_tells_the_data_story(env):
    """The pharmacy pipeline's demo (pharmacy_crm_pipeline): every work type has leads in every
    stage of the pharmacy pipeline; a proposed lead says why and is about an active patient of
    the pharmacy; no patient has two open leads of one type and service; a won lead has the data
    that won it: a transfer in, a counted fill; a win-back, a counted fill after it was opened;
    a sync enrolment, the patient's enrolment; an adherence outreach, the call logged."""
    if 'pharmacy_work_type' not in env['crm.lead']._fields:
        return
    Lead = env['crm.lead'].with_context(active_test=False)
    leads = Lead.search([('pharmacy_work_type', '!=', False)])
    stages = env['crm.stage'].search([('is_pharmacy', '=', True)])
    types = [key for key, _label in Lead._fields['pharmacy_work_type'].selection]
    by_xml_id = env['ir.model.data'].search([('module', '=', 'pharmacy_crm_pipeline'),
                                             ('model', '=', 'crm.lead')]).mapped('res_id')
    demo = leads.filtered(lambda lead: lead.pharmacy_proposed or lead.id in by_xml_id)
    for work_type in types:
        of_type = demo.filtered(lambda lead: lead.pharmacy_work_type == work_type)
        assert set(of_type.filtered('active').mapped('stage_id')) == set(stages), work_type
        assert of_type.filtered(lambda lead: not lead.active), work_type   # lost, with a reason
        assert all(lead.lost_reason for lead in of_type.filtered(lambda lead: not lead.active))
    for lead in demo.filtered('pharmacy_proposed'):
        assert lead.description and lead.partner_id.is_patient, lead.name
        # a patient who left has no open lead (_pharmacy_patient_left loses them)
        assert lead.partner_id.patient_state == 'active' or not (
            lead.active and lead.probability < 100), lead.name
        assert lead.team_id.company_id == lead.partner_id.company_id, lead.name
    open_keys = Counter(
        (lead.partner_id.id, lead.pharmacy_work_type, lead.pharmacy_service_tag_id.id)
        for lead in leads if lead.active and lead.probability < 100 and lead.partner_id)
    assert max(open_keys.values()) == 1
    # a lead in the Won column is won (the conversion report counts probability 100)
    for lead in leads.filtered('active'):
        assert (lead.probability == 100) == (lead.stage_id.probability == 100), lead.name
    won_transfers = demo.filtered(lambda lead: lead.probability == 100
                                  and lead.pharmacy_work_type == 'transfer_in')
    assert won_transfers
    for lead in won_transfers:
        assert lead.partner_id.fill_ids.filtered('counts'), lead.name
    # the other wins have their data behind them, after the lead was opened, and say so
    outreach = env.ref('pharmacy_crm_adherence.mail_activity_type_adherence_outreach')
    enrolments = env['pharmacy.sync.enrollment'].search([('state', 'in', ('enrolled', 'paused'))])
    for work_type in ('win_back', 'sync_enrolment', 'adherence_outreach'):
        won = demo.filtered(lambda lead: lead.probability == 100
                            and lead.pharmacy_work_type == work_type)
        assert won, work_type
        for lead in won:
            patient, opened = lead.partner_id, lead.create_date
            if work_type == 'win_back':
                assert patient.fill_ids.filtered(lambda fill: fill.counts and fill.fill_date > (
                    lead.pharmacy_reference_date or opened[:10])), lead.name
            elif work_type == 'sync_enrolment':
                assert enrolments.filtered(lambda e: e.patient_id == patient
                                           and e.enrolled_on >= opened[:10]), lead.name
            else:
                assert env['mail.message'].search_count([
                    ('model', '=', 'res.partner'), ('res_id', '=', patient.id),
                    ('mail_activity_type_id', '=', outreach.id), ('date', '>=', opened)])
            assert "Won by the pharmacy's data" in lead.message_ids[0].body, lead.name
    # New Patients by Source: patients came over the year, from every source, some referred
    report = env['pharmacy.patient.source.report']
    by_source = report.read_group([], ['source_id', 'referred_count'], ['source_id'])
    assert len(by_source) >= 4 and any(group['referred_count'] for group in by_source)
    assert len(report.read_group([], ['month'], ['month:month'])) > 3
    # an open sync enrolment lead is about a patient not enrolled (else the data won it)
    for lead in leads.filtered(lambda lead: lead.pharmacy_work_type == 'sync_enrolment'
                               and lead.active and lead.probability < 100):
        assert lead.partner_id not in enrolments.mapped('patient_id'), lead.name


def _sync_demo(env, model):
    data = env['ir.model.data'].search([('module', '=', 'pharmacy_crm_sync'),
                                        ('model', '=', model), ('name', '=like', 'demo_%')])
    return env[model].browse(data.mapped('res_id'))


def test_refill_sync_tells_the_truth(env):
    """Every enrolled demo patient syncs 2 or more prescriptions, each due on a sync date of
    the enrolment: the appointment to come when it is still to confirm or confirmed, the one
    after it when its fills are made (filled, ready). Past appointments were confirmed, then
    picked up with the fill of each line picked up that day; the flow's every state is shown,
    with the fills it implies (none before filling, none when missed or cancelled). The sync
    report shows fewer trips a month after enrolment than before."""
    from odoo.addons.pharmacy_crm_sync.models.pharmacy_sync_enrollment import sync_date_of
    today = pharmacy_today()
    enrolled = _sync_demo(env, 'pharmacy.sync.enrollment').filtered(
        lambda e: e.state == 'enrolled')
    assert len(enrolled) >= 4
    for enrollment in enrolled:
        synced = enrollment.prescription_ids
        assert len(synced) >= 2, enrollment.patient_id.name
        [coming] = enrollment.appointment_ids.filtered(
            lambda a: a.state in ('to_confirm', 'confirmed', 'filled', 'ready'))
        date = _date(coming.date)
        assert date >= today and sync_date_of(enrollment, date) == date
        assert coming.line_ids.mapped('prescription_id') == synced
        for rx in synced:
            due = _date(rx.next_due_date)
            assert sync_date_of(enrollment, due) == due, rx.rx_number
            expected = date if coming.state in ('to_confirm', 'confirmed') else (
                date + timedelta(days=enrollment.cycle_days))
            assert due == expected, (rx.rx_number, coming.state)
    appointments = _sync_demo(env, 'pharmacy.sync.appointment')
    assert set(appointments.mapped('state')) == {
        'to_confirm', 'confirmed', 'filled', 'ready', 'picked_up', 'missed', 'cancelled'}
    for appointment in appointments:
        fills = appointment.line_ids.mapped('fill_id')
        name = (appointment.patient_id.name, appointment.date, appointment.state)
        if appointment.state in ('filled', 'ready', 'picked_up'):
            assert len(fills) == len(appointment.line_ids) >= 2, name
            assert set(fills.mapped('state')) == {appointment.state}, name
            assert fills.mapped('prescription_id') == appointment.line_ids.mapped(
                'prescription_id')
            assert all(fill.fill_date <= appointment.date for fill in fills), name
        else:
            assert not fills, name
        if appointment.state == 'picked_up':
            assert set(fills.mapped('pickup_date')) == {appointment.date}, name
        if appointment.state in ('confirmed', 'filled', 'ready', 'picked_up'):
            assert appointment.confirmed_by.has_group(TECHNICIAN), name
            assert appointment.confirmed_on <= appointment.date, name
    report = env['pharmacy.sync.report'].browse(enrolled.ids)
    for row in report:
        assert row.trips_after < row.trips_before, (row.patient_id.name, row.trips_before,
                                                    row.trips_after)


def test_fill_status_before_the_click(env):
    """The demo shows every fill status; Due Today holds only fillable prescriptions, and an
    expired or used-up one is in Renewals Needed instead."""
    prescriptions = _demo(env, 'pharmacy.patient.medication')
    assert set(prescriptions.mapped('fill_status')) == {
        'fillable', 'too_soon', 'renewal', 'on_hold', 'discontinued'}
    due = prescriptions.filtered('is_due')
    assert due and set(due.mapped('fill_status')) == {'fillable'}
    renewal = prescriptions.filtered(lambda rx: rx.fill_status == 'renewal')
    assert renewal.filtered(lambda rx: rx.next_due_date <= str(pharmacy_today()))
    assert all(rx.needs_renewal and not rx.is_due for rx in renewal)


def test_the_portal_patients(env):
    """pharmacy_crm_portal's demo: two patients on the portal (logins patient, patient2), each
    with an email and current medications; the second is the caregiver of a third patient,
    whose pages they read; the first reads only her own."""
    if 'pharmacy.portal.delegation' not in env:
        pytest.skip('pharmacy_crm_portal is not installed')
    group = env.ref('pharmacy_crm_portal.group_pharmacy_portal')
    users = env['res.users'].search([('login', 'in', ('patient', 'patient2'))], order='login')
    assert users.mapped('login') == ['patient', 'patient2']
    for user in users:
        assert group in user.groups_id and user.share and user.partner_id.is_patient
        assert user.partner_id.email
        assert user.partner_id.current_prescription_ids.filtered(lambda rx: rx.state == 'active')
    partners = env['res.partner']
    first, second = users.mapped('partner_id')
    assert partners._pharmacy_portal_patient_ids(first.id) == [first.id]
    dependants = partners._pharmacy_portal_patient_ids(second.id)[1:]
    assert len(dependants) == 1 and partners.browse(dependants).is_patient
    assert env.ref('base.main_company').pharmacy_opening_hours


def test_statuses_agree_with_dismissals_prescriptions_and_plans(env):
    """No demo patient's status contradicts what the other records say (#18): a patient is
    Dismissed exactly when a dismissal of theirs is effective, and an approved one waits for
    its date with the patient still Active; a patient who is not Active has no active
    prescription and no open refill sync enrolment nor appointment to come."""
    patients = env['res.partner'].with_context(active_test=False).search([('is_patient', '=',
                                                                           True)])
    demo = _patients(env)
    assert demo <= patients and len(demo) >= 20
    assert set(demo.mapped('patient_state')) >= {'active', 'transferred'}
    Dismissal = env.get('pharmacy.dismissal')
    dismissals = Dismissal.search([('patient_id', 'in', demo.ids)]) if Dismissal is not None \
        else []
    for dismissal in dismissals:
        state = dismissal.patient_id.patient_state
        if dismissal.state == 'effective':
            assert state == 'dismissed', dismissal.patient_id.name
        elif dismissal.state == 'approved':
            assert state == 'active', dismissal.patient_id.name
    for patient in demo.filtered(lambda p: p.patient_state == 'dismissed'):
        assert any(d.state == 'effective' for d in dismissals if d.patient_id == patient), \
            patient.name
    if 'dismissal_effective_date' in env['res.partner']._fields:
        for patient in demo:   # the date of an approved or effective dismissal, or none
            dates = [d.effective_date for d in dismissals if d.patient_id == patient
                     and d.state in ('approved', 'effective')]
            assert (patient.dismissal_effective_date or None) == (dates[0] if dates else None), \
                patient.name
    rx = env['pharmacy.patient.medication'].with_context(active_test=False)
    Enrollment = env.get('pharmacy.sync.enrollment')
    Appointment = env.get('pharmacy.sync.appointment')
    for patient in demo.filtered(lambda p: p.patient_state != 'active'):
        assert not rx.search_count([('patient_id', '=', patient.id), ('state', '=', 'active')]), \
            patient.name
        if Enrollment is not None:
            assert not Enrollment.search_count([('patient_id', '=', patient.id),
                                                ('state', 'in', ('enrolled', 'paused'))])
            assert not Appointment.search_count([
                ('patient_id', '=', patient.id), ('state', 'in', ('to_confirm', 'confirmed'))])


def test_marketing_demo_reaches_only_consenting_patients(env):
    """pharmacy_crm_marketing's demo (#22): a contact segment and a clinical one, and a mailing
    sent to the contact segment whose statistics (sent, opened, clicked, replied, as the
    mailing's form shows them) count only patients with a granted email marketing consent who
    are still served: every consenting demo patient with an address received it, nobody else."""
    if 'pharmacy.segment' not in env:
        pytest.skip('pharmacy_crm_marketing is not installed')
    newsletter = env.ref('pharmacy_crm_marketing.segment_demo_newsletter')
    statins = env.ref('pharmacy_crm_marketing.segment_demo_statins')
    mailing = env.ref('pharmacy_crm_marketing.mass_mailing_demo_flu_shots')
    assert (newsletter.is_clinical, statins.is_clinical) == (False, True)

    def consenting(patient):
        return patient.active and patient.email and patient.patient_state == 'active' \
            and not patient.opt_out and patient.consent_ids.filtered(
                lambda c: (c.channel, c.purpose, c.state) == ('email', 'marketing', 'granted'))
    reached = _patients(env).filtered(consenting)
    assert len(reached) >= 8   # the story needs readers: 8 opened it
    stats = mailing.statistics_ids
    contacts = env['mail.mass_mailing.contact'].browse(stats.mapped('res_id'))
    assert set(stats.mapped('model')) == {'mail.mass_mailing.contact'}
    assert sorted(c.email.lower() for c in contacts) == sorted(
        p.email.lower() for p in reached)
    assert mailing.contact_list_ids == newsletter.list_id
    assert (mailing.state, mailing.sent, mailing.opened, mailing.replied) == (
        'done', len(reached), 8, 2)
    assert len(stats.filtered('clicked')) == len(stats.mapped('links_click_ids')) == 3
    assert mailing.clicks_ratio == 100 * 3 // len(reached)
    assert not stats.filtered(lambda s: (s.clicked or s.replied) and not s.opened)
    assert mailing.pharmacy_dropped_count == 0 and mailing.sent_date < fields.Datetime.now()
    assert mailing.pharmacy_matched_count == mailing.sent + mailing.pharmacy_dropped_count
    # the segments count what they left out, and the clinical one holds statin takers only
    assert newsletter.member_count == len(reached)
    assert newsletter.excluded_no_consent > 0 and newsletter.excluded_no_email > 0
    members = env['res.partner'].browse(statins._pharmacy_member_ids())
    assert members and all(consenting(p) for p in members)
    assert all(p.current_prescription_ids.filtered(
        lambda rx: rx.medication_id.therapeutic_class_id.code == 'statin') for p in members)
    # best customers: the consenting patients among the top 20 % of the served patients by
    # value score (ties included). The demo's best customers are long-standing patients who
    # mostly gave no email marketing consent (or no address): the segment shows staff whom to
    # ask at the counter rather than whom to mail
    best = env.ref('pharmacy_crm_marketing.segment_demo_best_customers')
    best.action_sync()   # on today's scores and patients (other suites commit patients too)
    served = env['res.partner'].search([
        ('is_patient', '=', True), ('company_id', '=', best.company_id.id),
        ('patient_state', '=', 'active'), ('pharmacy_value_score', '!=', False)])
    scores = [p.pharmacy_value_score for p in served]
    top = served.filtered(lambda p: sum(score >= p.pharmacy_value_score for score in scores)
                          <= 0.2 * len(scores))
    assert best.is_clinical and 0 < len(top) <= 0.2 * len(served)
    assert set(best._pharmacy_member_ids()) == set(top.filtered(consenting).ids)
    assert best.member_count + sum(best[name] for name in best._fields
                                   if name.startswith('excluded_')) == len(top)
    # what they have in common: from 5 members on, else a sentence says why it is not shown
    if best.member_count >= 5:
        assert 'Age' in best.members_profile
    elif best.member_count:
        assert 'fewer than 5' in best.members_profile and 'Age' not in best.members_profile


def test_demo_mailings_add_up_and_read_as_the_pharmacys(env):
    """Every demo mailing: recipients matched = sent + held out + dropped (each dropped
    patient counted under one reason), a name of its own, the pharmacy as sender, an
    unsubscribe link, the demo pharmacy's opening hours."""
    if 'pharmacy.segment' not in env:
        pytest.skip('pharmacy_crm_marketing is not installed')
    company = env.ref('base.main_company')
    mailings = env['mail.mass_mailing'].browse([
        env.ref(xmlid).id for xmlid in ('pharmacy_crm_marketing.mass_mailing_demo_flu_shots',
                                        'pharmacy_crm_marketing_report.demo_mailing_flu_shots')
        if env.ref(xmlid, raise_if_not_found=False)])
    assert len(set(mailings.mapped('name'))) == len(mailings)
    for mailing in mailings:
        held = mailing.pharmacy_holdout_count if 'pharmacy_holdout_count' in mailing else 0
        sent = env['mail.mail.statistics'].search_count([('mass_mailing_id', '=', mailing.id)])
        # at send time (demo patients created later match the filter today, not then)
        assert mailing.pharmacy_matched_count == sent + held + mailing.pharmacy_dropped_count, \
            mailing.name
        assert mailing.pharmacy_dropped_count == sum(
            mailing['pharmacy_dropped_%s' % reason]
            for reason in ('left', 'archived', 'no_email', 'opted_out', 'no_consent'))
        assert company.name in mailing.email_from and 'admin@' not in mailing.email_from
        assert '/unsubscribe_from_list' in mailing.body_html
        # the demo pharmacy's hours (pharmacy_crm_portal): Mon-Fri 9-7, Sat 9-1, Sun closed
        assert '9 a.m. to 7 p.m.' in mailing.body_html and '9 a.m. to 1 p.m.' in mailing.body_html
        assert 'any day' not in mailing.body_html and 'any time' not in mailing.body_html


def test_reminders_follow_their_rules(env):
    """The demo's reminders (pharmacy_crm_reminder: the scheduled action run on the demo data)
    agree with the patients, prescriptions, fills and consent: active patients only, active
    prescriptions, a channel the patient did not refuse (SMS for one who prefers SMS or phone),
    emails with a subject naming no medication, SMS logged as not sent for want of a gateway."""
    Reminder = env.get('pharmacy.reminder')
    if Reminder is None:
        pytest.skip('pharmacy_crm_reminder is not installed')
    from odoo.addons.pharmacy_crm_reminder.tools.reminder import mentions_any
    reminders = Reminder.search([('patient_id', 'in', _patients(env).ids)])
    assert reminders, 'no demo patient is due within the reminder window'
    for reminder in reminders:
        patient = reminder.patient_id
        assert patient.active and patient.patient_state == 'active', patient.name
        assert reminder.prescription_ids, patient.name
        assert set(reminder.prescription_ids.mapped('state')) == {'active'}, patient.name
        assert patient._pharmacy_may_contact(reminder.channel, 'treatment'), patient.name
        # the patient's preferred channel: SMS or phone with a number to text gets SMS
        if patient.preferred_contact_channel in ('sms', 'phone') and \
                (patient.mobile or patient.phone) and \
                patient._pharmacy_may_contact('sms', 'treatment'):
            assert reminder.channel == 'sms', patient.name
        assert bool(reminder.fill_ids) == (reminder.reminder_type == 'pickup'), patient.name
        if reminder.channel == 'email':
            assert reminder.outcome == 'sent' and reminder.mail_id.recipient_ids == patient, \
                patient.name
            names = patient.prescription_ids.mapped('medication_id.name')
            assert not mentions_any(reminder.subject, names), reminder.subject
        else:
            assert (reminder.outcome, reminder.reason) == ('not_sent', 'no_sms_gateway')


def test_feedback_and_campaign_return_tell_the_truth(env):
    """The marketing reports' demo (pharmacy_crm_marketing_report, pharmacy_crm_feedback): the
    demo mailing's hold-out never got it, its recipients and held-out patients are patients
    marketing may reach; each satisfaction survey answer is from a patient with a granted email
    marketing consent, at most one a quarter per patient; the NPS report adds up to the
    answers, and every detractor has a service recovery activity on the patient."""
    mailing = env.ref('pharmacy_crm_marketing_report.demo_mailing_flu_shots',
                      raise_if_not_found=False)
    if mailing is not None:
        held = env['pharmacy.mailing.holdout'].search([('mailing_id', '=', mailing.id)])
        stats = env['mail.mail.statistics'].search([('mass_mailing_id', '=', mailing.id)])
        assert held and stats
        assert not set(held.mapped('res_id')) & set(stats.mapped('res_id'))
        patients = env['res.partner'].browse(held.mapped('res_id') + stats.mapped('res_id'))
        for patient in patients:
            assert patient._pharmacy_may_contact('email', 'marketing'), patient.name
        row = env['pharmacy.campaign.return.report'].search([('mailing_id', '=', mailing.id)])
        assert (row.recipient_count, row.holdout_count) == (len(stats), len(held))
        # the story: the mailing brought more patients back than came back without it
        assert row.return_points > 0
    survey = env.ref('pharmacy_crm_feedback.survey_pharmacy_feedback', raise_if_not_found=False)
    if survey is None:
        return
    answers = env['survey.user_input'].search([('survey_id', '=', survey.id),
                                               ('state', '=', 'done'),
                                               ('partner_id', 'in', _patients(env).ids)])
    assert len(answers) >= 10
    for patient in answers.mapped('partner_id'):
        assert patient._pharmacy_may_contact('email', 'marketing'), patient.name
        dates = sorted(_date(a.pharmacy_answered_on) for a in answers
                       if a.partner_id == patient)
        assert all((b - a).days >= 90 for a, b in zip(dates, dates[1:])), patient.name
    report = env['pharmacy.nps.report'].search([])
    assert sum(report.mapped('response_count')) >= len(answers)
    detractors = answers.filtered(lambda a: a.pharmacy_nps_score <= 6)
    assert detractors and detractors.mapped('pharmacy_category') == ['detractor'] * len(
        detractors)
    for answer in detractors:
        assert env['mail.activity'].search_count([
            ('res_model', '=', 'res.partner'), ('res_id', '=', answer.partner_id.id),
            ('summary', 'like', 'Service recovery')]), answer.partner_id.name


def test_retention_tells_a_story(env):
    """pharmacy_crm_marketing_report's demo: patients lapse in several months and some come
    back, so churn is not flat; every month adds up (active = active the month before -
    lapsed + new + returned); the story's patients are what the report says: those who
    stopped have no counted fill in the last 90 days, those who came back had a gap of more
    than 90 days and a fill in the last 90."""
    if 'pharmacy.retention.report' not in env:
        pytest.skip('pharmacy_crm_marketing_report is not installed')
    today = pharmacy_today()
    company = env.ref('base.main_company')
    rows = env['pharmacy.retention.report'].search([('company_id', '=', company.id)],
                                                   order='month')
    for row in rows:
        assert row.active_count == (row.previous_active_count - row.lapsed_count
                                    + row.new_count + row.returned_count), row.month
    assert len(rows.filtered(lambda r: r.lapsed_count and r.churn_rate > 0)) >= 3
    assert sum(rows.mapped('returned_count')) >= 2
    for key, came_back in (('harold', False), ('marta', False), ('dennis', False),
                           ('lucia', False), ('walter', True), ('nadia', True)):
        patient = env.ref('pharmacy_crm_marketing_report.demo_retention_patient_%s' % key)
        fills = sorted(_date(f.fill_date) for f in patient.fill_ids if f.counts)
        assert ((today - fills[-1]).days < 90) == came_back, key
        gaps = [(b - a).days for a, b in zip(fills, fills[1:])]
        assert (max(gaps) > 90) == came_back, key


def test_the_journeys_tell_the_story(env):
    """pharmacy_crm_journey's demo: the welcome series and the lapsed win-back run, their
    participants at several steps and out by several exits, each path the engine's own and
    consistent with the patient's fills and consent: a welcome participant entered within 7
    days of their first fill, a win-back one 90 to 120 days after their last; each had a
    granted email marketing consent, or left the journey when it was withdrawn; a goal exit
    follows a fill; every mail sent has its statistics and none waits for a mail server."""
    if 'pharmacy.journey' not in env:
        pytest.skip('pharmacy_crm_journey is not installed')
    welcome = env.ref('pharmacy_crm_journey.pharmacy_journey_welcome')
    winback = env.ref('pharmacy_crm_journey.pharmacy_journey_winback')
    assert (welcome.state, winback.state) == ('running', 'running')
    participants = (welcome | winback).mapped('participant_ids')
    for participant in participants:
        patient, entry = participant.patient_id, _date(participant.entry_date)
        fills = sorted(_date(f.fill_date) for f in patient.fill_ids if f.counts)
        if participant.journey_id == welcome:
            assert entry - timedelta(days=6) <= fills[0] <= entry, patient.name
        else:
            last = max(day for day in fills if day < entry)
            assert 90 <= (entry - last).days <= 120, patient.name
        consent = patient.consent_ids.filtered(
            lambda c: c.channel == 'email' and c.purpose == 'marketing')
        assert consent.state == 'granted' or (
            participant.exit_reason in ('consent', 'unsubscribed')
            and _date(consent.date) <= _date(participant.exit_date)), patient.name
        if participant.exit_reason == 'goal':
            assert any(entry <= day <= _date(participant.exit_date) for day in fills)
        # the demo's mails of past days are marked sent; from 10:00 UTC the served instances'
        # scheduled action may run the journeys today, and its mails are real, outgoing
        for step in participant.history_ids.filtered(
                lambda h: h.outcome == 'sent' and _date(h.date) < pharmacy_today()):
            assert step.statistics_id.sent and not step.statistics_id.mail_mail_id.filtered(
                lambda mail: mail.state == 'outgoing'), patient.name

    def where(key):
        patient = env.ref('pharmacy_crm_journey.demo_journey_patient_%s' % key)
        participant = participants.filtered(lambda p: p.patient_id == patient)
        return participant.state, participant.step_id.name, participant.exit_reason
    assert where('olivia') == ('active', 'Refill sync candidate?', False)
    assert where('ethan') == ('active', 'Feedback mail', False)
    assert where('grace') == ('done', False, False)
    assert where('samuel') == ('exited', False, 'consent')
    assert where('frank') == ('done', False, False)
    assert where('irene') == ('active', 'Still no fill?', False)
    assert where('victor') == ('exited', False, 'goal')
    activities = env['mail.activity'].search([
        ('res_model', '=', 'res.partner'), ('summary', 'in', ('Offer refill sync',
                                                              'Call the patient'))])
    ours = env['ir.model.data'].search([('module', '=', 'pharmacy_crm_journey'),
                                        ('model', '=', 'res.partner')]).mapped('res_id')
    assert sorted((a.summary, a.res_name) for a in activities if a.res_id in ours) == [
        ('Call the patient', 'Frank Delgado'), ('Offer refill sync', 'Ethan Moreau')]
    assert set(activities.mapped('user_id')) <= {env.ref('pharmacy_crm.user_pharmacist')}
