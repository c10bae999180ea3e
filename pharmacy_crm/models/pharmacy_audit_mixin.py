# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import threading

from odoo import SUPERUSER_ID, _, api, models

# mail bookkeeping written when someone follows a record: not a change of patient data
_IGNORED_FIELDS = frozenset(['message_follower_ids', 'message_partner_ids',
                             'message_channel_ids', 'message_last_post'])
# how deep the current thread is in Odoo's cache fill (record.field -> read()): not a view
_prefetching = threading.local()


class PharmacyAuditMixin(models.AbstractModel):
    """Writes ``pharmacy.access.log`` entries for the patient data of the model inheriting it.

    - view: ``read()`` of exactly one record whose result holds one of ``_audit_view_fields``
      (opening a form); reads of several records (lists) are not views;
    - create / write: one entry per record with the names of the fields given, never values;
    - export: one entry per ``export_data`` call with the field paths and the record count.

    The acting user is the environment's user; reads and writes made as the superuser are
    logged only when the superuser is also the user of the current request (admin over the
    web client or RPC), so Odoo's own ``sudo()`` calls do not flood the log.
    On ``res.partner`` only patients (``is_patient``) are logged.
    """

    _name = 'pharmacy.audit.mixin'
    _description = 'Patient Data Audit Mixin'
    # reading one of these fields of one record is a "view" of the patient's data
    _audit_view_fields = ()

    @api.model
    def create(self, vals):
        record = super().create(vals)
        record._audit_log('create', field_names=sorted(set(vals) - _IGNORED_FIELDS))
        return record

    def write(self, vals):
        result = super().write(vals)
        field_names = sorted(set(vals) - _IGNORED_FIELDS)
        if field_names:
            # a patient made a plain contact is still logged: its status changed
            self._audit_log('write', field_names=field_names, any_partner='is_patient' in vals)
        return result

    def read(self, fields=None, load='_classic_read'):
        result = super().read(fields=fields, load=load)
        if (len(result) == 1 and not getattr(_prefetching, 'depth', 0)
                and set(self._audit_view_fields).intersection(result[0])):
            self._audit_log('view')
        return result

    def _prefetch_field(self, field):
        """Odoo 11 fills its cache with ``read()`` when code reads ``record.field``: such
        reads are Odoo's own, not someone opening the record."""
        depth = getattr(_prefetching, 'depth', 0)
        _prefetching.depth = depth + 1
        try:
            return super()._prefetch_field(field)
        finally:
            _prefetching.depth = depth

    def export_data(self, fields_to_export, raw_data=False):
        result = super().export_data(fields_to_export, raw_data=raw_data)
        self._audit_log('export', field_names=fields_to_export, one_entry=True)
        return result

    @api.model
    def _audit_user(self):
        """The user to log, or None when Odoo itself acts as superuser.

        Odoo's HTTP and RPC dispatchers set the requesting user on the current thread.
        """
        if self.env.uid != SUPERUSER_ID:
            return self.env.uid
        if getattr(threading.current_thread(), 'uid', None) == SUPERUSER_ID:
            return SUPERUSER_ID
        return None

    def _audit_log(self, event, field_names=(), one_entry=False, any_partner=False):
        """Append the entries of ``event`` on ``self``: one per record, or a single one for
        all records when ``one_entry`` (exports). One INSERT whatever the number of records.
        """
        user = self._audit_user()
        if user is None or not self:
            return
        records = self.sudo()
        # what the entries name, read alone when not in the cache (as superuser, the records
        # of a form just read are not): else every column of the records, and of every
        # record prefetched with them, would be read for it
        names = [name for name in ('is_patient', 'patient_id', 'company_id', 'display_name')
                 if name in records._fields and records._fields[name].store]
        records.filtered(lambda record: not all(name in record._cache for name in names)).read(
            names, load='_classic_write')
        patients = records._audit_patients()
        if records._name == 'res.partner' and not any_partner:
            records = records.filtered(lambda partner: patients[partner.id])
            if not records:
                return
        names = records._audit_record_names()
        user_company = self.env['res.users'].sudo().browse(user).company_id.id
        has_company = 'company_id' in records._fields
        common = {'event': event, 'user_id': user, 'res_model': self._name,
                  'field_names': ','.join(field_names) or None}
        if one_entry:
            patient_ids = set(patients[record.id] for record in records)
            single = records if len(records) == 1 else records.browse()
            companies = records.mapped('company_id') if has_company else []
            entries = [dict(
                common, res_id=single.id or None, record_count=len(records),
                record_name=names[single.id] if single else '%s: %d records' % (
                    records._description, len(records)),
                patient_id=patient_ids.pop() if len(patient_ids) == 1 else None,
                company_id=companies.id if len(companies) == 1 else user_company)]
        else:
            entries = [dict(
                common, res_id=record.id, record_count=1, record_name=names[record.id],
                patient_id=patients[record.id],
                company_id=has_company and record.company_id.id or user_company)
                for record in records]
        self.env['pharmacy.access.log'].sudo()._append(entries)

    def _audit_patients(self):
        """{record id: id of the patient the record belongs to, or None}."""
        if self._name == 'res.partner':
            return {partner.id: partner.id if partner.is_patient else None for partner in self}
        if 'patient_id' in self._fields:
            return {record.id: record.patient_id.id or None for record in self}
        return {record.id: None for record in self}

    def _audit_record_names(self):
        """{record id: name to log}: the display name, unless the name is made of a clinical
        field (a prescription's Rx number, the first line of a note), then "Type #id"."""
        name_field = self._fields.get(self._rec_name or '')
        audited = set(self._audit_view_fields)
        clinical = name_field is None or name_field.name in audited or any(
            path.split('.')[0] in audited for path in name_field.depends)
        if clinical:
            # the record's type and its patient's name: "Fill of Sandra Tran" (the record
            # itself is linked by its model and ID)
            patients = self._audit_patients()
            names = dict(self.env['res.partner'].sudo().browse(
                set(filter(None, patients.values()))).name_get())
            return {record.id: _('%(type)s of %(patient)s') % {
                'type': self._description, 'patient': names[patients[record.id]]}
                if patients.get(record.id) else '%s #%d' % (self._description, record.id)
                for record in self}
        # the display name (read with the entries' other columns), as name_get gives it
        return {record.id: record.display_name for record in self}
