# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import logging
import re

import psycopg2

from odoo import _, api, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.dates import fill_status_sql, refill_eligible_date_sql
from .pharmacy_setting_spec import PharmacySettingSpec

_logger = logging.getLogger(__name__)

INTEGER = re.compile(r'[+-]?[0-9]+\Z')
DECIMAL = re.compile(r'[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\Z')
# at most this long, a threshold change waits for the transactions that have read the old
# threshold (the pharmacy counter queues behind it meanwhile); then Odoo retries the save
LOCK_TIMEOUT = '5s'

REFILL_THRESHOLD = PharmacySettingSpec(
    'refill_threshold', 'float', 'Refill Threshold', 0.8, minimum=0, above_minimum=True,
    maximum=1, digits=2, store='_store_refill_threshold',
    help_text='Share of the days supply after which payers pay a refill: refill too soon '
              'until = last fill + ceil(days supply x threshold). More than 0 and at most 1, '
              'e.g. 0.80 for 80%. A new value applies at once to every active prescription.')
PICKUP_REMINDER_DAYS = PharmacySettingSpec(
    'pickup_reminder_days', 'integer', 'Waiting for Pickup After', 7, minimum=1, maximum=365,
    days=True,
    help_text='Days after the fill from which a fill not picked up is listed in the worklist '
              'Waiting for Pickup (a return-to-stock candidate): a whole number from 1 to 365.')


