# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The mass mailing models this addon uses, named in one place: the marketing addon's names
(renamed in Odoo 12+: mailing.mailing, mailing.contact, mailing.trace)."""
from odoo.addons.pharmacy_crm_marketing.models.mass_mailing import (  # noqa: F401
    MAILING_CONTACT, MAILING_GROUP, MAILING_STATISTICS, MASS_MAILING)

# their tables, for the SQL views
MASS_MAILING_TABLE = 'mail_mass_mailing'
MAILING_CONTACT_TABLE = 'mail_mass_mailing_contact'
MAILING_STATISTICS_TABLE = 'mail_mail_statistics'

__all__ = ['MASS_MAILING', 'MAILING_CONTACT', 'MAILING_STATISTICS', 'MAILING_GROUP',
           'MASS_MAILING_TABLE', 'MAILING_CONTACT_TABLE', 'MAILING_STATISTICS_TABLE']
