# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Incidents and Dismissal',
    'summary': 'Log incidents; dismiss a patient fairly, with notice, letter and referrals',
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['pharmacy_crm'],
    'data': [
        'security/ir.model.access.csv',
        'data/pharmacy_dismissal_data.xml',
        'report/pharmacy_dismissal_letter.xml',
        'views/pharmacy_dismissal_views.xml',
    ],
    'demo': [
        'demo/pharmacy_dismissal_demo.xml',
    ],
}
