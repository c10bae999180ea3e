# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""11.0.1.1.0: the therapeutic class becomes a model (``therapeutic_class_id``).

Before the module loads: create the classes' table with the four classes of
``data/pharmacy_therapeutic_class_data.xml`` under their xml ids (the ORM adds the other
columns; the data file, noupdate, keeps these rows), then set ``therapeutic_class_id`` of every
medication from the old selection (same code; ``other`` when it has none) and of every fill from
its medication, and drop the old columns. So the new required column is complete when Odoo sets
it NOT NULL.
"""
CLASSES = [
    # xml id, name, code, sequence, measure_adherence
    ('therapeutic_class_statin', 'Statins', 'statin', 1, True),
    ('therapeutic_class_ras_antagonist', 'RAS antagonists', 'ras_antagonist', 2, True),
    ('therapeutic_class_diabetes_non_insulin', 'Diabetes, non-insulin', 'diabetes_non_insulin',
     3, True),
    ('therapeutic_class_other', 'Other', 'other', 99, False),
]


def _column_exists(cr, table, column):
    cr.execute("""SELECT 1 FROM information_schema.columns
                   WHERE table_name = %s AND column_name = %s""", [table, column])
    return bool(cr.fetchone())


def migrate(cr, version):
    if not version or not _column_exists(cr, 'pharmacy_medication', 'therapeutic_class'):
        return
    cr.execute("""
        CREATE TABLE IF NOT EXISTS pharmacy_therapeutic_class (
            id SERIAL PRIMARY KEY, name VARCHAR NOT NULL, code VARCHAR NOT NULL,
            sequence INTEGER, measure_adherence BOOLEAN, active BOOLEAN)""")
    for xmlid, name, code, sequence, measure in CLASSES:
        cr.execute("""
            INSERT INTO pharmacy_therapeutic_class (name, code, sequence, measure_adherence,
                                                    active)
            VALUES (%s, %s, %s, %s, TRUE) RETURNING id""", [name, code, sequence, measure])
        cr.execute("""
            INSERT INTO ir_model_data (name, module, model, res_id, noupdate, date_init,
                                       date_update)
            VALUES (%s, 'pharmacy_crm', 'pharmacy.therapeutic.class', %s, TRUE,
                    now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')""",
                   [xmlid, cr.fetchone()[0]])
    cr.execute('ALTER TABLE pharmacy_medication ADD COLUMN therapeutic_class_id INTEGER')
    cr.execute("""
        UPDATE pharmacy_medication m
           SET therapeutic_class_id = COALESCE(
                   (SELECT c.id FROM pharmacy_therapeutic_class c
                     WHERE c.code = m.therapeutic_class),
                   (SELECT c.id FROM pharmacy_therapeutic_class c WHERE c.code = 'other'))""")
    cr.execute('ALTER TABLE pharmacy_fill ADD COLUMN therapeutic_class_id INTEGER')
    cr.execute("""
        UPDATE pharmacy_fill f
           SET therapeutic_class_id = m.therapeutic_class_id
          FROM pharmacy_patient_medication p
          JOIN pharmacy_medication m ON m.id = p.medication_id
         WHERE p.id = f.prescription_id""")
    cr.execute('ALTER TABLE pharmacy_medication DROP COLUMN therapeutic_class')
    if _column_exists(cr, 'pharmacy_fill', 'therapeutic_class'):
        cr.execute('ALTER TABLE pharmacy_fill DROP COLUMN therapeutic_class')
