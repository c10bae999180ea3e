from . import test_dispensing_import
