# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from .pipeline import season_start, sql_date_format
