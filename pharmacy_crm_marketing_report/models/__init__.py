# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from . import mass_mailing
from . import pharmacy_rate_report_mixin
from . import pharmacy_setting
from . import res_config_settings
from . import pharmacy_mailing_holdout
from . import mail_mass_mailing
