"""`make bench`: the pharmacy measured against PostgreSQL itself, in a benchmark database.

    python scripts/bench.py ODOO_CONF DB [--runs 5] [--data DIR] [--load-sample 20]

DB is a database built by `make bench-data` (`scripts/bench_data.sh`: the generator's
var/bench/<N>/base.csv imported through the importer, its last day kept in day.csv). Prints
ONE table: operation, scale, median of the runs, SQL queries of one run, the same answer as
one SQL statement and its median time, the ratio, and whether the ORM and SQL answers are
equal. Every run happens in a transaction that is rolled back (the database is unchanged):

- full import: base.csv into a new, empty company (patients, prescribers, prescriptions and
  fills are per company; the catalog is shared, so medications are matched); its SQL twin is
  a bare COPY of the same file into a staging table;
- re-import: base.csv again into the bench company (changes nothing); twin: the COPY;
- one more day: day.csv into the bench company; twin: the COPY of day.csv;
- patient list, due in 7 days, first page of 80 (as a technician); patient form with all
  its pages (the counter form, its prescriptions and fills: the first page of 40 lines of
  each list, as the web client reads them); one fill at the counter;
- Odoo's own import (`load()`, what Contacts > Import calls) of the same patients,
  prescriptions and fills for a sample of patients into a new company: rows per second,
  extrapolated to the whole file;
- the rows of every `scripts/bench_*.py` module (`rows(env, runs=N)`), e.g. other features'
  benches, on the bench database's own patients (a feature's records written set-based in the
  rolled-back transaction); `--runs` is at most each module's own number of runs (fewer above
  50,000 patients: the runs column says how many).
"""
import argparse
import contextlib
import csv
import datetime
import glob
import importlib.util
import inspect
import os
import statistics
import sys
import time

from lxml import etree

import odoo
from odoo import api

HERE = os.path.dirname(os.path.abspath(__file__))
# the lines of a one-to-many list the web client reads when a form opens (its first page)
FORM_PAGE = 40


@contextlib.contextmanager
def rolled_back_env(conf, db):
    """The superuser's environment (mail tracking off) on the database ``db`` of the Odoo
    configuration file ``conf``; its transaction is rolled back at the end, so that a bench
    leaves the database unchanged. The ``main`` of every bench script runs in it."""
    odoo.tools.config.parse_config(['-c', conf, '--log-level=warn'])
    with api.Environment.manage(), odoo.registry(db).cursor() as cr:
        try:
            yield api.Environment(cr, odoo.SUPERUSER_ID, {'tracking_disable': True})
        finally:
            cr.rollback()


def timed(cr, function, runs, rollback=True):
    """Run ``function`` ``runs`` times, each in a savepoint rolled back when ``rollback``:
    (seconds of each run, queries of the first, result of the first)."""
    seconds, queries, result = [], None, None
    for index in range(runs):
        cr.execute('SAVEPOINT bench')
        count, start = cr.sql_log_count, time.perf_counter()
        value = function()
        seconds.append(time.perf_counter() - start)
        if index == 0:
            queries, result = cr.sql_log_count - count, value
        cr.execute('ROLLBACK TO SAVEPOINT bench' if rollback else 'RELEASE SAVEPOINT bench')
    return seconds, queries, result


def sql_timed(cr, function, runs):
    seconds, _queries, result = timed(cr, function, runs)
    return statistics.median(seconds), result


def bare_copy(cr, path):
    """COPY the file into an unlogged staging table of text columns: rows copied."""
    with open(path, encoding='utf-8') as handle:
        header = handle.readline().strip().split(',')
        columns = ', '.join('"%s" text' % column for column in header)
        cr.execute('CREATE TEMP TABLE bench_copy (%s)' % columns)
        cr.copy_expert('COPY bench_copy FROM STDIN WITH (FORMAT csv)', handle)
    cr.execute('SELECT count(*) FROM bench_copy')
    count = cr.fetchone()[0]
    cr.execute('DROP TABLE bench_copy')
    return count


