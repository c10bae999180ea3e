from . import res_partner
from . import pharmacy_fill_dispensing
from . import pharmacy_import
from . import pharmacy_import_log
from . import pharmacy_import_error
