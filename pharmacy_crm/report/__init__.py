from . import pharmacy_active_patient_report
