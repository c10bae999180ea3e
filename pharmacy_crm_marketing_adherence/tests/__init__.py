from . import test_adherence_segment
