# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Patient Portal',
    'summary': "The patient's own pages on the portal: medications, fills, refill requests, "
               "contact choices, dependants, a copy of the record",
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['portal', 'pharmacy_crm'],
    'data': [
        'security/pharmacy_portal_security.xml',
        'security/ir.model.access.csv',
        'views/pharmacy_refill_request_views.xml',
        'views/pharmacy_portal_delegation_views.xml',
        'views/res_partner_views.xml',
        'views/res_company_views.xml',
        'views/portal_templates.xml',
        'report/pharmacy_record_copy_report.xml',
    ],
    'demo': [
        'demo/pharmacy_portal_demo.xml',
    ],
}
