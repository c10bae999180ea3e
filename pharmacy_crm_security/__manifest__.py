# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Security',
    'summary': 'A shared counter terminal: automatic logoff after inactivity, nothing of the '
               'patient left in the browser, quick user switch, lockout after failed logins, '
               'password rules, two-factor login, API keys for integrations',
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': [
        'pharmacy_crm',
        'auth_session_timeout',
        'auth_brute_force',
    ],
    'external_dependencies': {'python': ['pyotp']},
    'data': [
        'security/res_authentication_attempt_security.xml',
        'security/ir.model.access.csv',
        'security/pharmacy_api_key_security.xml',
        'views/assets.xml',
        'views/login_templates.xml',
        'views/res_config_settings_views.xml',
        'views/res_users_views.xml',
    ],
    'demo': [
        'demo/pharmacy_setting_demo.xml',
    ],
    'qweb': [
        'static/src/xml/switch_user.xml',
    ],
    'post_init_hook': 'post_init_hook',
}
