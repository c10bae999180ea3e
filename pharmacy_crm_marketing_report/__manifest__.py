# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Marketing Reports',
    'summary': 'Retention, churn, lifecycle states and campaign return against a hold-out '
               'group, on a manager dashboard; counts and rates only',
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': [
        'board',
        'pharmacy_crm_marketing',
    ],
    'data': [
        'security/ir.model.access.csv',
        'views/mail_mass_mailing_views.xml',
        'views/res_config_settings_views.xml',
        'views/pharmacy_marketing_report_assets.xml',
        'report/pharmacy_marketing_report_views.xml',
        'views/pharmacy_marketing_dashboard_views.xml',
    ],
    'demo': [
        'demo/mail_mass_mailing_demo.xml',
        'demo/pharmacy_retention_demo.xml',
    ],
}
