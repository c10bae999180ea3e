from . import test_adherence
