# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM',
    'summary': 'Patient profiles, prescriptions, fills, worklists and staff notes on contacts',
    'version': '11.0.2.1.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': [
        'contacts',
        'mail',
        'partner_contact_birthdate',
        'web_tour',
    ],
    'external_dependencies': {
        'python': ['stdnum'],
    },
    'data': [
        'security/pharmacy_security.xml',
        'security/ir.model.access.csv',
        'security/pharmacy_setting_security.xml',
        'data/ir_config_parameter_data.xml',
        'data/pharmacy_therapeutic_class_data.xml',
        'views/pharmacy_menus.xml',
        'views/res_partner_views.xml',
        'views/pharmacy_medication_views.xml',
        'views/pharmacy_therapeutic_class_views.xml',
        'views/pharmacy_patient_medication_views.xml',
        'views/pharmacy_fill_views.xml',
        'views/pharmacy_patient_note_views.xml',
        'views/pharmacy_access_log_views.xml',
        'views/res_config_settings_views.xml',
        'views/pharmacy_worklist_views.xml',
        'report/pharmacy_active_patient_report_views.xml',
    ],
    'demo': [
        'demo/res_users_demo.xml',
        'demo/pharmacy_demo.xml',
    ],
    'application': True,
}
