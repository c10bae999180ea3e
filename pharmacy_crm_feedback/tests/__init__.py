from . import test_nps
from . import test_feedback
