# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, api, models
from odoo.addons.base.ir.ir_model import MODULE_UNINSTALL_FLAG
from odoo.exceptions import AccessError, ValidationError

PREFIX = 'pharmacy_crm.'


class IrConfigParameter(models.Model):
    """A pharmacy setting's system parameter is changed as on the settings screen.

    Whichever way it is written (Settings > Technical > System Parameters, ``set_param``,
    ``create``/``write``/``unlink`` over RPC), the parameter of a pharmacy setting (see
    ``pharmacy.setting``) goes through the setting's checks and effect: only administrators
    and the setting's group change it (pharmacy managers may, through the access rules of
    ``security/pharmacy_setting_security.xml``, on the keys ``pharmacy_crm.*`` only), a value
    the setting refuses is refused with a ValidationError naming the setting and its range, a
    valid one is stored as the setting's text (e.g. " 30 " as "30") and applied (e.g. the
    refill-too-soon dates recomputed), and deleting the parameter brings the setting back to
    its default, applied. The key of a pharmacy setting's parameter cannot be changed.
    ``set_param`` goes through ``write``, ``create`` and ``unlink``.

    Other parameters are Odoo's as before, except that only administrators may write other
    keys ``pharmacy_crm.*``.
    """

    _inherit = 'ir.config_parameter'

    @api.model
    def create(self, vals):
        Setting = self.env['pharmacy.setting']
        spec = Setting._spec_of_key(vals.get('key'))
        if not spec:
            self._pharmacy_check_other_keys([vals.get('key')])
            return super().create(vals)
        self.check_access_rights('create')
        Setting._check_may_change(spec)
        if Setting._read_row(spec.key):
            raise ValidationError(_(
                '%(label)s: the system parameter %(key)s exists already; change its value.')
                % {'label': Setting._label(spec), 'key': spec.key})
        text = Setting._parse(spec, vals.get('value'))[1]
        return self.browse(Setting._write_text(spec, text))

    @api.multi
    def write(self, vals):
        Setting = self.env['pharmacy.setting']
        keys = self._pharmacy_keys()
        specs = self._pharmacy_specs(keys)
        if 'key' in vals:
            self._pharmacy_check_other_keys([vals['key']])
            renamed = self.filtered(lambda param: keys.get(param.id) != vals['key'])
            if renamed and (Setting._spec_of_key(vals['key'])
                            or any(param in specs for param in renamed)):
                raise ValidationError(_(
                    'Key: the system parameter of a pharmacy setting keeps its key. Create or '
                    'delete the parameter instead.'))
        pharmacy = self.browse([param.id for param in specs])
        others = self - pharmacy
        texts = {}
        if pharmacy:
            pharmacy.check_access_rights('write')
            pharmacy.check_access_rule('write')
            for param, spec in specs.items():
                Setting._check_may_change(spec)
                if 'value' in vals:
                    texts[spec] = Setting._parse(spec, vals['value'])[1]
        result = super(IrConfigParameter, others).write(vals) if others else True
        for spec, text in texts.items():
            Setting._write_text(spec, text)
        return result

    @api.multi
    def unlink(self):
        if self.env.context.get(MODULE_UNINSTALL_FLAG):    # an addon's own data goes
            return super().unlink()
        Setting = self.env['pharmacy.setting']
        specs = self._pharmacy_specs(self._pharmacy_keys())
        pharmacy = self.browse([param.id for param in specs])
        others = self - pharmacy
        if pharmacy:
            pharmacy.check_access_rights('unlink')
            pharmacy.check_access_rule('unlink')
            for spec in specs.values():
                Setting._check_may_change(spec)
        result = super(IrConfigParameter, others).unlink() if others else True
        for spec in specs.values():
            Setting._write_text(spec, None)
        return result

    def _pharmacy_keys(self):
        """{id: key} of these parameters (whatever the user may read)."""
        if not self.ids:
            return {}
        self.env.cr.execute('SELECT id, key FROM ir_config_parameter WHERE id IN %s',
                            [tuple(self.ids)])
        return dict(self.env.cr.fetchall())

    def _pharmacy_specs(self, keys):
        """{parameter: the pharmacy setting it stores} among these parameters, whose keys are
        ``keys`` ({id: key}); AccessError when a user who is not an administrator touches
        another parameter ``pharmacy_crm.*``."""
        self._pharmacy_check_other_keys(keys.values())
        Setting = self.env['pharmacy.setting']
        specs = {}
        for param in self:
            spec = Setting._spec_of_key(keys.get(param.id))
            if spec:
                specs[param] = spec
        return specs

    @api.model
    def _pharmacy_check_other_keys(self, keys):
        """Only administrators write the parameters ``pharmacy_crm.*`` that are no setting."""
        user = self.env.user
        if user._is_superuser() or user.has_group('base.group_system'):
            return True
        Setting = self.env['pharmacy.setting']
        others = [key for key in keys if isinstance(key, str) and key.startswith(PREFIX)
                  and not Setting._spec_of_key(key)]
        if others:
            raise AccessError(_('Only administrators may change the system parameter %s.')
                              % ', '.join(others))
        return True
