from . import pharmacy_prescription_discontinue
from . import pharmacy_dismissal_wizard
