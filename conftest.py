# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""pytest over the whole repository.

`make test` (scripts/test.sh) first installs the addons with Odoo's test runner, which runs
every Odoo test case of the addons (the modules their ``tests/__init__.py`` imports), and fails
on any failure in its log. It then runs pytest with ``PHARMACY_ODOO_TESTS_RAN=1``: the addons'
Odoo test cases are deselected (they ran minutes ago on the same code), and pytest runs what
Odoo's runner cannot, i.e. the addons' pure tests (``pharmacy_crm/tests/test_tools*.py``, ...)
and ``tests/``. Without the variable (a developer running ``pytest pharmacy_crm``), everything
collected runs.
"""
import glob
import os

# every addon of the product, as scripts/env.sh finds them
ADDONS = tuple(sorted(os.path.basename(os.path.dirname(path)) for path in glob.glob(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), 'pharmacy_crm*', '__manifest__.py'))))


# tests on the databases scripts/build_check_dbs.sh builds in the background during `make test`:
# they run last, so that the build overlaps the rest of the suite (tests/conftest.py `check_dbs`)
LAST = ('tests/test_addon_structure.py', 'tests/test_oca_suites.py')


def pytest_collection_modifyitems(config, items):
    root = str(config.rootdir)
    items.sort(key=lambda item: os.path.relpath(str(item.fspath), root) in LAST)   # stable
    if os.environ.get('PHARMACY_ODOO_TESTS_RAN') != '1':
        return
    from odoo.tests.common import BaseCase
    kept, ran = [], []
    for item in items:
        cls = getattr(item, 'cls', None)
        path = os.path.relpath(str(item.fspath), root)
        in_addon = path.split(os.sep, 1)[0] in ADDONS
        (ran if in_addon and cls is not None and issubclass(cls, BaseCase) else kept).append(item)
    if ran:
        config.hook.pytest_deselected(items=ran)
        items[:] = kept
