# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Refill and Pickup Reminders',
    'summary': 'Daily refill and pickup reminders by email, within the patient\'s reminder '
               'consent and caps, logged on the patient',
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['pharmacy_crm', 'mail'],
    'data': [
        'security/ir.model.access.csv',
        'data/pharmacy_reminder_data.xml',
        'views/pharmacy_reminder_views.xml',
        'views/res_partner_views.xml',
        'views/res_config_settings_views.xml',
    ],
    'demo': [
        'demo/pharmacy_reminder_demo.xml',
    ],
}
