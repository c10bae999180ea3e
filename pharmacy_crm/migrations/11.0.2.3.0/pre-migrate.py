# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""11.0.2.3.0: a fill's patient, medication, therapeutic class and company are copies of its
prescription's, without foreign keys of their own (``PrescriptionMany2one`` in
models/pharmacy_fill.py, which also drops a key it finds at each update); the prescription's
company key becomes ``ON DELETE RESTRICT`` (Odoo re-creates it from the field). The four
keys are dropped here, before the update, with their reflection in ir.model.constraint."""

KEYS = ('pharmacy_fill_patient_id_fkey', 'pharmacy_fill_medication_id_fkey',
        'pharmacy_fill_therapeutic_class_id_fkey', 'pharmacy_fill_company_id_fkey')


def migrate(cr, version):
    if not version:
        return
    for name in KEYS:
        cr.execute('ALTER TABLE pharmacy_fill DROP CONSTRAINT IF EXISTS "%s"' % name)
    cr.execute('DELETE FROM ir_model_constraint WHERE name IN %s', [KEYS])
