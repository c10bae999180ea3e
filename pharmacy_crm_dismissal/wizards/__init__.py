from . import pharmacy_dismissal_wizard
