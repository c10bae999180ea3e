from . import pharmacy_medication
from . import res_partner
from . import pharmacy_patient_medication
from . import pharmacy_fill
from . import pharmacy_patient_note
from . import pharmacy_consent
from . import pharmacy_manufacturer_preference
from . import res_config_settings