def bench_company(env):
    """The company the dispensing file was imported into: that of the latest imported
    patient (a database may hold others, e.g. demo data)."""
    return env['res.partner'].search([('is_patient', '=', True), ('dispensing_id', '!=', False)],
                                     order='id desc', limit=1).company_id


def import_rows(env, path, company, runs):
    """Import ``path`` for ``company`` and its bare COPY: one row of the table."""
    importer = env['pharmacy.import'].with_context(tracking_disable=True)

    def run():
        with open(path, 'rb') as handle:
            return importer._import_file(handle, company())[0]
    seconds, queries, counts = timed(env.cr, run, runs)
    sql_seconds, copied = sql_timed(env.cr, lambda: bare_copy(env.cr, path), runs)
    return seconds, queries, sql_seconds, copied == counts['rows'], counts


def bench_imports(env, data_dir, runs):
    """The three imports, each ``runs`` times (and its bare COPY as many times)."""
    rows = []
    base, day = os.path.join(data_dir, 'base.csv'), os.path.join(data_dir, 'day.csv')
    patients = env['res.partner'].search_count([('is_patient', '=', True)])
    imported = bench_company(env)

    def new_company():
        return env['res.company'].create({'name': 'Bench empty pharmacy %f' % time.time()})
    for label, path, company in (
            ('import the whole file into an empty pharmacy', base, new_company),
            ('re-import the same file (no change)', base, lambda: imported),
            ('import one more day', day, lambda: imported)):
        seconds, queries, sql_seconds, equal, counts = import_rows(env, path, company, runs)
        rows.append({'operation': '%s (%d rows)' % (label, counts['rows']),
                     'scale': patients, 'seconds': seconds, 'queries': queries,
                     'sql_seconds': sql_seconds, 'equal': equal})
    return rows


def peer_row(ours, operation, seconds, queries, answer, expected=None):
    """The row of Odoo's own screen doing what the row ``ours`` does, on the same records as
    the same user (its peer); ``ours`` gets the ratio of its median time to the peer's and
    both query counts (the peer's answer must be ``expected`` when given)."""
    ratio = statistics.median(ours['seconds']) / statistics.median(seconds)
    ours['peer'] = '%.1f (%s / %s queries)' % (ratio, ours['queries'], queries)
    return {'operation': 'peer: %s' % operation, 'scale': ours['scale'], 'seconds': seconds,
            'queries': queries, 'sql_seconds': None,
            'equal': None if expected is None else answer == expected}


