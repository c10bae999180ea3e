from . import pharmacy_adherence_outreach
from . import pharmacy_adherence_recompute
