from . import pharmacy_journey
from . import pharmacy_journey_step
