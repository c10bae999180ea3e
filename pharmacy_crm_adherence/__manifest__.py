# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Adherence',
    'summary': 'Proportion of days covered (PDC) per patient and class, and the outreach list',
    'version': '11.0.1.1.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['pharmacy_crm'],
    'data': [
        'security/ir.model.access.csv',
        'data/pharmacy_adherence_data.xml',
        'data/pharmacy_adherence_cron.xml',
        'views/pharmacy_adherence_views.xml',
    ],
    'demo': [
        'demo/pharmacy_adherence_demo.xml',
    ],
}
