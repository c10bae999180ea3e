# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""11.0.2.2.0: US conventions on an existing database, as data/res_lang_data.xml sets them at
install (a noupdate file is not loaded again at an update): English shows 12-hour time without
seconds, and the companies still on Odoo's A4 default print on US Letter. A format someone
chose (anything but Odoo's defaults) stays."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    english = env.ref('base.lang_en', raise_if_not_found=False)
    if english and english.time_format == '%H:%M:%S':
        english.time_format = '%I:%M %p'
    letter = env.ref('base.paperformat_us', raise_if_not_found=False)
    euro = env.ref('base.paperformat_euro', raise_if_not_found=False)
    if letter and euro:
        env['res.company'].search([('paperformat_id', '=', euro.id)]).write(
            {'paperformat_id': letter.id})
