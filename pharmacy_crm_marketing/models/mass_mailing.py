# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The mass mailing models this addon uses, named in one place (renamed in Odoo 12+:
mailing.contact, mailing.list)."""

MAILING_CONTACT = 'mail.mass_mailing.contact'
MAILING_LIST = 'mail.mass_mailing.list'
