from . import pharmacy_import_wizard
