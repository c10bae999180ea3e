from .hooks import post_init_hook  # noqa: F401
from . import models
from . import wizards
