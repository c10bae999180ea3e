from . import pharmacy_prescription_discontinue
from . import pharmacy_sync_plan
from . import pharmacy_adherence_outreach
from . import pharmacy_adherence_recompute
from . import pharmacy_dismissal_wizard
from . import pharmacy_import_wizard
