# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import hashlib
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.pharmacy_crm.tools.dates import utcnow

# at most this many attempts per window, per client address and per Rx number
ATTEMPTS_PER_ADDRESS = 10
ATTEMPTS_PER_RX = 3
WINDOW = timedelta(hours=1)


def digest(value):
    """SHA-256 of a normalised value: no Rx number or address is stored in clear."""
    return hashlib.sha256((value or '').strip().upper().encode('utf-8')).hexdigest()


class PharmacyRefillAttempt(models.Model):
    """One try of the public refill form, for its rate limits: the digests of the client's
    address and of the Rx number typed, and when. Written by the server only; managers may
    read and clear them."""

    _name = 'pharmacy.refill.attempt'
    _description = 'Public Refill Form Attempt'
    _order = 'date desc, id desc'

    date = fields.Datetime(required=True, index=True, readonly=True)
    address_digest = fields.Char(required=True, index=True, readonly=True)
    rx_digest = fields.Char(required=True, index=True, readonly=True)

    @api.model
    def _pharmacy_allow(self, address, rx_number):
        """Record an attempt from ``address`` for ``rx_number``; False when either has made
        its limit of attempts within the window already (the attempt is still recorded)."""
        now = utcnow()
        since = fields.Datetime.to_string(now - WINDOW)
        address_digest, rx_digest = digest(address), digest(rx_number)
        self.env.cr.execute("""
            SELECT count(*) FILTER (WHERE address_digest = %s),
                   count(*) FILTER (WHERE rx_digest = %s)
              FROM pharmacy_refill_attempt WHERE date > %s""",
                            [address_digest, rx_digest, since])
        by_address, by_rx = self.env.cr.fetchone()
        self.sudo().create({'date': fields.Datetime.to_string(now),
                            'address_digest': address_digest, 'rx_digest': rx_digest})
        return by_address < ATTEMPTS_PER_ADDRESS and by_rx < ATTEMPTS_PER_RX
