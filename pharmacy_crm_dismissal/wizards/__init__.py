from . import pharmacy_dismissal_wizard
from . import pharmacy_patient_leave
