from . import pharmacy_segment
