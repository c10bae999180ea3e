"""OCA's suites pass with our addons installed (#17): the log scripts/oca_suites.sh wrote.

The script installs the OCA addons marked ``# suite`` in requirements-oca.txt with their tests
into a copy of the test database. This test reads its log (``$PHARMACY_OCA_LOG``, by default
var/log/oca-suites.log): each suite ran exactly the tests it has, and the log has no failed
test, no error and no warning of our addons (scripts/check_log.py). Skipped only when the log
is absent and ``PHARMACY_OCA_LOG`` is unset (the script did not run); the checks themselves are
tried on logs written here, so that they cannot pass without looking.
"""
import importlib.util
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_LOG = os.path.join(ROOT, 'var', 'log', 'oca-suites.log')
# the tests of each suite at the version pinned in requirements-oca.txt: change with the pin
EXPECTED_TESTS = {'privacy_consent': 7, 'mass_mailing_partner': 9}

_spec = importlib.util.spec_from_file_location(
    'check_log', os.path.join(ROOT, 'scripts', 'check_log.py'))
check_log = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_log)


def suites(requirements=os.path.join(ROOT, 'requirements-oca.txt')):
    """The addons whose line in requirements-oca.txt is marked ``# suite``, as oca_suites.sh
    reads them."""
    with open(requirements, encoding='utf-8') as lines:
        return [match.group(1).replace('-', '_') for match in (
            re.match(r'odoo11-addon-([A-Za-z0-9-]+)==\S+\s+#\s*suite\s*$', line)
            for line in lines) if match]


def count_ran(lines, module):
    """How many tests of ``module`` Odoo's runner ran, by its "Ran N tests" lines."""
    ran = re.compile(r' odoo\.addons\.%s\.tests\.\w+: Ran (\d+) tests?' % re.escape(module))
    return sum(int(match.group(1)) for match in map(ran.search, lines) if match)


def verdict(lines, modules):
    """What is wrong with a log of the suites of ``modules``: [] when each ran its expected
    number of tests and check_log finds nothing."""
    wrong = check_log.problems(lines)
    for module in modules:
        count = count_ran(lines, module)
        if module not in EXPECTED_TESTS:
            wrong.append('%s: %d tests ran; put its number of tests in EXPECTED_TESTS'
                         % (module, count))
        elif count != EXPECTED_TESTS[module]:
            wrong.append('%s: %d tests ran, not %d' % (module, count, EXPECTED_TESTS[module]))
    return wrong


def test_the_oca_suites_ran_and_passed(request):
    if os.environ.get('PHARMACY_CHECK_DB_PREFIX'):
        request.getfixturevalue('check_dbs')   # `make test` writes the log in the background
    path = os.environ.get('PHARMACY_OCA_LOG') or DEFAULT_LOG
    if not os.path.exists(path) and not os.environ.get('PHARMACY_OCA_LOG'):
        pytest.skip('%s is absent and PHARMACY_OCA_LOG is unset: run scripts/oca_suites.sh '
                    'on a copy of the test database first' % path)
    assert os.path.exists(path), 'PHARMACY_OCA_LOG=%s: no such log' % path
    with open(path, encoding='utf-8', errors='replace') as log:
        lines = log.readlines()
    modules = suites()
    assert set(modules) == set(EXPECTED_TESTS), modules
    wrong = verdict(lines, modules)
    assert not wrong, '%s:\n%s' % (path, '\n'.join(wrong))


# --- the checks, on logs written here -------------------------------------------------------
PREFIX = '2026-12-04 23:51:48,670 2111 '


def _ran(module, count, name='test_x'):
    return PREFIX + 'INFO db odoo.addons.%s.tests.%s: Ran %d test%s in 0.161s' % (
        module, name, count, '' if count == 1 else 's')


def test_requirements_mark_the_suites():
    assert suites() == ['privacy_consent', 'mass_mailing_partner']


def test_a_passing_log_passes():
    lines = [_ran('privacy_consent', 7), _ran('mass_mailing_partner', 2, 'test_a'),
             _ran('mass_mailing_partner', 7, 'test_b'),
             PREFIX + 'WARNING db odoo.models: res.partner.create() includes unknown fields: '
                      'notify_email']
    assert verdict(lines, ['privacy_consent', 'mass_mailing_partner']) == []


def test_errors_missing_and_unknown_suites_fail():
    """What the log said before #17: privacy_consent's 7 tests in error; a suite that did not
    run; a suite whose number of tests is not known."""
    errors = [_ran('privacy_consent', 7),
              PREFIX + 'ERROR db odoo.addons.privacy_consent.tests.test_consent: FAILED',
              PREFIX + 'ERROR db odoo.modules.module: Module privacy_consent: 0 failures, '
                       '7 errors']
    assert verdict(errors, ['privacy_consent']) == errors[1:]
    assert verdict([_ran('privacy_consent', 7)], ['privacy_consent', 'mass_mailing_partner']) \
        == ['mass_mailing_partner: 0 tests ran, not 9']
    assert verdict([_ran('new_neighbour', 3)], ['new_neighbour']) == [
        'new_neighbour: 3 tests ran; put its number of tests in EXPECTED_TESTS']