def bench_counter(env, runs):
    """List, form and one fill, as the web client asks them, as a technician."""
    cr = env.cr
    rows, scale = [], env['res.partner'].search_count([('is_patient', '=', True)])
    company = bench_company(env)
    # a technician of the patients' company (rolled back with the rest)
    technician = env['res.users'].with_context(no_reset_password=True).create({
        'name': 'Bench Technician', 'login': 'bench_technician_%f' % time.time(),
        'company_id': company.id, 'company_ids': [(6, 0, company.ids)],
        'groups_id': [(6, 0, env.ref('pharmacy_crm.group_pharmacy_technician').ids)]})
    Partner = env['res.partner'].sudo(technician)
    limit = (datetime.date.fromisoformat(company.pharmacy_today())
             + datetime.timedelta(days=7)).isoformat()
    tree = Partner.fields_view_get(
        view_id=env.ref('pharmacy_crm.res_partner_patient_view_tree').id
        if env.ref('pharmacy_crm.res_partner_patient_view_tree', raise_if_not_found=False)
        else None, view_type='tree')
    domain = [('is_patient', '=', True), ('next_due_date', '<=', limit)]
    # the technician's companies, as the record rules read them (theirs and its children)
    companies = env['res.company'].search([('id', 'child_of', company.id)]).ids

    def orm_list():
        Partner.invalidate_cache()
        records = Partner.search_read(domain, list(tree['fields']), limit=80,
                                      order='name, id')
        return [record['id'] for record in records]

    def sql_list():
        cr.execute('SELECT id FROM res_partner WHERE is_patient AND active AND '
                   'next_due_date <= %s AND company_id = ANY(%s) ORDER BY name, id LIMIT 80',
                   [limit, companies])
        return [r[0] for r in cr.fetchall()]
    orm_list()
    seconds, queries, ids = timed(cr, orm_list, runs)
    sql_seconds, sql_ids = sql_timed(cr, sql_list, runs)
    rows.append({'operation': 'patient list, due in 7 days, first page of 80', 'scale': scale,
                 'seconds': seconds, 'queries': queries, 'sql_seconds': sql_seconds,
                 'equal': ids == sql_ids})
    # the peer: Odoo's contact list (its own tree view) on the same records, same user
    contact_tree = Partner.fields_view_get(view_id=env.ref('base.view_partner_tree').id,
                                           view_type='tree')

    def peer_list():
        Partner.invalidate_cache()
        records = Partner.search_read([('id', 'in', ids)], list(contact_tree['fields']),
                                      order='name, id')
        return [record['id'] for record in records]
    peer_list()
    rows.append(peer_row(rows[-1], "Odoo's contact list (base.view_partner_tree), the same "
                         "records", *timed(cr, peer_list, runs), expected=ids))

    # the patient with the most fills
    cr.execute('SELECT patient_id FROM pharmacy_fill WHERE company_id = ANY(%s) '
               'GROUP BY patient_id ORDER BY count(*) DESC, patient_id LIMIT 1', [companies])
    patient = Partner.browse(cr.fetchone()[0])

    def form_reader(xmlid):
        """Read ``patient`` as the web client opens it in the form ``xmlid``: the form's
        fields, then the first page of lines of each one-to-many or many-to-many with the
        fields of its list (or kanban) sub-view (the sub-view's ``limit``, else 40 lines:
        Odoo 11's web client, ``AbstractView._setSubViewLimit``, reads no more until the
        user turns the page); returns the number of lines."""
        view = patient.fields_view_get(view_id=env.ref(xmlid).id, view_type='form')
        lines = {}
        for name, field in view['fields'].items():
            sub = field.get('views') or {}
            sub = sub.get('tree') or sub.get('kanban')
            if sub:
                page = etree.fromstring(sub['arch']).get('limit')
                lines[name] = (list(sub['fields']), int(page) if page else FORM_PAGE)

        def read():
            patient.invalidate_cache()
            [values] = patient.read(list(view['fields']))
            count = 0
            for name, (fields, page) in lines.items():
                count += len(patient[name].browse(values[name][:page]).read(fields))
            return count
        return read
    orm_form = form_reader('pharmacy_crm.res_partner_patient_view_form')

    def sql_form():
        cr.execute("""
            SELECT least((SELECT count(*) FROM pharmacy_patient_medication
                           WHERE patient_id = p.id AND state = 'active' AND active), %(page)s)
                 + least((SELECT count(*) FROM pharmacy_patient_medication
                           WHERE patient_id = p.id AND state = 'discontinued' AND active),
                         %(page)s)
                 + least((SELECT count(*) FROM pharmacy_fill WHERE patient_id = p.id),
                         %(page)s)
                 + least((SELECT count(*) FROM pharmacy_patient_note WHERE patient_id = p.id
                             AND active), %(page)s)
                 + least((SELECT count(*) FROM pharmacy_consent WHERE patient_id = p.id),
                         %(page)s)
                 + least((SELECT count(*) FROM pharmacy_manufacturer_preference
                           WHERE patient_id = p.id), %(page)s)
              FROM res_partner p WHERE p.id = %(id)s""", {'id': patient.id, 'page': FORM_PAGE})
        return cr.fetchone()[0]
    orm_form()
    seconds, queries, count = timed(cr, orm_form, runs)
    sql_seconds, sql_count = sql_timed(cr, sql_form, runs)
    rows.append({'operation': 'patient form, all pages (%d lines)' % count, 'scale': scale,
                 'seconds': seconds, 'queries': queries, 'sql_seconds': sql_seconds,
                 'equal': count == sql_count})
    # the peer: Odoo's contact form on the same partner, same user
    peer_form = form_reader('base.view_partner_form')
    peer_form()
    rows.append(peer_row(rows[-1], "Odoo's contact form (base.view_partner_form), the same "
                         "partner", *timed(cr, peer_form, runs)))

    # creating a patient with a prescription, with the chatter, vs a contact with the chatter
    rx_model = env['pharmacy.patient.medication']
    template = rx_model.search([('company_id', 'in', companies), ('schedule', '=', 'none')],
                               limit=1)
    stamp = [0]

    def orm_create():
        stamp[0] += 1
        new = Partner.create({'name': 'Bench Patient %d' % stamp[0], 'is_patient': True,
                              'birthdate_date': '1950-01-01', 'phone': '555-0100',
                              'nkda': True})
        rx_model.sudo(technician).create({
            'patient_id': new.id, 'medication_id': template.medication_id.id,
            'prescriber_id': template.prescriber_id.id, 'rx_number': 'BENCH%d' % stamp[0],
            'days_supply': 30, 'quantity': 30, 'refills_authorized': 5,
            'date_written': company.pharmacy_today()})
        return new.id

    def peer_create():
        stamp[0] += 1
        return Partner.create({'name': 'Bench Contact %d' % stamp[0],
                               'phone': '555-0100'}).id
    if template:
        seconds, queries, _id = timed(cr, orm_create, runs)
        rows.append({'operation': 'create a patient with a prescription (chatter on)',
                     'scale': scale, 'seconds': seconds, 'queries': queries,
                     'sql_seconds': None, 'equal': None})
        rows.append(peer_row(rows[-1], "Odoo's contact creation (chatter on)",
                             *timed(cr, peer_create, runs)))

    # one fill at the counter: a prescription due, refill allowed
    today = bench_company(env).pharmacy_today()
    rx = env['pharmacy.patient.medication'].search([
        ('state', '=', 'active'), ('patient_state', '=', 'active'),
        ('refills_remaining', '>', 0), ('refill_eligible_date', '<=', today),
        ('date_expiry', '>=', today), ('company_id', 'in', companies)], limit=1)
    Fill = env['pharmacy.fill'].sudo(technician).with_context(tracking_disable=True)

    def orm_fill():
        return Fill.create({'prescription_id': rx.id, 'quantity': rx.quantity or 30,
                            'days_supply': rx.days_supply, 'fill_date': today}).id

    def sql_fill():
        cr.execute("""INSERT INTO pharmacy_fill (prescription_id, patient_id, company_id,
                          medication_id, fill_date, quantity, days_supply, state, counts)
                      SELECT id, patient_id, company_id, medication_id, %s, quantity,
                             days_supply, 'filled', TRUE
                        FROM pharmacy_patient_medication WHERE id = %s RETURNING id""",
                   [today, rx.id])
        return cr.fetchone()[0]
    if rx:
        seconds, queries, _id = timed(cr, orm_fill, runs)
        sql_seconds, _sql = sql_timed(cr, sql_fill, runs)
        rows.append({'operation': 'record one fill at the counter', 'scale': scale,
                     'seconds': seconds, 'queries': queries, 'sql_seconds': sql_seconds,
                     'equal': None})
    return rows


