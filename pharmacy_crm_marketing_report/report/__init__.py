# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from . import pharmacy_retention_report
from . import pharmacy_lifecycle_mixin
from . import pharmacy_lifecycle_report
from . import pharmacy_lifecycle_transition_report
from . import pharmacy_campaign_return_report
