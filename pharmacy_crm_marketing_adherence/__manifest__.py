# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Marketing: Adherence Segments',
    'summary': 'Segment patients not adherent in a therapeutic class (clinical segments)',
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['pharmacy_crm_marketing', 'pharmacy_crm_adherence'],
    'data': ['views/pharmacy_segment_views.xml'],
    'auto_install': True,
}
