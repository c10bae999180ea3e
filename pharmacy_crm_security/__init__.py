# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import SUPERUSER_ID, api

from . import controllers
from . import models
from . import wizards


def post_init_hook(cr, registry):
    """auth_session_timeout's delay follows the pharmacy setting from the start (15 minutes
    unless set), instead of OCA's two hours."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    Setting = env['pharmacy.setting']
    Setting._apply_idle_logoff(Setting.get('idle_logoff_minutes'))
