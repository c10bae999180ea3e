# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo.http import request
from odoo.tools.misc import format_date

from odoo.addons.pharmacy_crm.models.res_company import pharmacy_today
from odoo.addons.pharmacy_crm_portal.controllers.main import PharmacyPortal

# appointments still to come for the patient
UPCOMING = ('to_confirm', 'confirmed', 'filled', 'ready')


class PharmacyPortalSync(PharmacyPortal):

    def _pharmacy_patient_values(self, patient, **extra):
        """The next refill sync appointment of the patient, read with the user's rights."""
        values = super()._pharmacy_patient_values(patient, **extra)
        Appointment = request.env['pharmacy.sync.appointment']
        appointment = Appointment.search([
            ('patient_id', '=', patient.id), ('state', 'in', UPCOMING),
            ('date', '>=', pharmacy_today(patient.sudo()))], order='date, id', limit=1)
        states = dict(Appointment._fields['state']._description_selection(request.env))
        values['sync_appointment'] = appointment and {
            'date': format_date(request.env, appointment.date),
            'state': states.get(appointment.state),
        }
        return values
