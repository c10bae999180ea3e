# Odoo's test runner runs the TransactionCase modules listed here; the pure-Python tests of
# tools/ (test_tools.py) are plain pytest functions, run by pytest only.
from . import test_access
from . import test_fill
from . import test_medication
from . import test_patient
from . import test_prescriber
from . import test_prescription
from . import test_queries
from . import test_phi_protection
from . import test_validation
from . import test_access_log
from . import test_settings
from . import test_setting_registry
from . import test_staff_without_email
from . import test_translation
from . import test_counter
from . import test_worklists
from . import test_pharmacy_date
from . import test_dates_sql
from . import test_unknown_fields
from . import test_server_fields
from . import test_states
