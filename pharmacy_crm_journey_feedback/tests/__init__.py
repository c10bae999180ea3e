from . import test_journey_feedback
