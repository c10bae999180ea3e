from . import test_adherence
from . import test_adherence_pharmacy_date
