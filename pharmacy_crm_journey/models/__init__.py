from . import pharmacy_journey
from . import pharmacy_journey_step
from . import pharmacy_journey_participant
from . import pharmacy_journey_history
from . import pharmacy_fill
from . import res_partner
