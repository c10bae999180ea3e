# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models


class PharmacyRecordCopyReport(models.AbstractModel):
    """The values of the record copy, read with the rights of the user printing it (a portal
    patient or caregiver, or pharmacy staff); each copy is an access-log entry."""

    _name = 'report.pharmacy_crm_portal.report_record_copy'
    _description = 'Copy of the Pharmacy Record'

    @api.model
    def get_report_values(self, docids, data=None):
        docs = self.env['res.partner'].browse(docids)
        copies = {doc.id: doc._pharmacy_record_copy_data() for doc in docs}
        docs._audit_log('export', field_names=['record copy (pdf)'])
        return {'doc_ids': docids, 'doc_model': 'res.partner', 'docs': docs, 'copies': copies}
