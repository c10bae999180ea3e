from . import test_synced
