from . import recipients
