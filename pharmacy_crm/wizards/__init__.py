from . import pharmacy_prescription_discontinue
from . import pharmacy_import_wizard
