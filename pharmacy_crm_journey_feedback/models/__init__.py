from . import res_partner
from . import pharmacy_journey_step
