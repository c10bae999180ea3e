from . import pharmacy_sync_report
