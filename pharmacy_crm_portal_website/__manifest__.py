# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Public Refill Request',
    'summary': 'A refill request form on the pharmacy website for patients without a portal '
               'account: Rx number, birthdate and phone',
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['website', 'pharmacy_crm_portal'],
    'data': [
        'security/ir.model.access.csv',
        'views/website_templates.xml',
    ],
}
