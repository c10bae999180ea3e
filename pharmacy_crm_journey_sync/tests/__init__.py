from . import test_journey_sync
