from . import pharmacy_prescription_discontinue
from . import pharmacy_sync_plan
