"""Pure-Python parts of the dispensing import: no Odoo import (scripts load them by path)."""
