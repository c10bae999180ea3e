from . import test_sync
from . import test_sync_access
from . import test_sync_pharmacy_date
