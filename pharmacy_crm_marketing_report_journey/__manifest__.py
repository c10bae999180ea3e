# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Marketing Reports: Journeys',
    'summary': 'Campaign return of the customer journeys: participants sent a journey mail who '
               'came back to the counter, against the journey\'s hold-out',
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['pharmacy_crm_marketing_report', 'pharmacy_crm_journey'],
    'data': [
        'security/ir.model.access.csv',
        'report/pharmacy_journey_return_report_views.xml',
    ],
    'auto_install': True,
}
