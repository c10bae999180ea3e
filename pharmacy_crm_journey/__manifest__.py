# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Customer Journeys',
    'summary': 'Multi-step journeys: mails, staff activities, waits and branches, with exits '
               'on a fill, a withdrawn consent or an opt-out',
    'version': '11.0.1.1.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': [
        'link_tracker',
        'utm',
        'pharmacy_crm_marketing',
    ],
    'data': [
        'security/ir.model.access.csv',
        'security/pharmacy_journey_security.xml',
        'data/ir_cron.xml',
        'data/mail_template_data.xml',
        'data/pharmacy_journey_data.xml',
        'views/pharmacy_journey_views.xml',
        'views/res_partner_views.xml',
    ],
    'demo': [
        'demo/pharmacy_journey_demo.xml',
    ],
}
