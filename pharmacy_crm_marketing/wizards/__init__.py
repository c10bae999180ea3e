from . import pharmacy_segment_profile_line
