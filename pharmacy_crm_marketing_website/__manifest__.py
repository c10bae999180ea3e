# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Marketing Website',
    'summary': 'Newsletter sign-up on the website with double opt-in: email marketing consent '
               'recorded only after the confirmation link',
    'version': '11.0.1.1.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': [
        'pharmacy_crm_marketing',
        'website_mass_mailing',
    ],
    'data': [
        'security/ir.model.access.csv',
        'data/mail_template_data.xml',
        'views/pharmacy_signup_request_views.xml',
        'views/pharmacy_signup_templates.xml',
        'views/mail_mass_mailing_list_views.xml',
    ],
    'demo': [
        'demo/website_newsletter_demo.xml',
    ],
    # the website's newsletter block exists as soon as the website and mass mailing do:
    # without this addon it would subscribe any address at once
    'auto_install': True,
}
