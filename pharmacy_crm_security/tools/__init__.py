# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from .lockout import failures_since_success, window_start  # noqa: F401
from .password import character_classes, password_problems  # noqa: F401
from .second_factor import api_key_index, totp_step  # noqa: F401
