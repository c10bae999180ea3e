from . import pharmacy_segment
from . import res_partner
