"""scripts/check_log.py turns an Odoo log into a red build on what matters, and only that."""
import importlib.util
import os

from conftest import ROOT

spec = importlib.util.spec_from_file_location(
    'check_log', os.path.join(ROOT, 'scripts', 'check_log.py'))
check_log = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_log)

PREFIX = '2026-11-23 13:00:00,000 4242 '


def test_clean_log_passes():
    lines = [PREFIX + 'INFO db odoo.modules.loading: 42 modules loaded',
             PREFIX + 'WARNING db odoo.modules.module: module website: module not found']
    assert check_log.problems(lines) == []


def test_our_warnings_any_error_and_failed_tests_fail():
    ours = PREFIX + 'WARNING db odoo.addons.pharmacy_crm.models.res_partner: no field'
    error = PREFIX + 'ERROR db odoo.addons.crm.tests: boom'
    failed = 'FAIL: test_due_date (odoo.addons.pharmacy_crm.tests.test_fill.TestFill)'
    summary = PREFIX + 'ERROR db odoo.modules.module: Module pharmacy_crm: 1 failures, 0 errors'
    assert check_log.problems([ours, error, failed, summary]) == [ours, error, failed, summary]
