# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, fields, models

from odoo.addons.pharmacy_crm.models.pharmacy_phi_mixin import PHARMACY_STAFF

from ..tools.recipients import EMAIL_SQL
from ..tools.value_score import value_score_sql
from .mass_mailing import MAILING_CONTACT


class ResPartner(models.Model):
    """A patient who stops being served (e.g. dismissed) leaves every mailing list; a patient
    who opts out (the unsubscribe link of a mailing, or the contact's Opt-Out) refuses email
    marketing in ``pharmacy.consent``."""

    _name = 'res.partner'
    _inherit = ['res.partner', 'pharmacy.opt.out.mixin']
    _pharmacy_server_fields = ('pharmacy_value_score',)

    pharmacy_value_score = fields.Float(
        string='Value Score', digits=(5, 2), readonly=True, copy=False,
        groups=PHARMACY_STAFF,
        help='From 0 to 100: recency of the last fill (30), fills in 12 months (25), active '
             'maintenance prescriptions (20), tenure (15) and adherence (10, when known). '
             'Computed every night.')

    def _pharmacy_leave_mailing_lists(self):
        """The mailing contacts with the patients' email addresses leave every list and opt
        out (Odoo 11 has no blacklist: an opted-out contact is never mailed again)."""
        contacts = self._pharmacy_mailing_contacts()
        contacts.with_context(pharmacy_consent_sync=True).write(
            {'list_ids': [(5, 0, 0)], 'opt_out': True})
        return super()._pharmacy_leave_mailing_lists()

    # --- consent ---------------------------------------------------------------------------
    def _pharmacy_mailing_contacts(self):
        """The mailing contacts (all lists) with these partners' email addresses, as the
        system."""
        emails = [email.strip() for email in self.sudo().mapped('email')
                  if email and email.strip()]
        if not emails:
            return self.env[MAILING_CONTACT].sudo()
        domain = ['|'] * (len(emails) - 1) + [('email', '=ilike', e) for e in emails]
        return self.env[MAILING_CONTACT].sudo().with_context(active_test=False).search(domain)

    @api.model
    def _pharmacy_patients_by_email(self, emails):
        """The patients (archived too) whose address is one of ``emails``, matched as Odoo's
        mass mailing matches addresses (first address, lower case): one query."""
        emails = list({email.lower() for email in emails if email})
        if not emails:
            return self.browse()
        self.env.cr.execute(
            'SELECT id FROM res_partner p WHERE p.is_patient AND %s = ANY(%%s)'
            % EMAIL_SQL.format('p.email'), [emails])
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _pharmacy_refuse_email_marketing(self):
        """These contacts' patients refuse email marketing, today, source "Email reply"; their
        reminder consent is untouched. Written as the system: whoever records the opt-out (a
        marketing user, the public unsubscribe page) may not read consent. Returns True."""
        patients = self.sudo().filtered('is_patient')
        self.env['pharmacy.consent'].sudo()._pharmacy_set_email_marketing(
            patients, 'refused', 'email')
        return True

    @api.model
    def _pharmacy_domain_clinical_fields(self, domain):
        """The field paths of ``domain`` (on contacts) that reach data only pharmacy staff
        read: a field declared for staff only, or a pharmacy record other than a contact
        (prescriptions, fills, notes...)."""
        clinical = set()
        for leaf in domain:
            if not isinstance(leaf, (list, tuple)) or len(leaf) != 3:
                continue
            model = self
            for name in str(leaf[0]).split('.'):
                field = model._fields.get(name)
                if field is None:
                    break
                groups = set(filter(None, (field.groups or '').split(',')))
                comodel = self.env[field.comodel_name] if field.relational else None
                if PHARMACY_STAFF in groups or (
                        comodel is not None and comodel._name != 'res.partner'
                        and getattr(comodel, '_pharmacy_phi', False)):
                    clinical.add(leaf[0])
                    break
                if comodel is None:
                    break
                model = comodel
        return clinical

    # --- value score -----------------------------------------------------------------------
    @api.model
    def _pharmacy_value_adherence_sql(self):
        """SQL of a patient's (``res_partner p``) adherent share from 0 to 1, NULL when
        unknown: a feature measuring adherence overrides it."""
        return 'NULL'

    @api.model
    def _pharmacy_compute_value_scores(self):
        """Store every patient's value score (``tools/value_score.py``): one UPDATE over all
        patients, rows whose score changed only. Returns True."""
        score = value_score_sql(
            't.day - f.last_date', 'COALESCE(f.fills_12m, 0)',
            'COALESCE(m.maintenance, 0)', 't.day - f.first_date',
            self._pharmacy_value_adherence_sql())
        # each pharmacy's date once (a CTE), not once per fill: pharmacy_today() reads the
        # company's time zone
        # the statement is made of this code's SQL fragments only (no value of a user's)
        self.env.cr.execute(  # pylint: disable=sql-injection
            """
            WITH today AS (SELECT c.id AS company_id, pharmacy_today(c.id) AS day
                             FROM res_company c)
            UPDATE res_partner r SET pharmacy_value_score = s.score
              FROM (SELECT p.id, {score} AS score
                      FROM res_partner p
                      JOIN today t ON t.company_id = p.company_id
                      LEFT JOIN (SELECT fl.patient_id, MAX(fl.fill_date) AS last_date,
                                        MIN(fl.fill_date) AS first_date,
                                        COUNT(*) FILTER (WHERE fl.fill_date > d.day - 365)
                                            AS fills_12m
                                   FROM pharmacy_fill fl
                                   JOIN today d ON d.company_id = fl.company_id
                                  WHERE fl.counts
                                  GROUP BY fl.patient_id) f ON f.patient_id = p.id
                      LEFT JOIN (SELECT rx.patient_id, COUNT(*) AS maintenance
                                   FROM pharmacy_patient_medication rx
                                   JOIN pharmacy_medication d ON d.id = rx.medication_id
                                  WHERE rx.active AND rx.state = 'active' AND d.is_maintenance
                                  GROUP BY rx.patient_id) m ON m.patient_id = p.id
                     WHERE p.is_patient) s
             WHERE r.id = s.id AND r.pharmacy_value_score IS DISTINCT FROM s.score
        """.format(score=score))
        self.invalidate_cache(['pharmacy_value_score'])
        return True
