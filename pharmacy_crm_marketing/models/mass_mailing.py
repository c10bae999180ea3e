# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The mass mailing models this addon uses, named in one place (renamed in Odoo 12+:
mailing.mailing, mailing.contact, mailing.list, mailing.trace)."""

MASS_MAILING = 'mail.mass_mailing'
MAILING_CONTACT = 'mail.mass_mailing.contact'
MAILING_LIST = 'mail.mass_mailing.list'
MAILING_STATISTICS = 'mail.mail.statistics'
MAILING_GROUP = 'mass_mailing.group_mass_mailing_user'
