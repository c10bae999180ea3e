# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Dispensing Import',
    'summary': "Import the dispensing system's nightly export of fills, set-based",
    'version': '11.0.1.4.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['pharmacy_crm'],
    'data': [
        'security/pharmacy_import_security.xml',
        'security/ir.model.access.csv',
        'data/pharmacy_import_cron.xml',
        'views/pharmacy_import_views.xml',
    ],
}
