from . import recipients
from . import segments
