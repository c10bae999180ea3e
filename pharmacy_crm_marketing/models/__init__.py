from . import mass_mailing
from . import pharmacy_dismissal
