from . import pharmacy_patient_medication
from . import res_partner
from . import pharmacy_sync_enrollment
from . import pharmacy_sync_appointment
from . import pharmacy_sync_appointment_line
from . import pharmacy_sync_due_together
from . import pharmacy_setting
from . import res_config_settings
