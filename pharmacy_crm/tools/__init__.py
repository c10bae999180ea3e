"""Pure-Python pharmacy formulas: no ORM import, unit-tested with plain pytest."""
from . import values  # noqa: F401 (checks of raw values, see values.py)
from .dates import (fill_status, next_due_date, prescription_expiry_date, refill_eligible_date,
                    supply_run_out)
from .identifiers import is_valid_dea, is_valid_npi
from .ndc import normalize_ndc
