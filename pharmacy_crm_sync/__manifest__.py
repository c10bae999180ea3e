# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Refill Sync',
    'summary': "Align a patient's maintenance prescriptions on one pickup day a month",
    'version': '11.0.1.1.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['pharmacy_crm'],
    'data': [
        'security/ir.model.access.csv',
        'data/pharmacy_sync_data.xml',
        'views/pharmacy_sync_views.xml',
    ],
    'demo': [
        'demo/pharmacy_sync_demo.xml',
    ],
}
