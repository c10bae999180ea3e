from . import test_idle_logoff
