from . import pharmacy_prescription_discontinue
from . import pharmacy_patient_leave
