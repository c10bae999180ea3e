"""A pharmacy manager changes the refill threshold in the settings while a technician records
fills, over XML-RPC from two threads, 10 rounds. After each round the parameter holds the value
the manager saved (no lost change) and every prescription's refill-too-soon date is its last
fill + ceil(days supply x the committed threshold) (none computed with another value).

Each round the technician records the first fill of a prescription that had none, and a refill
of one that has fills: a threshold change that rewrote only the prescriptions it could see would
miss the first, and a fill that read the threshold outside its transaction would break either.
"""
import os
import threading
import time
import xmlrpc.client
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from conftest import ARTIFACTS

ROUNDS = 10
KEY = 'pharmacy_crm.refill_threshold'
THRESHOLDS = ['0.7', '0.75', '0.85', '0.9', '0.8']     # each differs from the one before
WRITTEN = date(2024, 1, 1)
ROUND_TIMEOUT = 180   # seconds: Odoo retries a call up to 5 times, waiting up to 2^n s


def _rpc(url, db, login):
    """call(model, method, *args, **kwargs) as ``login`` (password = login)."""
    uid = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/common').authenticate(db, login, login, {})
    assert uid, '%s could not log in' % login

    def call(model, method, *args, **kwargs):
        # a proxy per call: xmlrpc.client proxies are not thread-safe
        proxy = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/object')
        return proxy.execute_kw(db, uid, login, model, method, list(args), kwargs)
    return call


def _expected(fills, threshold):
    """Refill-too-soon date from the counted fills, computed here independently of Odoo."""
    counted = [f for f in fills if f['state'] != 'returned']
    if not counted:
        return False
    last = max(counted, key=lambda f: f['fill_date'])
    days = (Decimal(last['days_supply']) * Decimal(threshold)).to_integral_value(ROUND_CEILING)
    filled = date(*map(int, last['fill_date'].split('-')))
    return (filled + timedelta(days=int(days))).isoformat()


def _short(error):
    """The last line of an error: an XML-RPC fault carries the server's whole traceback."""
    text = getattr(error, 'faultString', None) or repr(error)
    return text.strip().splitlines()[-1]


def _threads(*functions):
    """Run the functions at once; return the exception each raised (None when it did not)."""
    errors = [None] * len(functions)

    def run(index, function):
        try:
            function()
        except Exception as err:    # reported, not swallowed: the round fails on it
            errors[index] = err
    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(ROUND_TIMEOUT)
        assert not thread.is_alive(), 'a call did not return within %ss' % ROUND_TIMEOUT
    return errors


def _retries_logged():
    """Serialisation failures Odoo logged and retried so far (the race really happened)."""
    try:
        with open(os.path.join(ARTIFACTS, 'odoo-server.log')) as log:
            return sum('retry' in line and 'SERIALIZATION_FAILURE' in line for line in log)
    except OSError:
        return 0


def test_threshold_change_races_fills(odoo_server, db_name, admin_rpc, env):
    suffix = int(time.time())
    logins = {}
    for role in ('manager', 'technician'):
        login = 'race_%s_%d' % (role, suffix)
        admin_rpc('res.users', 'create', {
            'name': 'Race %s' % role.title(), 'login': login, 'password': login,
            'email': '%s@example.com' % login,
            'groups_id': [(6, 0, [env.ref('pharmacy_crm.group_pharmacy_%s' % role).id])]})
        logins[role] = login
    manager = _rpc(odoo_server, db_name, logins['manager'])
    technician = _rpc(odoo_server, db_name, logins['technician'])

    patient = admin_rpc('res.partner', 'create', {'name': 'Race Patient %d' % suffix,
                                                  'is_patient': True,
                                                  'birthdate_date': '1960-01-01', 'nkda': True})
    medication = admin_rpc('pharmacy.medication', 'create', {
        'name': 'Race Medication %d' % suffix, 'strength': '10 mg'})

    def prescription(number, refills):
        return admin_rpc('pharmacy.patient.medication', 'create', {
            'patient_id': patient, 'medication_id': medication, 'days_supply': 30,
            'quantity': 30, 'refills_authorized': refills, 'date_written': WRITTEN.isoformat(),
            'rx_number': 'RACE-%d-%s' % (suffix, number)})
    refilled = prescription('R', ROUNDS + 1)
    admin_rpc('pharmacy.fill', 'create', {'prescription_id': refilled, 'quantity': 30,
                                          'days_supply': 30, 'fill_date': '2024-01-02'})
    first_filled = [prescription(i, 0) for i in range(ROUNDS)]
    prescriptions = [refilled] + first_filled
    [original] = admin_rpc('ir.config_parameter', 'search_read', [('key', '=', KEY)], ['value'])
    retries_before = _retries_logged()

    problems = []
    try:
        for i in range(ROUNDS):
            threshold = THRESHOLDS[i % len(THRESHOLDS)]
            barrier = threading.Barrier(2, timeout=ROUND_TIMEOUT)

            def change(i=i, threshold=threshold, barrier=barrier):
                if i % 2:       # odd rounds: the fills race the creation of the settings too
                    barrier.wait()
                settings = manager('res.config.settings', 'create',
                                   {'pharmacy_refill_threshold': float(threshold)})
                if not i % 2:   # even rounds: they race the save itself
                    barrier.wait()
                manager('res.config.settings', 'execute', [settings])

            def fill(i=i, barrier=barrier):
                barrier.wait()
                # the refills come every 17 days with 18 days supply: never too soon for a
                # threshold up to 0.9 (ceil(16.2) = 17), and each threshold gives its own date
                for rx, day, days in ((first_filled[i], 40 + i, 20 + i),
                                      (refilled, 30 + 17 * i, 18)):
                    technician('pharmacy.fill', 'create', {
                        'prescription_id': rx, 'quantity': days, 'days_supply': days,
                        'fill_date': (WRITTEN + timedelta(days=day)).isoformat()})

            change_error, fill_error = _threads(change, fill)
            if change_error:
                problems.append('round %d: threshold change lost: %s' % (i, _short(change_error)))
            if fill_error:
                problems.append('round %d: fill lost: %s' % (i, _short(fill_error)))
            [param] = admin_rpc('ir.config_parameter', 'search_read', [('key', '=', KEY)],
                                ['value'])
            if param['value'] != threshold:
                problems.append('round %d: saved %s, the parameter holds %s'
                                % (i, threshold, param['value']))
            fills = admin_rpc('pharmacy.fill', 'search_read',
                              [('prescription_id', 'in', prescriptions)],
                              ['prescription_id', 'fill_date', 'days_supply', 'state'])
            for rx in admin_rpc('pharmacy.patient.medication', 'read', prescriptions,
                                ['rx_number', 'refill_eligible_date']):
                expected = _expected([f for f in fills if f['prescription_id'][0] == rx['id']],
                                     param['value'])
                if rx['refill_eligible_date'] != expected:
                    problems.append('round %d: %s refill too soon until %s, not %s (threshold '
                                    '%s)' % (i, rx['rx_number'], rx['refill_eligible_date'],
                                             expected, param['value']))
    finally:
        settings = manager('res.config.settings', 'create',
                           {'pharmacy_refill_threshold': float(original['value'])})
        manager('res.config.settings', 'execute', [settings])
        admin_rpc('pharmacy.patient.medication', 'write', prescriptions, {'active': False})
        admin_rpc('res.partner', 'write', [patient], {'active': False})
        admin_rpc('pharmacy.medication', 'write', [medication], {'active': False})

    print('%d serialisation failures retried by Odoo during the race'
          % (_retries_logged() - retries_before))
    assert problems == [], '\n'.join(problems)
