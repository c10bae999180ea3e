from . import test_rates
from . import test_reports
