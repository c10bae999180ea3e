# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Pipeline',
    'summary': "The pharmacy's own pipeline in Odoo CRM: transfers in, refill sync enrollment, "
               "clinical services, win-back and adherence outreach, proposed and closed by "
               "the pharmacy's data",
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['crm', 'utm', 'pharmacy_crm', 'pharmacy_crm_sync', 'pharmacy_crm_adherence'],
    'data': [
        'security/ir.model.access.csv',
        'security/pharmacy_crm_pipeline_security.xml',
        'data/pharmacy_crm_pipeline_data.xml',
        'views/pharmacy_crm_pipeline_assets.xml',
        'views/crm_lead_views.xml',
        'views/res_partner_views.xml',
        'views/res_config_settings_views.xml',
        'report/pharmacy_pipeline_report_views.xml',
    ],
    'demo': [
        'demo/pharmacy_crm_pipeline_demo.xml',
    ],
}
