from . import base
# the mixin first: the models below inherit it
from . import pharmacy_audit_mixin
from . import pharmacy_validation_mixin
from . import pharmacy_phi_mixin
from . import pharmacy_phi_document_mixin
from . import mail_activity
from . import ir_attachment
from . import mail_message
from . import mail_followers
from . import pharmacy_medication
from . import res_partner
from . import pharmacy_patient_medication
from . import pharmacy_fill
from . import pharmacy_patient_note
from . import pharmacy_consent
from . import pharmacy_manufacturer_preference
from . import pharmacy_access_log
from . import res_users
from . import res_config_settings
from . import web_tour_tour
# --- adherence (#11) ---
from . import pharmacy_therapeutic_class
from . import pharmacy_adherence
