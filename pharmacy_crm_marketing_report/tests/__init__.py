from . import test_rates
from . import test_holdout
from . import test_reports
