from . import test_idle_logoff
from . import test_lockout
from . import test_login_steps
from . import test_password
from . import test_second_factor
