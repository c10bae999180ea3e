# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Marketing',
    'summary': 'Consent-aware patient segments and mass mailing; no clinical data for marketing',
    'version': '11.0.1.4.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': [
        'mass_mailing',
        'pharmacy_crm',
    ],
    'data': [
        'security/ir.model.access.csv',
        'security/pharmacy_segment_security.xml',
        'data/ir_cron.xml',
        'views/mail_mass_mailing_views.xml',
        'views/pharmacy_segment_views.xml',
    ],
    'demo': [
        'demo/res_users_demo.xml',
        'demo/pharmacy_marketing_demo.xml',
    ],
}
