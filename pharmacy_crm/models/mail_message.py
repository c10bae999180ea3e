# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from email.utils import formataddr

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MailMessage(models.Model):
    """Messages on pharmacy records and patients: read by who may read the record."""

    _name = 'mail.message'
    _inherit = ['mail.message', 'pharmacy.phi.document.mixin']
    _pharmacy_model_field = 'model'

    # Odoo 11 binds this default to its own function, not to the method: the lambda reaches
    # the override below, also in the composer (mail.compose.message inherits this field)
    email_from = fields.Char(default=lambda self: self._get_default_from())

    @api.model
    def _get_default_from(self):
        """The sender of what the user posts: ``"User" <user's email>``, else
        ``"User" <company's email>``, else ``"User" <catchall>`` where catchall is
        ``mail.catchall.alias@mail.catchall.domain`` (system parameters).

        Odoo 11 refuses a message without the user's own address, and every creation of a
        patient or prescription posts one: staff without a mailbox could not work.
        """
        user = self.env.user
        if user.email:
            return super()._get_default_from()
        email = user.company_id.email
        if not email:
            params = self.env['ir.config_parameter'].sudo()
            alias = params.get_param('mail.catchall.alias')
            domain = params.get_param('mail.catchall.domain')
            email = alias and domain and '%s@%s' % (alias, domain)
        if not email:
            raise UserError(_(
                'Unable to post as %(user)s: neither the user nor the company %(company)s has '
                'an email address. Set the Email of the company or of the user (Settings > '
                'Users & Companies).') % {
                    'user': user.name, 'company': user.company_id.name})
        return formataddr((user.name, email))

    @api.model
    def _pharmacy_insert_defaults(self, written, params):
        """For code that writes many messages with one INSERT instead of ``create``: the
        stored columns ``create`` fills with a default that the INSERT does
        not write (``written``), such as website_mail's ``website_published`` (set by its
        ``default_get``), so that the rows are those of the ORM. Returns the SQL to append to
        the INSERT's columns and to its values (``", "col"``, ``", %(default_col)s"``); their
        values are added to ``params``. A default is computed once for all the rows: a column
        whose default differs per message (``message_id``, ``date``) must be in ``written``."""
        magic = set(models.MAGIC_COLUMNS) | {'display_name'}
        names = [name for name, field in self._fields.items()
                 if field.store and field.column_type and name not in written
                 and name not in magic]
        defaults = {name: value for name, value in self.default_get(names).items()
                    if value is not None and value is not False}
        columns, values = '', ''
        for name, value in sorted(defaults.items()):
            key = 'default_%s' % name
            params[key] = self._fields[name].convert_to_column(value, self)
            columns += ', "%s"' % name
            values += ', %%(%s)s' % key
        return columns, values
