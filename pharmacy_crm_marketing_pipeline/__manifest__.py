# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Marketing: Pipeline',
    'summary': 'Email Marketing > Pharmacy Growth (the pipeline\'s counts only) and the '
               'referral source in what segment members have in common',
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['pharmacy_crm_marketing', 'pharmacy_crm_pipeline'],
    'data': ['views/pharmacy_growth_menus.xml'],
    'auto_install': True,
}
