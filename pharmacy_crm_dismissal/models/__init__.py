from . import res_partner
from . import pharmacy_patient_medication
from . import pharmacy_fill
from . import pharmacy_incident
from . import pharmacy_dismissal
from . import pharmacy_consent_dismissal
from . import pharmacy_setting
from . import res_config_settings
