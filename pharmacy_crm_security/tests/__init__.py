from . import test_idle_logoff
from . import test_lockout
from . import test_password
