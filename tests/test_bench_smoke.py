"""`make bench` at a tiny scale: scripts/generate_dispensing.py -> the importer -> every
function of scripts/bench.py, for correctness (the ORM and SQL answers equal), not time; and
the generator's determinism. Run with pytest-odoo on the test database (``env``: rolled
back)."""
import hashlib
import importlib.util
import os

SCRIPTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'scripts')


def _script(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(SCRIPTS, name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_is_deterministic(tmp_path):
    """The same arguments give the same bytes, another seed another file; the file is in
    the importer's layout (its header is the importer's columns)."""
    generator = _script('generate_dispensing')
    digests = []
    for seed in (5, 5, 6):
        path, count = generator.write(str(tmp_path), patients=20, seed=seed, bad_rows=3)
        with open(path, 'rb') as handle:
            data = handle.read()
        digests.append(hashlib.sha256(data).hexdigest())
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]
    assert count > 20 * 3 * 3
    assert data.split(b'\n', 1)[0].decode().split(',') == list(
        generator.dispensing_csv.NAMES)


def test_bench_functions(env, tmp_path, monkeypatch):
    # the features' benches import bench (and each other) as when scripts/ runs them
    monkeypatch.syspath_prepend(SCRIPTS)
    bench = _script('bench')
    generator = _script('generate_dispensing')
    # the features' benches measure the test database's own patients (one run each)
    env = env(context={'tracking_disable': True, 'bench_smoke': True})
    company = env['res.company'].create({'name': 'Bench smoke pharmacy'})
    out = str(tmp_path)
    path, _count = generator.write(out, patients=4, seed=2)
    with open(path, encoding='utf-8') as handle:
        lines = handle.readlines()
    with open(os.path.join(out, 'base.csv'), 'w', encoding='utf-8') as handle:
        handle.writelines(lines[:-3])
    with open(os.path.join(out, 'day.csv'), 'w', encoding='utf-8') as handle:
        handle.writelines(lines[:1] + lines[-3:])
    with open(os.path.join(out, 'base.csv'), 'rb') as handle:
        counts, errors = env['pharmacy.import']._import_file(handle, company)
    assert (counts['patient_new'], errors) == (4, [])
    rows = bench.all_rows(env, out, runs=1, load_sample=2)
    table = bench.format_table(rows)
    equal = {row['operation'].rsplit(' (', 1)[0]: row['equal'] for row in rows}
    names = ('patient list, due in 7 days, first page of 80', 'patient form, all pages',
             'import the whole file into an empty pharmacy',
             're-import the same file (no change)', 'import one more day')
    assert {name: equal[name] for name in names} == {name: True for name in names}, table
    assert 're-import the same file (no change) (%d rows)' % (len(lines) - 4) in table
    assert "Odoo's load() of" in table
    # each counter screen has its peer, Odoo's own screen on the same records
    by_name = {row['operation']: row for row in rows}
    peer = by_name["peer: Odoo's contact list (base.view_partner_tree), the same records"]
    assert peer['equal'] is True and peer['queries'], table
    assert "peer: Odoo's contact form (base.view_partner_form), the same partner" in by_name
    for name, peer_name in (
            ('patient list, due in 7 days, first page of 80', peer['operation']),
            ('create a patient with a prescription (chatter on)',
             "peer: Odoo's contact creation (chatter on)")):
        assert by_name[name]['peer'].endswith('(%d / %d queries)' % (
            by_name[name]['queries'], by_name[peer_name]['queries'])), table
    assert ', 0 errors;' in table
    # every feature's rows run on the test database (its own patients), with their twins
    assert not [row for row in rows if ' not measured (' in row['operation']], table
    features = [row for row in rows if row['operation'].startswith((
        'sync board', 'due together', 'patient list: first page of 80 with the incident',
        'effective-date job'))]
    assert len(features) == 6 and all(row['equal'] for row in features), table
