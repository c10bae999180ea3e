# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models

from ..models.pharmacy_sync_enrollment import DROPOUT_REASONS


class PharmacySyncReport(models.Model):
    """Refill sync enrollments: one row per enrollment, to count enrolled patients over time
    (by month of enrollment), drop-outs by reason, and pickup trips before and after.

    A trip is a day on which the patient picked up at least one fill (distinct pickup dates of
    fills picked up). trips before = trips in the 90 days before enrollment / 3 (per month);
    trips after = trips from enrollment to today or the drop-out, at most 90 days, divided by
    those days / 30 (at least one month). Pivot and graph average them.
    """

    _name = 'pharmacy.sync.report'
    _inherit = ['pharmacy.sql.view.mixin', 'pharmacy.company.rule.mixin']
    _description = 'Refill Sync Enrollments Report'
    _auto = False
    _order = 'enrolled_on desc, patient_id'
    _rec_name = 'patient_id'

    patient_id = fields.Many2one('res.partner', readonly=True)
    enrolled_on = fields.Date(readonly=True)
    state = fields.Selection([('enrolled', 'Enrolled'), ('paused', 'Paused'),
                              ('dropped', 'Dropped out')], readonly=True)
    dropout_reason = fields.Selection(DROPOUT_REASONS, string='Drop-out Reason', readonly=True)
    dropout_date = fields.Date(string='Dropped Out On', readonly=True)
    enrollment_count = fields.Integer(string='Enrollments', readonly=True)
    trips_before = fields.Float(string='Trips per Month Before', digits=(16, 2),
                                readonly=True, group_operator='avg')
    trips_after = fields.Float(string='Trips per Month After', digits=(16, 2),
                               readonly=True, group_operator='avg')
    company_id = fields.Many2one('res.company', readonly=True)

    def _view_query(self):
        return """
                WITH trips AS (
                    SELECT DISTINCT patient_id, pickup_date
                      FROM pharmacy_fill
                     WHERE state = 'picked_up' AND pickup_date IS NOT NULL
                ), enrollment AS (
                    SELECT e.*, GREATEST(LEAST(
                               COALESCE(e.dropout_date, pharmacy_today(e.company_id)),
                               e.enrolled_on + 90) - e.enrolled_on, 30) AS days_after
                      FROM pharmacy_sync_enrollment e
                )
                SELECT e.id, e.patient_id, e.enrolled_on, e.state, e.dropout_reason,
                       e.dropout_date, e.company_id, 1 AS enrollment_count,
                       (SELECT count(*) FROM trips t
                         WHERE t.patient_id = e.patient_id
                           AND t.pickup_date >= e.enrolled_on - 90
                           AND t.pickup_date < e.enrolled_on) / 3.0 AS trips_before,
                       (SELECT count(*) FROM trips t
                         WHERE t.patient_id = e.patient_id
                           AND t.pickup_date >= e.enrolled_on
                           AND t.pickup_date < e.enrolled_on + e.days_after)
                           / (e.days_after / 30.0) AS trips_after
                  FROM enrollment e
        """
