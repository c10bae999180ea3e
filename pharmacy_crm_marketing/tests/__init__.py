from . import test_marketing_access
from . import test_dismissal_marketing
