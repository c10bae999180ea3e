from . import journey_sql
