# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import _, fields, models
from odoo.tools.misc import format_date

from .pharmacy_setting import SYNC_DUE_WINDOW_DAYS


class PharmacySyncDueTogether(models.Model):
    """Due together: one row per active patient not enrolled in refill sync who has two or more
    active prescriptions due within W days of each other (W: the pharmacy setting
    sync_due_window_days, 7 by default, which the view reads in its system parameter), from W
    days ago on.

    A prescription is listed when another of the same patient is due at most W days before or
    after it; the row gives the first and last of those due dates, their count and the dates.
    One SQL view: a page of the list is one query whatever the number of patients.
    """

    _name = 'pharmacy.sync.due.together'
    _inherit = ['pharmacy.sql.view.mixin', 'pharmacy.company.rule.mixin']
    _description = 'Prescriptions Due Together'
    _auto = False
    _order = 'first_due_date, id'   # id: the patient's id
    _rec_name = 'patient_id'

    patient_id = fields.Many2one('res.partner', readonly=True)
    patient_phone = fields.Char(related='patient_id.phone', string='Phone', readonly=True)
    first_due_date = fields.Date(string='First Due', readonly=True)
    last_due_date = fields.Date(string='Last Due', readonly=True)
    prescription_count = fields.Integer(string='Prescriptions', readonly=True)
    due_rx_ids = fields.Char(readonly=True,
                             help='IDs of the prescriptions due together, by due date.')
    due_dates = fields.Char(
        string='Due Together', compute='_compute_due_dates',
        help='Each prescription due together: drug, Rx number and due date.')
    company_id = fields.Many2one('res.company', readonly=True)

    def _due_query(self):
        """The CTEs ``params`` (the window W), ``pharmacy_day`` (each pharmacy's today) and
        ``due``: the active prescriptions (id, patient_id, company_id, rx_number,
        next_due_date) due from W days ago on, of active patients not enrolled in refill sync.
        Shared with the addons that propose sync to a patient (parameters: ``_view_params``),
        so that "not enrolled, due" is written once."""
        return """
                WITH params AS (
                    SELECT COALESCE((SELECT CASE WHEN value ~ '^[0-9]{1,3}$'
                                                 THEN value::integer END
                                       FROM ir_config_parameter
                                      WHERE key = %s), %s) AS window_days
                ), pharmacy_day AS (   -- each pharmacy's today, computed once per company
                    SELECT id AS company_id, pharmacy_today(id) AS today FROM res_company
                ), due AS (
                    SELECT rx.id, rx.patient_id, rx.company_id, rx.rx_number, rx.next_due_date
                      FROM pharmacy_patient_medication rx
                      JOIN res_partner patient ON patient.id = rx.patient_id
                      LEFT JOIN pharmacy_day ON pharmacy_day.company_id = rx.company_id
                     CROSS JOIN params
                     WHERE rx.state = 'active' AND rx.active
                       AND rx.next_due_date >= COALESCE(pharmacy_day.today,
                                                        (SELECT pharmacy_today(NULL)))
                                               - params.window_days
                       AND patient.active AND patient.patient_state = 'active'
                       AND NOT EXISTS (SELECT 1 FROM pharmacy_sync_enrollment e
                                        WHERE e.patient_id = rx.patient_id
                                          AND e.state IN ('enrolled', 'paused'))
                )"""

    def _view_query(self):
        return self._due_query() + """, together AS (
                    SELECT due.* FROM due CROSS JOIN params
                     WHERE EXISTS (SELECT 1 FROM due other
                                    WHERE other.patient_id = due.patient_id
                                      AND other.id != due.id
                                      AND abs(other.next_due_date - due.next_due_date)
                                          <= params.window_days)
                )
                SELECT patient_id AS id, patient_id, min(company_id) AS company_id,
                       min(next_due_date) AS first_due_date,
                       max(next_due_date) AS last_due_date,
                       count(*) AS prescription_count,
                       string_agg(id::text, ',' ORDER BY next_due_date, rx_number)
                           AS due_rx_ids
                  FROM together
              GROUP BY patient_id
        """

    def _compute_due_dates(self):
        """"Atorvastatin 20 mg (Rx 900001) 12/21/2026, ...": the drugs as staff name them,
        the dates in the user's format; the prescriptions of the whole page read at once."""
        ids = {row.id: [int(i) for i in (row.due_rx_ids or '').split(',') if i]
               for row in self}
        prescriptions = self.env['pharmacy.patient.medication'].browse(
            [i for row_ids in ids.values() for i in row_ids])
        prescriptions.read(['rx_number', 'medication_id', 'next_due_date'])   # one query
        for row in self:
            row.due_dates = ', '.join('%s (%s) %s' % (
                rx.medication_id.display_name, _('Rx %s') % rx.rx_number,
                format_date(self.env, rx.next_due_date))
                for rx in prescriptions.browse(ids[row.id]).with_prefetch(
                    prescriptions._prefetch))

    def _view_params(self):
        return [SYNC_DUE_WINDOW_DAYS.key, SYNC_DUE_WINDOW_DAYS.default]

    def action_open_patient(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'res.partner',
            'res_id': self.patient_id.id,
            'view_mode': 'form',
            'views': [(self.env.ref('pharmacy_crm.res_partner_patient_view_form').id, 'form')],
        }
