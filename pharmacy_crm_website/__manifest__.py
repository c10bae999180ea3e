# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Website Transfers',
    'summary': 'A public "Transfer your prescriptions to us" page creating transfer-in leads '
               'for the pharmacy team',
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['website_crm', 'pharmacy_crm_pipeline'],
    'data': [
        'data/pharmacy_crm_website_data.xml',
        'views/pharmacy_crm_website_assets.xml',
        'views/pharmacy_transfer_templates.xml',
    ],
}
