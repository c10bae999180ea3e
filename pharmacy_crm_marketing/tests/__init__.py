from . import test_marketing_access
from . import test_leave_mailing_lists
