# the mixin first: the models below inherit it
from . import pharmacy_audit_mixin
from . import ir_config_parameter
from . import pharmacy_medication
from . import res_partner
from . import pharmacy_patient_medication
from . import pharmacy_fill
from . import pharmacy_patient_note
from . import pharmacy_consent
from . import pharmacy_manufacturer_preference
from . import pharmacy_access_log
from . import res_users
