# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""11.0.1.1.0: this addon no longer extends the dismissal model of pharmacy_crm_dismissal (it
overrides the core's ``res.partner._pharmacy_leave_mailing_lists``): its xml id on that model
goes."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""DELETE FROM ir_model_data WHERE module = 'pharmacy_crm_marketing'
                   AND name = 'model_pharmacy_dismissal'""")
