# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    'name': 'Pharmacy CRM Customer Journeys: Refill Sync',
    'summary': 'Journeys entered on a refill sync enrollment, and branches on the enrollment',
    'version': '11.0.1.0.0',
    'category': 'Pharmacy',
    'author': 'Pharmacy CRM contributors',
    'website': 'https://github.com/pharmacy-crm/pharmacy-crm',
    'license': 'AGPL-3',
    'depends': ['pharmacy_crm_journey', 'pharmacy_crm_sync'],
    'auto_install': True,
}
