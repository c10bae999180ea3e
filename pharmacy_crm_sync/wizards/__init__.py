from . import pharmacy_sync_plan
