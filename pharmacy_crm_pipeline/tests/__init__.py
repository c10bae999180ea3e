# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from . import test_pipeline
from . import test_tools_pipeline
