# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from . import pharmacy_access_log
from . import pharmacy_api_key
from . import pharmacy_setting
from . import res_authentication_attempt
from . import res_config_settings
from . import res_groups
from . import res_users
from . import ir_http
