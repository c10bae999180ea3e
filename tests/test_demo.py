"""The demo pharmacy that `make run` shows: big enough and real enough to try every screen."""
from datetime import date, timedelta

from odoo import fields
from odoo.addons.pharmacy_crm.tools import is_valid_dea, is_valid_npi


def _demo(env, model):
    xmlids = env['ir.model.data'].search([('module', '=', 'pharmacy_crm'), ('model', '=', model),
                                          ('name', '=like', 'demo_%')])
    return env[model].browse(xmlids.mapped('res_id'))


def test_demo_sizes(env):
    patients = _demo(env, 'res.partner').filtered('is_patient')
    prescribers = _demo(env, 'res.partner').filtered('is_prescriber')
    assert len(patients) == 25
    assert len(prescribers) == 10
    assert len(_demo(env, 'pharmacy.medication')) == 40
    for prescriber in prescribers:
        assert is_valid_npi(prescriber.npi)
        assert is_valid_dea(prescriber.dea_number, prescriber._prescriber_last_name())


def test_demo_fills_cover_a_year_with_late_and_returned_fills(env):
    fills = _demo(env, 'pharmacy.fill')
    dates = sorted(fields.Date.from_string(d) for d in fills.mapped('fill_date'))
    assert dates[-1] - dates[0] >= timedelta(days=330)
    assert fills.filtered(lambda f: f.state == 'returned')
    assert fills.filtered(lambda f: f.state == 'ready')
    today = fields.Date.to_string(date.today())
    overdue = _demo(env, 'res.partner').filtered(
        lambda p: p.is_patient and p.next_due_date and p.next_due_date < today)
    assert overdue, 'some demo patients are late for a refill'


def test_demo_profiles_have_alerts_preferences_and_consent(env):
    patients = _demo(env, 'res.partner').filtered('is_patient')
    assert patients.filtered('has_alerts')
    assert patients.filtered(lambda p: p.generic_preference == 'brand_only')
    assert patients.mapped('manufacturer_preference_ids').filtered(
        lambda m: m.required_by == 'insurer')
    consents = patients.mapped('consent_ids')
    assert {'granted', 'refused', 'not_asked'} <= set(consents.mapped('state'))
    assert patients.filtered('on_controlled_substance')
