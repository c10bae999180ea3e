# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Feedback',
    'summary': 'A satisfaction survey after a pickup (NPS and a comment), NPS per month on the '
               'dashboard, service recovery for detractors',
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': [
        'survey',
        'pharmacy_crm_marketing_report',
    ],
    'data': [
        'security/ir.model.access.csv',
        'security/survey_security.xml',
        'data/survey_data.xml',
        'data/mail_template_data.xml',
        'data/ir_cron_data.xml',
        'report/pharmacy_nps_report_views.xml',
        'views/res_partner_views.xml',
    ],
    'demo': [
        'demo/survey_user_input_demo.xml',
    ],
}
