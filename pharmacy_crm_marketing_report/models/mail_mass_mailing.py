# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.pharmacy_crm.tools import dates

from ..tools.rates import holdout_size
from .mass_mailing import (MAILING_CONTACT, MAILING_CONTACT_TABLE, MAILING_STATISTICS,
                           MASS_MAILING)

MAX_HOLDOUT_PERCENT = 50
DEMO_SENT_DAYS_AGO = 40


class MailMassMailing(models.Model):
    """A hold-out group on a mass mailing: a percentage of its recipients, drawn at random
    when it is first sent, never receives it; the campaign return report compares how many
    of them came back to the counter with the recipients.

    Enforced at send time: the hold-out is drawn before the first message, and the recipients
    Odoo sends to (``get_recipients``, whatever calls it: the send button, the mail queue's
    scheduled action, a send with explicit recipients) never include a held-out one."""

    _inherit = MASS_MAILING

    pharmacy_holdout_percent = fields.Integer(
        string='Hold-out (%)', default=0, copy=True,
        help='This share of the recipients (0 to 50%), drawn at random when the mailing is '
             'first sent, does not receive it: the comparison group of the campaign return '
             'report.')
    pharmacy_holdout_drawn = fields.Boolean(
        string='Hold-out Drawn', readonly=True, copy=False,
        help='The hold-out group was drawn at the first send.')
    pharmacy_holdout_count = fields.Integer(
        string='Held Out', compute='_compute_pharmacy_holdout_count',
        help='Recipients held out of this mailing.')

    def _compute_pharmacy_holdout_count(self):
        counts = {}
        if self.ids:
            self.env.cr.execute('SELECT mailing_id, count(*) FROM pharmacy_mailing_holdout '
                                'WHERE mailing_id = ANY(%s) GROUP BY mailing_id', [self.ids])
            counts = dict(self.env.cr.fetchall())
        for mailing in self:
            mailing.pharmacy_holdout_count = counts.get(mailing.id, 0)

    @api.constrains('pharmacy_holdout_percent')
    def _check_pharmacy_holdout_percent(self):
        for mailing in self:
            if not 0 <= mailing.pharmacy_holdout_percent <= MAX_HOLDOUT_PERCENT:
                raise ValidationError(_(
                    'Hold-out (%%): %(value)s is out of range. Enter a percentage from 0 to '
                    '%(max)s (0: no hold-out).') % {
                        'value': mailing.pharmacy_holdout_percent, 'max': MAX_HOLDOUT_PERCENT})

    # --- recipients ------------------------------------------------------------------------
    def get_recipients(self):
        """The recipients, without those held out of the mailing."""
        res_ids = super().get_recipients()
        held = self._pharmacy_held_out_ids()
        return [res_id for res_id in res_ids if res_id not in held]

    @api.multi
    def send_mail(self, res_ids=None):
        """Draw the hold-out at the first send, then send to the others only; returns True."""
        for mailing in self:
            mailing._pharmacy_draw_holdout()
        if res_ids:
            held = self._pharmacy_held_out_ids()
            res_ids = [res_id for res_id in res_ids if res_id not in held]
        super().send_mail(res_ids)
        return True

    # --- business methods ------------------------------------------------------------------
    def _pharmacy_held_out_ids(self):
        """The ids of the recipient records held out of these mailings (one query)."""
        if not self.ids:
            return set()
        self.env.cr.execute('SELECT res_id FROM pharmacy_mailing_holdout '
                            'WHERE mailing_id = ANY(%s)', [self.ids])
        return {row[0] for row in self.env.cr.fetchall()}

    def _pharmacy_draw_holdout(self, by_name=False):
        """Once per mailing, before its first message: hold out ``pharmacy_holdout_percent`` %
        of the recipients it may reach (consent applied), chosen at random (a hash of the
        mailing and the recipient: the same draw whoever sends), with one INSERT. Returns
        True. ``by_name``: drawn by a hash of the recipients' names instead (the demo data)."""
        self.ensure_one()
        mailing = self.sudo()
        if mailing.pharmacy_holdout_drawn or not mailing.pharmacy_holdout_percent:
            return True
        eligible = mailing.get_recipients()
        size = holdout_size(len(eligible), mailing.pharmacy_holdout_percent)
        if mailing.mailing_model_real == 'res.partner':
            patient = ('(SELECT p.id FROM res_partner p '
                       ' WHERE p.id = r.res_id AND p.is_patient)')
        elif mailing.mailing_model_real == MAILING_CONTACT:
            patient = ('(SELECT c.pharmacy_patient_id FROM %s c WHERE c.id = r.res_id)'
                       % MAILING_CONTACT_TABLE)
        else:
            patient = 'NULL::integer'
        if size:
            self.env.cr.execute("""
                INSERT INTO pharmacy_mailing_holdout
                       (mailing_id, res_id, patient_id, date,
                        create_uid, create_date, write_uid, write_date)
                SELECT %(mailing)s, r.res_id, {patient}, %(now)s,
                       %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM unnest(%(ids)s) AS r(res_id)
              ORDER BY {key}, r.res_id
                 LIMIT %(size)s
                    ON CONFLICT DO NOTHING
            """.format(patient=patient, key=(
                "(SELECT md5('flu:' || p.name) FROM res_partner p WHERE p.id = r.res_id)"
                if by_name else "md5(%(mailing)s || ':' || r.res_id)")), {
                'mailing': mailing.id, 'ids': list(eligible), 'size': size, 'uid': self.env.uid,
                'now': fields.Datetime.to_string(dates.utcnow())})
        mailing.write({'pharmacy_holdout_drawn': True})
        return True

    @api.model
    def _pharmacy_demo_send(self, mailing_ids):
        """Demo data: record the mailings as sent 40 days ago, with their hold-out, without a
        message leaving (a statistics line per recipient, as Odoo's send writes them), so the
        campaign return report has a month of fills to count. Returns True."""
        moment = fields.Datetime.to_string(dates.utcnow() - timedelta(days=DEMO_SENT_DAYS_AGO))
        for mailing in self.browse(mailing_ids).sudo():
            # matched = sent + held out + dropped, as a real send counts them
            mailing._pharmacy_count_dropped(mailing._pharmacy_raw_recipients())
            # drawn by the recipients' names, not their ids: the ids of demo records depend
            # on what was installed before (tests at install take ids), and the demo's story
            # (the mailing brought back more patients than its hold-out) with them
            mailing._pharmacy_draw_holdout(by_name=True)
            for res_id in mailing.get_recipients():
                self.env[MAILING_STATISTICS].create({
                    'model': mailing.mailing_model_real, 'res_id': res_id,
                    'mass_mailing_id': mailing.id, 'sent': moment})
            self.env.cr.execute('UPDATE pharmacy_mailing_holdout SET date = %s '
                                'WHERE mailing_id = %s', [moment, mailing.id])
            mailing.write({'state': 'done', 'sent_date': moment})
        return True
