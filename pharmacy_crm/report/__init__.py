from . import pharmacy_active_patient_report
from . import pharmacy_sync_report
