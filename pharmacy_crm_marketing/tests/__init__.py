from . import test_marketing_access
