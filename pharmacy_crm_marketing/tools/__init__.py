from . import recipients
from . import segments
from . import value_score