def bench_load(env, data_dir, sample_patients=20):
    """Odoo's own import (``load()``, as Contacts > Import) of the patients, prescriptions
    and fills of the first ``sample_patients`` patients of base.csv into a new company:
    fill rows per second, extrapolated to the whole file."""
    cr = env.cr
    path = os.path.join(data_dir, 'base.csv')
    with open(path, encoding='utf-8') as handle:
        reader = csv.DictReader(handle)
        sample, total = [], 0
        keys = set()
        for row in reader:
            total += 1
            if row['patient_id'] in keys or len(keys) < sample_patients:
                keys.add(row['patient_id'])
                sample.append(row)
    meds = dict(env['pharmacy.medication'].search([]).mapped(lambda m: (m.ndc, m.id)))
    prescribers = {p.npi: p.id for p in env['res.partner'].search([('is_prescriber', '=', True)])}
    cr.execute('SAVEPOINT bench_load')
    company = env['res.company'].create({'name': 'Bench load()'})
    user = env.user
    user.write({'company_ids': [(4, company.id)], 'company_id': company.id})
    env = env(context=dict(env.context, tracking_disable=True))
    start, count = time.perf_counter(), cr.sql_log_count
    patients = {row['patient_id']: row for row in sample}
    result = env['res.partner'].load(
        ['id', 'name', 'is_patient', 'birthdate_date', 'phone', 'allergies'],
        [['__bench__.%s' % k, '%s %s' % (r['first_name'], r['last_name']), '1', r['birthdate'],
          r['phone'], r['allergies']] for k, r in patients.items()])
    errors = [m for m in result['messages'] if m['type'] == 'error']
    prescriptions = {}
    for row in sample:
        prescriptions[row['rx_number']] = row
    result = env['pharmacy.patient.medication'].load(
        ['id', 'rx_number', 'patient_id/id', 'medication_id/.id', 'prescriber_id/.id',
         'date_written', 'refills_authorized', 'quantity', 'days_supply'],
        [['__bench__.%s' % rx, rx, '__bench__.%s' % r['patient_id'], str(meds[r['ndc']]),
          str(prescribers[r['prescriber_npi']]), r['date_written'], r['refills_authorized'],
          r['rx_quantity'], r['rx_days_supply']] for rx, r in prescriptions.items()])
    errors += [m for m in result['messages'] if m['type'] == 'error']
    result = env['pharmacy.fill'].load(
        ['prescription_id/id', 'fill_date', 'quantity', 'days_supply', 'state', 'pickup_date'],
        [['__bench__.%s' % r['rx_number'], r['fill_date'], r['quantity'], r['days_supply'],
          r['state'], r['pickup_date']] for r in sample])
    errors += [m for m in result['messages'] if m['type'] == 'error']
    seconds = time.perf_counter() - start
    queries = cr.sql_log_count - count
    cr.execute('ROLLBACK TO SAVEPOINT bench_load')
    env.clear()
    rate = len(sample) / seconds
    return {'operation': "Odoo's load() of %d rows (%d patients): %.0f rows/s, %d errors; "
                         "whole file extrapolated" % (len(sample), len(patients), rate,
                                                      len(errors)),
            'scale': env['res.partner'].search_count([('is_patient', '=', True)]),
            'seconds': [total / rate], 'queries': int(queries * total / len(sample)),
            'sql_seconds': None, 'equal': None}


