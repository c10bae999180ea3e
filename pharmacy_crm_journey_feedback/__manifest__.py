# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Customer Journeys: Satisfaction Survey',
    'summary': 'The welcome series\' feedback mail links the patient to the satisfaction '
               'survey',
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['pharmacy_crm_journey', 'pharmacy_crm_feedback'],
    'data': [
        'data/mail_template_data.xml',
    ],
    'auto_install': True,
}
