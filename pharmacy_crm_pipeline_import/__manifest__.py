# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Pipeline: Referral Source from the Dispensing Import',
    'summary': 'The dispensing export may name where a new patient came from (an optional '
               'referral_source column): the patient\'s source of the pipeline',
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['pharmacy_crm_pipeline', 'pharmacy_crm_import'],
    'auto_install': True,
}
