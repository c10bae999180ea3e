# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""11.0.2.0.0: the features installed by ``pre-migrate.py`` carry the demo data they were
given: their demo flag is the core's."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""UPDATE ir_module_module feature SET demo = core.demo
                    FROM ir_module_module core
                   WHERE core.name = 'pharmacy_crm' AND feature.state = 'installed'
                     AND feature.name IN ('pharmacy_crm_sync', 'pharmacy_crm_adherence',
                                          'pharmacy_crm_dismissal', 'pharmacy_crm_import')""")
