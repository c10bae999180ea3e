# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Marketing: Pipeline Counts',
    'summary': 'Email Marketing > Pharmacy Growth: the pipeline\'s conversion and new patients '
               'by source, counts only, for marketing users',
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['pharmacy_crm_marketing', 'pharmacy_crm_pipeline'],
    'data': ['views/pharmacy_growth_menus.xml'],
    'auto_install': True,
}
