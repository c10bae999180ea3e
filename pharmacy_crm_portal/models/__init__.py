# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from . import res_company
from . import pharmacy_portal_delegation
from . import res_partner
from . import pharmacy_patient_medication
from . import pharmacy_fill
from . import pharmacy_refill_request
