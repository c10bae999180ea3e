from . import test_marketing_access
from . import test_leave_mailing_lists
from . import test_send_time_consent
from . import test_opt_out_consent
from . import test_segment
from . import test_value_score
