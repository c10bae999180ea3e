# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Install hook: the classes the Pharmacy Quality Alliance measures adherence for."""

PQA_CLASSES = ('statin', 'ras_antagonist', 'diabetes_non_insulin')


def post_init_hook(cr, registry):
    """Mark the PQA classes as measured, where nobody has chosen yet (NULL): a database that
    had the column before (adherence moved out of pharmacy_crm) keeps the manager's choice."""
    cr.execute("UPDATE pharmacy_therapeutic_class SET measure_adherence = (code = ANY(%s)) "
               "WHERE measure_adherence IS NULL", [list(PQA_CLASSES)])