def module_rows(env, runs=None):
    """The rows of every scripts/bench_*.py (other features' benches): ``rows(env)``, or
    ``rows(env, runs=runs)`` when given (``--runs``) and the module's ``rows`` takes it."""
    rows = []
    for path in sorted(glob.glob(os.path.join(HERE, 'bench_*.py'))):
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, 'rows'):
            env.cr.execute('SAVEPOINT bench_module')
            try:
                takes_runs = 'runs' in inspect.signature(module.rows).parameters
                rows.extend(module.rows(env, runs=runs) if runs and takes_runs
                            else module.rows(env))
            except Exception as err:  # pylint: disable=broad-except
                # one feature's bench that cannot run here (e.g. it needs demo data) is
                # reported as a row, the others still run
                rows.append({'operation': '%s: not measured (%s: %s)' % (
                    name, type(err).__name__, str(err).splitlines()[0][:120]),
                    'scale': None, 'seconds': [], 'queries': None, 'sql_seconds': None,
                    'equal': None})
            env.cr.execute('ROLLBACK TO SAVEPOINT bench_module')
            env.clear()
    return rows


HEADER = ('| operation | scale | median s | runs | queries | SQL s | ratio | equal | '
          'x Odoo peer |\n'
          '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |\n')


def format_row(row):
    """One line of the table, as Markdown: BENCHMARKS.md copies it."""
    median = statistics.median(row['seconds']) if row['seconds'] else None
    sql = row.get('sql_seconds')
    return '| %s | %s | %s | %d | %s | %s | %s | %s | %s |\n' % (
        row['operation'], row['scale'] if row['scale'] is not None else '-',
        '%.4f' % median if median is not None else '-', len(row['seconds']),
        row['queries'] if row['queries'] is not None else '-',
        '%.4f' % sql if sql is not None else '-',
        '%.1f' % (median / sql) if sql and median is not None else '-',
        {True: 'yes', False: 'NO', None: '-'}[row.get('equal')], row.get('peer', '-'))


