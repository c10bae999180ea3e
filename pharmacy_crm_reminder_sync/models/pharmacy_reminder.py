# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models

# the prescription is synced: opted in, and its patient's enrollment is running (a paused or
# dropped enrollment leaves the prescriptions to their own due dates)
SYNCED_SQL = """m.sync_opt_in AND EXISTS (
    SELECT 1 FROM pharmacy_sync_enrollment e
     WHERE e.patient_id = m.patient_id AND e.state = 'enrolled')"""
# the next appointment to come of a running enrollment (to confirm or confirmed)
APPOINTMENT_SQL = """
    SELECT DISTINCT ON (e.patient_id) e.patient_id, a.date
      FROM pharmacy_sync_appointment a
      JOIN pharmacy_sync_enrollment e ON e.id = a.enrollment_id
     WHERE e.state = 'enrolled' AND a.state IN ('to_confirm', 'confirmed')
       AND a.date >= pharmacy_today(e.company_id)
     ORDER BY e.patient_id, a.date"""


class PharmacyReminder(models.Model):
    """Refill sync: a synced prescription is due on the patient's next appointment."""

    _inherit = 'pharmacy.reminder'

    @api.model
    def _pharmacy_refill_items_sql(self):
        """The prescriptions not synced as before; the synced ones of a patient whose next
        appointment (to confirm or confirmed) is within ``%(due_days)s`` days, dated on it."""
        return """
            SELECT * FROM ({base}) base
             WHERE NOT EXISTS (SELECT 1 FROM pharmacy_patient_medication m
                                WHERE m.id = base.prescription_id AND {synced})
            UNION ALL
            SELECT m.patient_id, m.id, a.date
              FROM ({appointment}) a
              JOIN pharmacy_patient_medication m ON m.patient_id = a.patient_id
             WHERE m.active AND m.state = 'active' AND m.sync_opt_in
               AND a.date <= pharmacy_today(m.company_id) + %(due_days)s""".format(
            base=super()._pharmacy_refill_items_sql(), synced=SYNCED_SQL,
            appointment=APPOINTMENT_SQL)

    def _pharmacy_item_dates(self):
        """A synced prescription: the date of its patient's next appointment (to confirm or
        confirmed, of a running enrollment) from the reminder's day on (the one reminded), for
        all these reminders in one query."""
        dates = super()._pharmacy_item_dates()
        self.env.cr.execute("""
            SELECT r.id, m.id, a.date
              FROM pharmacy_reminder r
              JOIN pharmacy_reminder_prescription_rel rp ON rp.reminder_id = r.id
              JOIN pharmacy_patient_medication m ON m.id = rp.prescription_id AND m.sync_opt_in
             CROSS JOIN LATERAL (
                    SELECT a.date FROM pharmacy_sync_appointment a
                      JOIN pharmacy_sync_enrollment e ON e.id = a.enrollment_id
                     WHERE e.patient_id = r.patient_id AND e.state = 'enrolled'
                       AND a.state IN ('to_confirm', 'confirmed') AND a.date >= r.date
                     ORDER BY a.date LIMIT 1) a
             WHERE r.id = ANY(%s) AND r.reminder_type = 'refill'""", [self.ids])
        dates.update({(rid, rx_id): date for rid, rx_id, date in self.env.cr.fetchall()})
        return dates
