from . import test_dispensing_import
from . import test_import_translation
from . import test_damaged_files
from . import test_unchanged_lines