def format_table(rows):
    return HEADER + ''.join(format_row(row) for row in rows)


PARTS = ('counter', 'imports', 'load', 'modules')


def all_rows(env, data_dir, runs, load_sample=20, import_runs=None, out=None, only=PARTS,
             rollback_parts=False):
    """Every row of the table (of the ``only`` parts); each is also printed to ``out`` as
    soon as it is measured. ``rollback_parts``: the transaction rolled back after each part
    (``make bench``), as each scheduled action and screen runs in its own transaction: in
    one transaction, what the counter's, the imports' and Odoo's load() runs wrote and rolled
    back to their savepoints weighed on the crons measured after them (at 20,000 patients the
    journey cron's first run took 39 s and the reminder cron 147 s after the other parts,
    7-13 s each alone or right after the imports)."""
    rows = []
    if out:
        out.write(HEADER)
    parts = {'counter': lambda: bench_counter(env, runs),
             'imports': lambda: bench_imports(env, data_dir, import_runs or runs),
             'load': lambda: [bench_load(env, data_dir, load_sample)],
             'modules': lambda: module_rows(env, runs)}
    for part in (parts[name] for name in PARTS if name in only):
        for row in part():
            rows.append(row)
            if out:
                out.write(format_row(row))
                out.flush()
        if rollback_parts:
            env.cr.rollback()
            env.clear()
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('conf')
    parser.add_argument('db')
    parser.add_argument('--data', help='directory of base.csv and day.csv (default: the '
                                       'one make bench-data recorded in the database)')
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--import-runs', type=int,
                        help='runs of the imports (default: --runs up to 2,000 patients, '
                             '3 at 20,000, 1 from 60,000: one full import takes minutes '
                             'at 20,000 and about ten at 100,000)')
    parser.add_argument('--load-sample', type=int, default=20)
    parser.add_argument('--only', nargs='+', choices=PARTS, default=PARTS,
                        help='measure these parts only, e.g. --only imports')
    args = parser.parse_args(argv)
    with rolled_back_env(args.conf, args.db) as env:
        if not args.data:
            env.cr.execute("SELECT value FROM ir_config_parameter "
                           "WHERE key = 'pharmacy_crm.bench_data'")
            row = env.cr.fetchone()
            if not row:
                sys.exit('%s is not a bench database: run make bench-data' % args.db)
            args.data = row[0]
        if not args.import_runs:
            patients = env['res.partner'].search_count([('is_patient', '=', True)])
            args.import_runs = max(1, min(args.runs, 60000 // max(patients, 1)))
        all_rows(env, args.data, args.runs, args.load_sample, args.import_runs,
                 out=sys.stdout, only=args.only, rollback_parts=True)


if __name__ == '__main__':
    main()
