from . import test_sync_segment
