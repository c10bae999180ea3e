"""Pure-Python adherence formulas (PDC): no ORM import, unit-tested with plain pytest."""
from .adherence import pdc, shifted_intervals  # noqa: F401