class PharmacySetting(models.AbstractModel):
    """The registry of the pharmacy settings, and the one way to read and change them.

    Each addon declares its settings once (``PharmacySettingSpec``: key, kind, default, range,
    group, label, apply) and lists them in the class attribute ``_pharmacy_setting_specs`` of
    its extension of this model (its own settings only: they add up over the addons, see
    ``_pharmacy_settings``). ``get`` reads a
    setting (typed, validated, or its default); ``set`` changes it. The settings screen
    (``res.config.settings``) and the system parameters themselves (``ir.config_parameter``:
    the Technical menu, ``set_param``, ``create``/``write``/``unlink`` over RPC) go through
    the same checks: who may change it (``_check_may_change``), what it accepts (``_parse``,
    a ValidationError naming the setting and its range otherwise) and its effect
    (``_write_text``: store, then the setting's ``apply``).

    A parameter is read with SQL in the caller's transaction, never from ``get_param``'s
    process-wide cache, which can hold a value another transaction has not committed.
    """

    _name = 'pharmacy.setting'
    _description = 'Pharmacy Settings'
    _pharmacy_setting_specs = (REFILL_THRESHOLD, PICKUP_REMINDER_DAYS)

    # --- the registry ------------------------------------------------------------------------
    @api.model
    def _pharmacy_settings(self):
        """Every pharmacy setting of the installed addons: {name: PharmacySettingSpec}, in the
        order of the settings screen: the ``_pharmacy_setting_specs`` declared by every class
        of the model, the core's first, then each addon's in the order they were loaded (a
        plain class attribute would keep the last addon's only)."""
        return {spec.name: spec for base in reversed(type(self).__mro__)
                for spec in vars(base).get('_pharmacy_setting_specs', ())}

    @api.model
    def _spec(self, name):
        spec = self._pharmacy_settings().get(name)
        if not spec:
            raise UserError(_('%(name)s is not a pharmacy setting; the pharmacy settings are '
                              '%(names)s.') % {'name': name,
                                               'names': ', '.join(self._pharmacy_settings())})
        return spec

    @api.model
    def _spec_of_key(self, key):
        """The setting stored in the system parameter ``key``, None when there is none."""
        if isinstance(key, str) and key.startswith('pharmacy_crm.'):
            return self._pharmacy_settings().get(key[len('pharmacy_crm.'):])
        return None

    # --- reading -----------------------------------------------------------------------------
    @api.model
    def get(self, name, lock=False, strict=False):
        """The value of the pharmacy setting ``name`` as this transaction sees it: an int, a
        float, a text or a list of keys; the setting's default when its parameter does not
        exist.

        A parameter holding a value the setting does not accept (only SQL can write one) gives
        the default too, with a warning in the log; with ``strict``, a UserError saying where
        to fix it. With ``lock``, the parameter is read ``FOR SHARE``: its row stays locked
        until this transaction ends, so that a change of the setting waits for it, and if a
        change commits while this transaction runs, the read fails with a serialisation error
        and Odoo retries the whole call with the new value (see ``_store_refill_threshold``).
        """
        spec = self._spec(name)
        row = self._read_row(spec.key, lock=lock)
        if row is None:
            return list(spec.default) if spec.kind == 'keys' else spec.default
        try:
            return self._parse(spec, row[1])[0]
        except ValidationError as error:
            if strict:
                raise UserError(_(
                    'The system parameter %(key)s holds "%(value)s": %(reason)s Set %(label)s '
                    'in Pharmacy > Configuration > Settings.') % {
                        'key': spec.key, 'value': row[1], 'reason': error.name,
                        'label': self._label(spec)})
            _logger.warning('system parameter %s holds %r, not a valid value: %s used',
                            spec.key, row[1], spec.default)
            return list(spec.default) if spec.kind == 'keys' else spec.default

    @api.model
    def _read_row(self, key, lock=False):
        """(id, text) of the system parameter ``key`` as this transaction sees it, or None."""
        cr = self.env.cr
        if not lock:
            cr.execute('SELECT id, value FROM ir_config_parameter WHERE key = %s', [key])
            return cr.fetchone()
        try:
            cr.execute('SELECT id, value FROM ir_config_parameter WHERE key = %s FOR SHARE',
                       [key])
        except psycopg2.OperationalError:
            # Odoo 11 retries a call that failed on a serialisation error, but over XML-RPC it
            # keeps the fields left to recompute by the failed attempt, bound to its closed
            # cursor ("Unable to use a closed cursor"): drop them before the retry
            self.env.clear()
            raise
        return cr.fetchone()

    @api.model
    def _label(self, spec):
        """The setting's label in the user's language (the settings screen's field)."""
        field = self.env['res.config.settings']._fields.get(spec.field)
        return field._description_string(self.env) if field else spec.label

    # --- checking ----------------------------------------------------------------------------
    @api.model
    def _parse(self, spec, value):
        """(typed value, its text) for ``value``: a text as written in the system parameters
        (spaces around are ignored), or a typed value as the settings screen gives it.
        ValidationError naming the setting and what it accepts when the setting refuses it."""
        text = value.strip() if isinstance(value, str) else value
        typed = None
        if spec.kind == 'integer':
            if isinstance(text, str) and INTEGER.match(text):
                typed = int(text)
            elif isinstance(text, (int, float)) and not isinstance(text, bool) \
                    and float(text).is_integer():
                typed = int(text)
            if typed is not None and not spec.minimum <= typed <= spec.maximum:
                typed = None
        elif spec.kind == 'float':
            if isinstance(text, str) and DECIMAL.match(text):
                typed = float(text)
            elif isinstance(text, (int, float)) and not isinstance(text, bool):
                typed = float(text)
            # at most ``digits`` decimals, give or take float noise: 57 * 0.01 is
            # 0.5700000000000001, and so is 0.57 rounded by Odoo's float_round
            # (a Float field's value in the cache)
            if typed is not None and abs(round(typed, spec.digits) - typed) < 1e-9:
                typed = round(typed, spec.digits)
            else:
                typed = None
            if typed is not None and not (
                    (typed > spec.minimum if spec.above_minimum else typed >= spec.minimum)
                    and typed <= spec.maximum):
                typed = None
        elif spec.kind == 'keys':
            typed = self._parse_keys(spec, text)
        elif text is None or text is False:
            typed = ''
        elif isinstance(text, str):
            typed = text
        if typed is None:
            raise ValidationError(self._invalid_message(spec, value))
        return typed, spec.format(typed)

    @api.model
    def _parse_keys(self, spec, text):
        """The keys of ``text`` (keys separated by commas, "none" or nothing for none), in
        their order, each once; None when one is not allowed."""
        if text is None or text is False:
            return []
        if not isinstance(text, str):
            return None
        keys = []
        for key in text.split(','):
            key = key.strip()
            if key and key not in keys:
                keys.append(key)
        if keys == ['none']:
            return []
        allowed = self._allowed_keys(spec)
        return keys if all(key in allowed for key in keys) else None

    @api.model
    def _allowed_keys(self, spec):
        model, field = spec.selection
        return self.env[model]._fields[field].get_values(self.env)

    @api.model
    def _invalid_message(self, spec, value):
        values = {'label': self._label(spec), 'minimum': '%g' % (spec.minimum or 0),
                  'maximum': '%g' % (spec.maximum or 0), 'digits': spec.digits,
                  'value': '"%s"' % value if isinstance(value, str) else value}
        if spec.kind == 'integer' and spec.days:
            return _('%(label)s must be a whole number of days from %(minimum)s to '
                     '%(maximum)s (got %(value)s).') % values
        if spec.kind == 'integer':
            return _('%(label)s must be a whole number from %(minimum)s to %(maximum)s (got '
                     '%(value)s).') % values
        if spec.kind == 'float' and spec.above_minimum:
            return _('%(label)s must be more than %(minimum)s and at most %(maximum)s, with at '
                     'most %(digits)s decimals (got %(value)s).') % values
        if spec.kind == 'float':
            return _('%(label)s must be a number from %(minimum)s to %(maximum)s, with at most '
                     '%(digits)s decimals (got %(value)s).') % values
        if spec.kind == 'keys':
            allowed = self._allowed_keys(spec)
            unknown = [key.strip() for key in value.split(',') if key.strip()
                       and key.strip() not in allowed] if isinstance(value, str) else []
            values.update(unknown=', '.join(unknown) or values['value'],
                          allowed=', '.join(sorted(allowed)))
            return _('%(label)s: %(unknown)s is not among %(allowed)s; write keys separated by '
                     'commas, or "none" (got %(value)s).') % values
        return _('%(label)s must be a text (got %(value)s).') % values

    @api.model
    def _check_may_change(self, spec):
        """AccessError unless the user may change the setting: administrators and the members
        of its group (the superuser, i.e. the server's own code, too)."""
        user = self.env.user
        if user._is_superuser() or user.has_group('base.group_system') \
                or user.has_group(spec.group):
            return True
        raise AccessError(_(
            'Only administrators and %(group)s may change the pharmacy setting %(label)s. Ask a '
            'pharmacy manager.') % {'group': self.env.ref(spec.group).sudo().full_name,
                                    'label': self._label(spec)})

    # --- changing ----------------------------------------------------------------------------
    @api.model
    def set(self, name, value):
        """Change the pharmacy setting ``name`` to ``value`` (typed, or a text as written in
        the system parameters) and apply it, when it differs from what is stored; nothing when
        it is unchanged, or when the parameter does not exist and ``value`` is the default.
        AccessError for a user who may not change it, ValidationError for a value it refuses.
        """
        spec = self._spec(name)
        self._check_may_change(spec)
        typed, text = self._parse(spec, value)
        row = self._read_row(spec.key)
        if row is None and typed == spec.default or row is not None and row[1] == text:
            return True
        self._write_text(spec, text)
        return True

    @api.model
    def _write_text(self, spec, text):
        """Store ``text`` (valid, see ``_parse``; None: delete the parameter, i.e. back to the
        default) in the setting's system parameter and apply it: its ``store`` method when it
        has one, else SQL in this transaction, then its ``apply`` method with the new value.
        Nothing when the text is unchanged. Returns the parameter's id (False when deleted).
        The caller has checked the value and the user's right to change it."""
        if spec.store:
            return getattr(self, spec.store)(spec, text)
        row = self._read_row(spec.key)
        if row is not None and row[1] == text or row is None and text is None:
            return row and row[0] or False
        cr = self.env.cr
        params = {'key': spec.key, 'value': text, 'uid': self.env.uid}
        if text is None:
            cr.execute('DELETE FROM ir_config_parameter WHERE key = %(key)s', params)
            param_id = False
        elif row is not None:
            cr.execute("""
                UPDATE ir_config_parameter
                   SET value = %(value)s, write_uid = %(uid)s,
                       write_date = now() AT TIME ZONE 'UTC'
                 WHERE key = %(key)s RETURNING id""", params)
            param_id = cr.fetchone()[0]
        else:
            cr.execute("""
                INSERT INTO ir_config_parameter
                       (key, value, create_uid, create_date, write_uid, write_date)
                VALUES (%(key)s, %(value)s, %(uid)s, now() AT TIME ZONE 'UTC',
                        %(uid)s, now() AT TIME ZONE 'UTC') RETURNING id""", params)
            param_id = cr.fetchone()[0]
        self._invalidate_parameters()
        _logger.info('pharmacy setting %s: %r', spec.key, text)
        if spec.apply:
            value = self._parse(spec, text)[0] if text is not None else spec.default
            getattr(self, spec.apply)(value)
        return param_id

    @api.model
    def _invalidate_parameters(self):
        params = self.env['ir.config_parameter']
        params.invalidate_cache()
        params.clear_caches()   # get_param()

    # --- the refill threshold ------------------------------------------------------------
    @api.model
    def _store_refill_threshold(self, spec, text):
        """Store a new refill threshold and recompute every refill-too-soon date with it.

        Deleting the parameter (``text`` None) stores the default instead: the row stays, as
        the fills lock it. Nothing happens when the threshold is unchanged. Otherwise, in one
        transaction: lock the table ``ir_config_parameter`` in EXCLUSIVE mode, write the
        parameter, and set with ONE UPDATE, for every active prescription with a counted fill,
        refill too soon until = last fill date + ceil(last fill days supply x threshold)
        (in exact decimal, as ``tools.refill_eligible_date``). The parameter and the dates commit
        or roll back together.

        Race with the fills: a transaction that computes a refill date reads the threshold
        ``FOR SHARE`` (``get(..., lock=True)``), which conflicts with the lock, so the lock
        waits until every such transaction has ended; one that reads while the lock is held
        waits, then fails with a serialisation error once the change commits, and Odoo retries
        it with the new threshold. The UPDATE must see what those finished transactions
        committed, so it must run on a snapshot taken after the lock: PostgreSQL takes a
        transaction's snapshot at its first query, and LOCK TABLE takes none. So when this
        transaction has written nothing yet (the settings' Save, a write of the parameter over
        RPC), the change runs in a new transaction whose first statement is the lock, and
        commits before the caller's own transaction. When this transaction has written already
        (a test, a script, the installation), waiting for a lock from a second transaction
        could wait for this one forever, so the change runs in this transaction, whose
        snapshot is older than the lock: a fill committed in between could keep a date
        computed with the old threshold.
        """
        if text is None:
            text = spec.format(spec.default)
        row = self._read_row(spec.key)
        if row is not None and row[1] == text:
            return row[0]
        cr = self.env.cr
        cr.execute('SELECT txid_current_if_assigned()')
        if cr.fetchone()[0] is None:
            with self.pool.cursor() as own_cursor:      # committed at the end of the block
                param_id = self._write_refill_threshold(own_cursor, text)
        else:
            param_id = self._write_refill_threshold(cr, text)
        self.env['pharmacy.patient.medication'].invalidate_cache(['refill_eligible_date'])
        self._invalidate_parameters()
        return param_id

    @api.model
    def _write_refill_threshold(self, db_cursor, value):
        """Lock, write the parameter and the refill-too-soon dates on ``db_cursor``; return
        the parameter's id."""
        own = db_cursor is not self.env.cr
        params = {'key': REFILL_THRESHOLD.key, 'value': value, 'uid': self.env.uid}
        db_cursor.execute('SET LOCAL lock_timeout = %s', [LOCK_TIMEOUT])
        db_cursor.execute('LOCK TABLE ir_config_parameter IN EXCLUSIVE MODE')
        if not own:  # leave the caller's transaction with its own lock timeout
            db_cursor.execute('SET LOCAL lock_timeout TO DEFAULT')
        db_cursor.execute("""
            UPDATE ir_config_parameter
               SET value = %(value)s, write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
             WHERE key = %(key)s RETURNING id""", params)
        row = db_cursor.fetchone()
        if not row:
            db_cursor.execute("""
                INSERT INTO ir_config_parameter
                       (key, value, create_uid, create_date, write_uid, write_date)
                VALUES (%(key)s, %(value)s, %(uid)s, now() AT TIME ZONE 'UTC',
                        %(uid)s, now() AT TIME ZONE 'UTC') RETURNING id""", params)
            row = db_cursor.fetchone()
        eligible = refill_eligible_date_sql('last_fill_date', 'last_fill_days_supply',
                                            '%(value)s')
        db_cursor.execute("""
            UPDATE pharmacy_patient_medication
               SET refill_eligible_date = {eligible},
                   write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
             WHERE state = 'active' AND last_fill_date IS NOT NULL
               AND refill_eligible_date IS DISTINCT FROM {eligible}""".format(
            eligible=eligible), params)
        changed = db_cursor.rowcount
        status = fill_status_sql('state', 'pharmacy_today(company_id)', 'date_expiry',
                                 'refills_remaining', 'fill_count', 'refill_eligible_date')
        db_cursor.execute("""
            UPDATE pharmacy_patient_medication
               SET fill_status = {status},
                   write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
             WHERE fill_status IS DISTINCT FROM {status}""".format(status=status), params)
        _logger.info('refill threshold %s: %d refill-too-soon dates changed, in %s', value,
                     changed, 'its own transaction' if own else 'the caller\'s')
        return row[0]
