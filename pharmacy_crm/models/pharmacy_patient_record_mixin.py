# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class PharmacyPatientRecordMixin(models.AbstractModel):
    """A record about one patient (a prescription, a note, a consent, an incident...): what
    every such record shares, declared once.

    - patient data (``pharmacy.phi.mixin``): read by the pharmacy staff of the patient's
      company only (access rights, the company rule), values checked, server fields refused,
      never deleted;
    - audited (``pharmacy.audit.mixin``): creates, writes, views (``_audit_view_fields``) and
      exports are in the access log, with the patient;
    - ``patient_id``: the patient, required, indexed, tracked where the model has a chatter; a
      patient named by a record is never deleted (``ondelete='restrict'``);
    - ``company_id``: the patient's pharmacy, stored for the company rule, never given.

    A model overrides an attribute of ``patient_id`` where it differs (e.g. read-only once
    proposed, or the patient's preferences deleted with the contact). A record whose patient
    comes through another record (a fill through its prescription, a sync appointment through
    its enrollment, an appointment line through its appointment) keeps a related ``patient_id``
    and ``company_id`` and inherits ``pharmacy.phi.mixin`` and ``pharmacy.audit.mixin``
    instead: the same company rule, guard and access log.
    """

    _name = 'pharmacy.patient.record.mixin'
    _inherit = ['pharmacy.phi.mixin', 'pharmacy.audit.mixin']
    _description = 'Patient Record'

    patient_id = fields.Many2one(
        'res.partner', required=True, index=True, ondelete='restrict',
        domain=[('is_patient', '=', True)], track_visibility='onchange')
    company_id = fields.Many2one(
        related='patient_id.company_id', store=True, index=True, readonly=True,
        help="The patient's pharmacy.")
