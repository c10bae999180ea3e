from . import test_dismissal
