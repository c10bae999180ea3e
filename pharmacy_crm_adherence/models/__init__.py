from . import pharmacy_therapeutic_class
from . import pharmacy_medication
from . import pharmacy_adherence
from . import res_partner
from . import pharmacy_setting
from . import res_config_settings
