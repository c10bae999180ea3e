from . import mass_mailing
from . import res_partner
