# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models

REFERRAL_COLUMN = 'referral_source'


class PharmacyImport(models.AbstractModel):
    """The dispensing export's optional ``referral_source``: the source (``utm.source``) of
    the patients the import creates, through the importer's two hooks."""

    _inherit = 'pharmacy.import'

    @api.model
    def _imp_extra_columns(self):
        return tuple(super()._imp_extra_columns()) + (REFERRAL_COLUMN,)

    @api.model
    def _imp_patients_created(self, company, patient_ids):
        """Each new patient gets the referral source of their last good line that names one
        (spaces trimmed and collapsed); names are matched to ``utm.source`` case-insensitively,
        the unknown ones created (once per distinct name). Set-based: one SELECT of the
        distinct names, one UPDATE. Returns True."""
        result = super()._imp_patients_created(company, patient_ids)
        if not patient_ids:
            return result
        cr = self.env.cr
        # imp_stage has the column whether the file has it or not (NULL then)
        cr.execute("""
            CREATE TEMP TABLE imp_referral ON COMMIT DROP AS
            SELECT DISTINCT ON (r.patient_key) i.id AS patient_id,
                   regexp_replace(btrim(s.referral_source), '\\s+', ' ', 'g') AS name
              FROM imp_patient i
              JOIN imp_row r ON r.patient_key = i.patient_key AND r.error IS NULL
              JOIN imp_stage s ON s.line = r.line AND btrim(s.referral_source) <> ''
             WHERE i.id = ANY(%s)
          ORDER BY r.patient_key, r.line DESC""", [list(patient_ids)])
        cr.execute('SELECT DISTINCT name FROM imp_referral ORDER BY name')
        names = [name for (name,) in cr.fetchall()]
        if names:
            cr.execute('SELECT lower(name), min(id) FROM utm_source WHERE lower(name) = ANY(%s) '
                       'GROUP BY lower(name)', [[name.lower() for name in names]])
            known = dict(cr.fetchall())
            Source = self.env['utm.source'].sudo()
            for name in names:
                if name.lower() not in known:
                    known[name.lower()] = Source.create({'name': name}).id
            cr.execute("""
                UPDATE res_partner p SET pharmacy_source_id = s.source_id
                  FROM imp_referral r
                  JOIN unnest(%s::varchar[], %s::int[]) AS s(name, source_id)
                    ON s.name = lower(r.name)
                 WHERE p.id = r.patient_id""", [list(known), list(known.values())])
            self.env['res.partner'].invalidate_cache(['pharmacy_source_id'])
        cr.execute('DROP TABLE imp_referral')
        return result
