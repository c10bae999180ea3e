# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Patient Portal: Refill Sync',
    'summary': "The patient's next refill sync appointment on their portal pages",
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['pharmacy_crm_portal', 'pharmacy_crm_sync'],
    'data': [
        'security/pharmacy_portal_sync_security.xml',
        'security/ir.model.access.csv',
        'views/portal_templates.xml',
    ],
    'auto_install': True,
}
