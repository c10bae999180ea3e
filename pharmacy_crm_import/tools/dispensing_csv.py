# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The dispensing system's export, ``fills.csv``: its columns, what each one means, and the
writer of the file. The one description of the layout: the importer
(``models/pharmacy_import.py``) checks a file's header against ``NAMES`` and ``REQUIRED``,
``scripts/generate_dispensing.py`` and the tests write files with ``write``, and
docs/dispensing_import.md explains the same columns.

The file: UTF-8, comma-separated, a header line naming the columns (any order; the optional
ones may be left out), one row per fill, dates written ``YYYY-MM-DD``; the patient, the
prescriber, the drug and the prescription are repeated on each of their fills.

Pure Python (``csv`` only, no Odoo import): the generator loads this file by its path."""
import collections
import csv
import io

Column = collections.namedtuple('Column', 'name required meaning')

COLUMNS = (
    Column('patient_id', True, "the dispensing system's patient id (kept as the patient's "
                               "Dispensing System ID)"),
    Column('last_name', True, "the patient's last name (the name is 'first last')"),
    Column('first_name', True, "the patient's first name"),
    Column('birthdate', True, 'not in the future'),
    Column('phone', False, "the patient's phone"),
    Column('allergies', True, 'the allergies, or NKDA (also NKA, none known: ticks No known '
                              'drug allergies)'),
    Column('prescriber_npi', True, '10 digits, the last a Luhn check digit'),
    Column('prescriber_name', True, 'e.g. Jane Smith, MD'),
    Column('prescriber_dea', False, '2 letters (the second the initial of the last name) and '
                                    '7 digits, the last a check digit'),
    Column('ndc', True, '11 digits (5-4-2, hyphens optional) or 10 with hyphens (4-4-2, 5-3-2, '
                        '5-4-1)'),
    Column('drug_name', True, 'the name of the product dispensed'),
    Column('generic_name', False, 'its ingredient'),
    Column('strength', False, 'e.g. 20 mg'),
    Column('dosage_form', False, 'a dosage form of the catalog (tablet by default)'),
    Column('drug_type', False, 'generic (default) or brand'),
    Column('schedule', True, 'none, 2, 3, 4 or 5 (controlled substance schedule)'),
    Column('therapeutic_class', True, 'the code of a therapeutic class of the catalog'),
    Column('rx_number', True, "the prescription's number (unique per pharmacy)"),
    Column('date_written', True, 'the date the prescription was written, not in the future'),
    Column('refills_authorized', True, '0 or more; 0 for schedule II, at most 5 for III-V'),
    Column('rx_quantity', False, 'quantity per fill as written (0 when left out)'),
    Column('rx_days_supply', True, 'days supply per fill as written, 1 or more'),
    Column('fill_number', True, '1 for the first fill, then 2, 3, ... (returned fills keep '
                                'theirs)'),
    Column('fill_date', True, 'not in the future'),
    Column('quantity', True, 'quantity of this fill, more than 0'),
    Column('days_supply', True, 'days supply of this fill, 1 or more'),
    Column('state', True, 'filled, ready, picked_up or returned'),
    Column('pickup_date', False, 'required when picked_up; not before the fill date'),
)
NAMES = tuple(column.name for column in COLUMNS)
REQUIRED = tuple(column.name for column in COLUMNS if column.required)
OPTIONAL = tuple(column.name for column in COLUMNS if not column.required)


def writer(handle, names=NAMES):
    """A ``csv.DictWriter`` of the layout on the text file ``handle`` (opened with
    ``newline=''``), its header line written: ``writerow({column: value})``, a column left out
    of the dict is written empty. ``names``: the columns of the file, in their order (all of
    them by default)."""
    out = csv.DictWriter(handle, names, restval='', lineterminator='\n')
    out.writeheader()
    return out


def write(handle, rows, names=NAMES):
    """Write the header and ``rows`` (dicts column -> value) on the text file ``handle``:
    returns the number of rows written."""
    out, count = writer(handle, names), 0
    for row in rows:
        out.writerow(row)
        count += 1
    return count


def to_bytes(rows, names=NAMES):
    """The file of ``rows`` (dicts column -> value), UTF-8 encoded, as an upload sends it."""
    text = io.StringIO(newline='')
    write(text, rows, names)
    return text.getvalue().encode('utf-8')
