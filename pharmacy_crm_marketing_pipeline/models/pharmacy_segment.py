# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, models


class PharmacySegment(models.Model):
    """What the members have in common: also their referral source ("Came From")."""

    _inherit = 'pharmacy.segment'

    def _pharmacy_profile_rows(self):
        """Also: the members' referral sources, the five most frequent and those without
        one."""
        rows = super()._pharmacy_profile_rows()
        members = self._pharmacy_member_ids()
        if not members:
            return rows
        self.env.cr.execute("""
            SELECT s.name, COUNT(*) AS n
              FROM res_partner p LEFT JOIN utm_source s ON s.id = p.pharmacy_source_id
             WHERE p.id = ANY(%s)
             GROUP BY s.name ORDER BY s.name IS NULL, n DESC, s.name""", [members])
        sources = self.env.cr.fetchall()   # before _(), which may query the same cursor
        section, unknown = _('Referral source'), _('Unknown')
        known = [(name, count) for name, count in sources if name][:5]
        rows += [(section, name, count, 100.0 * count / len(members)) for name, count in known]
        rows += [(section, unknown, count, 100.0 * count / len(members))
                 for name, count in sources if not name]
        return rows
