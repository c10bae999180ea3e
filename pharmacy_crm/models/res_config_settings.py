# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import logging

from odoo import _, api, fields, models
from odoo.addons.base.res.res_partner import _tz_get
from odoo.exceptions import AccessError, ValidationError

from .pharmacy_fill import PICKUP_REMINDER_DAYS
from .pharmacy_phi_mixin import PHARMACY_MANAGER, PHARMACY_STAFF

_logger = logging.getLogger(__name__)

REFILL_THRESHOLD = 'pharmacy_crm.refill_threshold'     # key of the system parameter
DEFAULT_REFILL_THRESHOLD = 0.8
# at most this long, a threshold change waits for the transactions that have read the old
# threshold (the pharmacy counter queues behind it meanwhile); then Odoo retries the save
LOCK_TIMEOUT = '5s'


class ResConfigSettings(models.TransientModel):
    """The Pharmacy block of Settings, saved by pharmacy managers as well as administrators.

    Pharmacy settings are the fields named ``pharmacy_*``, read by ``_get_pharmacy_values`` and
    applied by ``_set_pharmacy_values`` (extend both for a new one). Odoo's settings are for
    administrators: ``default_get`` reads every module's settings (some readable by
    administrators only) and ``execute`` refuses anyone else. For pharmacy staff who are not
    administrators, ``default_get`` gives the pharmacy settings and the other fields' plain
    defaults, reading no other module's settings. For a pharmacy manager among them (menu
    Pharmacy > Configuration > Settings: a form with the pharmacy block only), ``execute``
    applies the pharmacy settings and nothing else; it refuses (AccessError) when any other
    field differs from what ``default_get`` gives, i.e. when the manager tried to change
    something else. Technicians and pharmacists save nothing (AccessError).

    ``set_values``, which applies every module's settings (many as superuser), is refused to
    whoever is not an administrator: Odoo 11 calls it only from ``execute``, yet it is public,
    and pharmacy staff can now create a settings record, so they could call it over RPC.
    """

    _inherit = 'res.config.settings'

    pharmacy_refill_threshold = fields.Float(
        string='Refill Threshold', digits=(16, 2), default=DEFAULT_REFILL_THRESHOLD,
        help='Share of the days supply after which payers pay a refill: refill too soon until '
             '= last fill + ceil(days supply x threshold). More than 0 and at most 1, e.g. '
             '0.80 for 80%. A new value applies at once to every active prescription.')

    pharmacy_tz = fields.Selection(
        _tz_get, string='Pharmacy Time Zone',
        help='The time zone of the pharmacy (your company): it decides which day "today" is '
             'for fills, due dates, worklists and scheduled actions, whoever is logged in.')

    pharmacy_pickup_reminder_days = fields.Integer(
        string='Waiting for Pickup After', default=7,
        help='Days after the fill from which a fill not picked up is listed in the worklist '
             'Waiting for Pickup (a return-to-stock candidate): a whole number from 1 to 365.')

    @api.constrains('pharmacy_pickup_reminder_days')
    def _check_pharmacy_pickup_reminder_days(self):
        for settings in self:
            if not 1 <= settings.pharmacy_pickup_reminder_days <= 365:
                raise ValidationError(_(
                    'Waiting for Pickup After must be a whole number of days from 1 to 365 '
                    '(got %s).') % settings.pharmacy_pickup_reminder_days)

    @api.constrains('pharmacy_refill_threshold')
    def _check_pharmacy_refill_threshold(self):
        for settings in self:
            settings._check_refill_threshold(settings.pharmacy_refill_threshold)

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
        ``_apply_refill_threshold``); they stay applied if the rest of an administrator's save
        fails afterwards.
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
        """The current pharmacy settings (fields ``pharmacy_*``)."""
        values = {
            'pharmacy_tz': self.env.user.company_id.sudo().partner_id.tz or False,
            'pharmacy_refill_threshold': self._get_refill_threshold(),
            'pharmacy_pickup_reminder_days': self.env['pharmacy.fill']._pickup_reminder_days()}
        return values

    def _set_pharmacy_values(self):
        """Apply the pharmacy settings (fields ``pharmacy_*``)."""
        self.ensure_one()
        self._apply_refill_threshold(self.pharmacy_refill_threshold)
        company_partner = self.env.user.company_id.sudo().partner_id
        if self.pharmacy_tz and self.pharmacy_tz != company_partner.tz:
            company_partner.write({'tz': self.pharmacy_tz})
        if self.pharmacy_pickup_reminder_days != self.env['pharmacy.fill']._pickup_reminder_days():
            self.env['ir.config_parameter'].sudo().set_param(
                PICKUP_REMINDER_DAYS, str(self.pharmacy_pickup_reminder_days))
        return True

    @api.model
    def _check_refill_threshold(self, threshold):
        if not 0 < threshold <= 1:
            raise ValidationError(_(
                'Refill Threshold must be more than 0 and at most 1: the share of the days '
                'supply after which payers pay a refill, e.g. 0.80 for 80%% (got %s).')
                % threshold)

    @api.model
    def _get_refill_threshold(self):
        """The refill threshold as this transaction sees it (not Odoo's process-wide cache)."""
        value = self._read_refill_threshold()
        try:
            return float(value) if value else DEFAULT_REFILL_THRESHOLD
        except ValueError:  # written by hand in the system parameters: offer the default
            return DEFAULT_REFILL_THRESHOLD

    @api.model
    def _read_refill_threshold(self):
        """The parameter's text as this transaction sees it, None when there is none."""
        self.env.cr.execute('SELECT value FROM ir_config_parameter WHERE key = %s',
                            [REFILL_THRESHOLD])
        row = self.env.cr.fetchone()
        return row and row[0]

    @api.model
    def _apply_refill_threshold(self, threshold):
        """Store a new refill threshold and recompute every refill-too-soon date with it.

        Nothing happens when the threshold is unchanged. Otherwise, in one transaction: lock the
        table ``ir_config_parameter`` in EXCLUSIVE mode, write the parameter, and set with ONE
        UPDATE, for every active prescription with a counted fill,
        refill too soon until = last fill date + ceil(last fill days supply x threshold)
        (in exact decimal, as ``tools.refill_eligible_date``). The parameter and the dates commit
        or roll back together.

        Race with the fills: a transaction that computes a refill date reads the threshold
        ``FOR SHARE`` (``pharmacy.patient.medication._refill_threshold``), which conflicts with
        the lock, so the lock waits until every such transaction has ended; one that reads while
        the lock is held waits, then fails with a serialisation error once the change commits,
        and Odoo retries it with the new threshold. The UPDATE must see what those finished
        transactions committed, so it must run on a snapshot taken after the lock: PostgreSQL
        takes a transaction's snapshot at its first query, and LOCK TABLE takes none. So when
        this transaction has written nothing yet (the settings' Save), the change runs in a new
        transaction whose first statement is the lock, and commits before the settings' own
        transaction. When this transaction has written already (a test, a script), waiting for
        a lock from a second transaction could wait for this one forever, so the change runs in
        this transaction, whose snapshot is older than the lock: a fill committed in between
        could keep a date computed with the old threshold.
        """
        self._check_refill_threshold(threshold)
        value = str(threshold)
        if value == self._read_refill_threshold():
            return
        if not (self._is_settings_admin() or self.env.user.has_group(PHARMACY_MANAGER)):
            raise AccessError(_(
                'Only pharmacy managers and administrators can change the refill threshold.'))
        cr = self.env.cr
        cr.execute('SELECT txid_current_if_assigned()')
        if cr.fetchone()[0] is None:
            with self.pool.cursor() as own_cursor:      # committed at the end of the block
                self._write_refill_threshold(own_cursor, value)
        else:
            self._write_refill_threshold(cr, value)
        self.env['pharmacy.patient.medication'].invalidate_cache(['refill_eligible_date'])
        self.env['ir.config_parameter'].clear_caches()   # for get_param()

    def _write_refill_threshold(self, db_cursor, value):
        """Lock, write the parameter and the refill-too-soon dates on ``db_cursor``."""
        own = db_cursor is not self.env.cr
        params = {'key': REFILL_THRESHOLD, 'value': value, 'uid': self.env.uid}
        db_cursor.execute('SET LOCAL lock_timeout = %s', [LOCK_TIMEOUT])
        db_cursor.execute('LOCK TABLE ir_config_parameter IN EXCLUSIVE MODE')
        if not own:  # leave the caller's transaction with its own lock timeout
            db_cursor.execute('SET LOCAL lock_timeout TO DEFAULT')
        db_cursor.execute("""
            UPDATE ir_config_parameter
               SET value = %(value)s, write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
             WHERE key = %(key)s""", params)
        if not db_cursor.rowcount:
            db_cursor.execute("""
                INSERT INTO ir_config_parameter
                       (key, value, create_uid, create_date, write_uid, write_date)
                VALUES (%(key)s, %(value)s, %(uid)s, now() AT TIME ZONE 'UTC',
                        %(uid)s, now() AT TIME ZONE 'UTC')""", params)
        db_cursor.execute("""
            UPDATE pharmacy_patient_medication
               SET refill_eligible_date = last_fill_date
                       + CEIL(last_fill_days_supply * %(value)s::numeric)::integer,
                   write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
             WHERE state = 'active' AND last_fill_date IS NOT NULL
               AND refill_eligible_date IS DISTINCT FROM last_fill_date
                       + CEIL(last_fill_days_supply * %(value)s::numeric)::integer""", params)
        _logger.info('refill threshold %s: %d refill-too-soon dates changed, in %s', value,
                     db_cursor.rowcount, 'its own transaction' if own else 'the caller\'s')
