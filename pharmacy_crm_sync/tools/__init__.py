"""Pure-Python refill sync formulas: no ORM import, unit-tested with plain pytest."""
from .sync import (SYNC_CYCLES, next_sync_date, prorated_copay, short_fill_quantity,
                   sync_date_after, sync_day_options)
