# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from . import crm_team
from . import crm_stage
from . import crm_lead_tag
from . import crm_lead
from . import res_company
from . import res_partner
from . import pharmacy_fill
from . import pharmacy_sync_enrollment
from . import pharmacy_setting
from . import res_config_settings
