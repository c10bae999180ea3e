# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from lxml import etree

from odoo import _, api, fields, models
from odoo.addons.base.res.res_partner import _tz_get
from odoo.exceptions import AccessError

from .pharmacy_phi_mixin import PHARMACY_MANAGER, PHARMACY_STAFF
from .pharmacy_setting import PICKUP_REMINDER_DAYS, REFILL_THRESHOLD


class ResConfigSettings(models.TransientModel):
    """The Pharmacy block of Settings, saved by pharmacy managers as well as administrators.

    Pharmacy settings are the fields named ``pharmacy_*``: the pharmacy's time zone (its
    company's), and one field ``pharmacy_<name>`` per setting of the registry
    ``pharmacy.setting`` (declared there, with ``PharmacySettingSpec.field_definition()``),
    read by ``_get_pharmacy_values``, checked at once (``_validate_fields``) and applied by
    ``_set_pharmacy_values`` through the registry, as any other write of the setting's system
    parameter would be. The pharmacy block of the settings screen is written once, in the
    administrators' Settings; the managers' own form shows that same block (see
    ``_fields_view_get``).

    Odoo's settings are for administrators: ``default_get`` reads every module's settings
    (some readable by administrators only) and ``execute`` refuses anyone else. For pharmacy
    staff who are not administrators, ``default_get`` gives the pharmacy settings and the
    other fields' plain defaults, reading no other module's settings. For a pharmacy manager
    among them (menu Pharmacy > Configuration > Settings: a form with the pharmacy block
    only), ``execute`` applies the pharmacy settings and nothing else; it refuses
    (AccessError) when any other field differs from what ``default_get`` gives, i.e. when the
    manager tried to change something else. Technicians and pharmacists save nothing (AccessError).

    ``set_values``, which applies every module's settings (many as superuser), is refused to
    whoever is not an administrator: Odoo 11 calls it only from ``execute``, yet it is public,
    and pharmacy staff can now create a settings record, so they could call it over RPC.
    """

    _inherit = 'res.config.settings'

    pharmacy_refill_threshold = REFILL_THRESHOLD.field_definition()

    pharmacy_tz = fields.Selection(
        _tz_get, string='Pharmacy Time Zone',
        help='The time zone of the pharmacy (your company): it decides which day "today" is '
             'for fills, due dates, worklists and scheduled actions, whoever is logged in.')

    pharmacy_pickup_reminder_days = PICKUP_REMINDER_DAYS.field_definition()

    @api.model
    def _fields_view_get(self, view_id=None, view_type='form', toolbar=False, submenu=False):
        """The managers' form (``res_config_settings_view_form_pharmacy``) holds the pharmacy
        block of the administrators' Settings, as every addon extended it: the block is
        written once. In that form, the block replaces ``<div name="pharmacy_settings"/>``."""
        result = super()._fields_view_get(view_id=view_id, view_type=view_type,
                                          toolbar=toolbar, submenu=submenu)
        own = self.env.ref('pharmacy_crm.res_config_settings_view_form_pharmacy', False)
        if view_type == 'form' and own and result.get('view_id') == own.id:
            settings = self.env.ref('base.res_config_settings_view_form').read_combined(
                ['arch'])
            [block] = etree.fromstring(settings['arch']).xpath(
                "//div[@data-key='pharmacy_crm']")
            arch = etree.fromstring(result['arch'])
            [placeholder] = arch.xpath("//div[@name='pharmacy_settings']")
            placeholder.getparent().replace(placeholder, block)
            result['arch'] = etree.tostring(arch, encoding='unicode')
        return result

    @api.multi
    def _validate_fields(self, field_names):
        """A pharmacy setting's value is checked as soon as the form sends it, as the registry
        checks it (ValidationError naming the setting and its range)."""
        result = super()._validate_fields(field_names)
        Setting = self.env['pharmacy.setting']
        for spec in Setting._pharmacy_settings().values():
            if spec.field in field_names:
                for settings in self:
                    Setting._parse(spec, settings[spec.field])
        return result

    @api.model
    def default_get(self, fields_list):
        """For pharmacy staff who are not administrators: the pharmacy settings, and the other
        fields' plain defaults. Odoo's own ``default_get`` reads every module's settings, some
        of which (e.g. the rule behind "Share partners to all companies") only administrators
        may read."""
        if self._is_settings_admin() or not self.env.user.has_group(PHARMACY_STAFF):
            return super().default_get(fields_list)
        values = models.TransientModel.default_get(self, fields_list)
        values.update((name, value) for name, value in self._get_pharmacy_values().items()
                      if name in fields_list)
        return values

    @api.model
    def get_values(self):
        values = super().get_values()
        values.update(self._get_pharmacy_values())
        return values

    def set_values(self):
        if not self._is_settings_admin():
            raise AccessError(_('Only administrators can change the settings.'))
        return super().set_values()

    def execute(self):
        """Save the settings: administrators through Odoo, pharmacy managers the pharmacy ones.

        The pharmacy settings are applied first, before Odoo's own ``execute`` writes anything,
        so that a new refill threshold can be applied in a transaction of its own (see
        ``pharmacy.setting._store_refill_threshold``); they stay applied if the rest of an
        administrator's save fails afterwards.
        """
        self.ensure_one()
        if self._is_settings_admin():
            self._set_pharmacy_values()
            return super().execute()
        if not self.env.user.has_group(PHARMACY_MANAGER):
            raise AccessError(_(
                'Only pharmacy managers and administrators can change the settings. Ask a '
                'pharmacy manager to change the pharmacy settings.'))
        others = [name for name in self._changed_settings() if not name.startswith('pharmacy_')]
        if others:
            raise AccessError(_(
                'A pharmacy manager changes only the Pharmacy settings. Ask an administrator to '
                'change: %s.') % ', '.join(sorted(self._fields[name].string for name in others)))
        self._set_pharmacy_values()
        return {'type': 'ir.actions.client', 'tag': 'reload'}

    def _is_settings_admin(self):
        user = self.env.user
        return user._is_superuser() or user.has_group('base.group_system')

    def _changed_settings(self):
        """Names of the settings whose value differs from what ``default_get`` gives.

        Only the settings' own columns: a related field (e.g. of the company) holds no value of
        its own, and giving it one at creation already wrote its target, with the user's rights.
        """
        self.ensure_one()
        current = self.new(self.default_get(list(self._fields)))
        ignored = set(models.MAGIC_COLUMNS) | {self.CONCURRENCY_CHECK_FIELD}
        return [name for name, field in self._fields.items()
                if field.store and name not in ignored and self[name] != current[name]]

    @api.model
    def _get_pharmacy_values(self):
        """The current pharmacy settings (fields ``pharmacy_*``): the time zone, and every
        setting of the registry ``pharmacy.setting`` (its default when its parameter holds
        what it does not accept: saving repairs it)."""
        Setting = self.env['pharmacy.setting']
        values = {'pharmacy_tz': self.env.user.company_id.sudo().partner_id.tz or False}
        for name, spec in Setting._pharmacy_settings().items():
            values[spec.field] = spec.to_field(Setting.get(name))
        return values

    def _set_pharmacy_values(self):
        """Apply the pharmacy settings (fields ``pharmacy_*``), each through the registry, in
        its order: the refill threshold first, so that it can be applied in a transaction of
        its own (see ``pharmacy.setting._store_refill_threshold``)."""
        self.ensure_one()
        if not (self._is_settings_admin() or self.env.user.has_group(PHARMACY_MANAGER)):
            raise AccessError(_('Only pharmacy managers and administrators can change the '
                                'pharmacy settings.'))
        Setting = self.env['pharmacy.setting']
        for name, spec in Setting._pharmacy_settings().items():
            Setting.set(name, self[spec.field])
        company_partner = self.env.user.company_id.sudo().partner_id
        if self.pharmacy_tz and self.pharmacy_tz != company_partner.tz:
            company_partner.write({'tz': self.pharmacy_tz})
        return True
