from . import pharmacy_prescription_discontinue
