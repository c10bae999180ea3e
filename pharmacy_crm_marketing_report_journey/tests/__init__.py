from . import test_journey_return
