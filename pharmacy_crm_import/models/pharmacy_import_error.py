# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import collections
import json

from odoo import _, api, fields, models

# why a row is refused: the code the importer's SQL writes, and its label (the kind of
# refusal, for grouping). The sentence shown to the user is ``reason``, in the user's language.
REASONS = [
    ('empty', 'Required value missing'),
    ('no_allergies', 'Allergies missing'),
    ('not_a_date', 'Not a date'),
    ('future', 'Date in the future'),
    ('not_in_list', 'Value not allowed'),
    ('not_whole_number', 'Not a whole number'),
    ('not_number', 'Not a number'),
    ('not_positive', 'Not more than 0'),
    ('npi_invalid', 'Invalid NPI'),
    ('dea_invalid', 'Invalid DEA number'),
    ('ndc_invalid', 'Invalid NDC'),
    ('pickup_required', 'Pickup date missing'),
    ('pickup_before_fill', 'Pickup before the fill'),
    ('patient_ambiguous', 'Patient not identified'),
    ('refills_schedule_2', 'Refills of a schedule II substance'),
    ('refills_schedule_3_5', 'Refills of a schedule III-V substance'),
    ('rx_patient_in_file', 'Rx number of two patients in the file'),
    ('rx_other_patient', "Rx number of another patient"),
    ('fill_before_written', 'Fill before the prescription was written'),
    ('fill_after_expiry', 'Fill after the prescription expired'),
    ('rx_not_active', 'Prescription not active'),
    ('patient_not_active', 'Patient not active'),
    ('beyond_refills', 'More fills than authorized'),
]
REASON_CODES = frozenset(code for code, _label in REASONS)


class PharmacyImportError(models.Model):
    """A row of a dispensing export that was not imported, and why: the kind of refusal
    (``reason_code``), the column of the file concerned (``file_column``) and the values the
    reason quotes (``params``, JSON), stored as the importer wrote them; ``reason`` is the
    sentence, in the reader's language."""

    _name = 'pharmacy.import.error'
    _description = 'Dispensing Import Refused Row'
    _order = 'import_id, line'

    import_id = fields.Many2one('pharmacy.import.log', required=True, index=True,
                                ondelete='cascade', readonly=True)
    line = fields.Integer(readonly=True, help='Line of the file (the header is line 1).')
    reason_code = fields.Selection(REASONS, string='Kind of Refusal', required=True,
                                   readonly=True)
    file_column = fields.Char(string='Column', readonly=True,
                              help='The column of the file whose value is refused.')
    params = fields.Char(string='Values', readonly=True,
                         help='The values the reason quotes (JSON), as read from the file.')
    reason = fields.Char(compute='_compute_reason',
                         help="Why the row was refused, in the reader's language.")

    @api.depends('reason_code', 'file_column', 'params')
    def _compute_reason(self):
        """reason = the sentence of the code, in the language of the environment, with the
        column and the stored values."""
        sentences = self._reason_sentences()
        states = dict(self.env['pharmacy.patient.medication']._fields[
            'state']._description_selection(self.env))
        for error in self:
            values = collections.defaultdict(str, json.loads(error.params or '{}'))
            values['column'] = error.file_column or ''
            if 'state' in values:   # a state of the prescription: its label
                values['state'] = states.get(values['state'], values['state'])
            error.reason = sentences.get(error.reason_code, '%(column)s') % values

    def name_get(self):
        """File, line: e.g. "dispensing_2026-12-04.csv, line 12"."""
        return [(error.id, _('%(file)s, line %(line)d') % {
            'file': error.import_id.name or '', 'line': error.line})
            for error in self]

    def _reason_sentences(self):
        """{code: sentence}: the text of each refusal in the language of the environment,
        with the placeholders filled from ``params`` and ``column``."""
        return {
            'empty': _('%(column)s is empty'),
            'no_allergies': _('%(column)s is empty: list the allergies, or write NKDA'),
            'not_a_date': _('%(column)s "%(value)s" is not a date YYYY-MM-DD between 1900 '
                            'and 2100'),
            'future': _('%(column)s %(value)s is in the future'),
            'not_in_list': _('%(column)s "%(value)s" is not one of: %(allowed)s'),
            'not_whole_number': _('%(column)s "%(value)s" is not a whole number of '
                                  '%(minimum)s or more'),
            'not_number': _('%(column)s "%(value)s" is not a number of %(minimum)s or more'),
            'not_positive': _('%(column)s "%(value)s" is not a number more than 0'),
            'npi_invalid': _('%(column)s "%(value)s" is not a valid NPI (10 digits, the last '
                             'a Luhn check digit)'),
            'dea_invalid': _('%(column)s "%(value)s" is not a valid DEA number for %(name)s '
                             '(2 letters, the second the initial of the last name, 7 digits, '
                             'the last a check digit)'),
            'ndc_invalid': _('%(column)s "%(value)s" is not a National Drug Code (10 digits '
                             'with hyphens 4-4-2, 5-3-2 or 5-4-1, or 11 digits)'),
            'pickup_required': _('%(column)s is required once the fill is picked_up'),
            'pickup_before_fill': _('%(column)s %(value)s is before the fill_date '
                                    '%(fill_date)s'),
            'patient_ambiguous': _('%(column)s %(value)s: %(count)s patients have this name '
                                   'and birthdate; set the Dispensing System ID on the right '
                                   'one'),
            'refills_schedule_2': _('%(column)s %(value)s must be 0: a schedule II '
                                    'controlled substance'),
            'refills_schedule_3_5': _('%(column)s %(value)s must be 5 or fewer for a schedule '
                                      'III-V controlled substance'),
            'rx_patient_in_file': _('%(column)s %(value)s belongs to patient_id %(patient)s '
                                    'on its last line; one Rx number belongs to one patient'),
            'rx_other_patient': _('%(column)s %(value)s is already the prescription of '
                                  'another patient'),
            'fill_before_written': _('%(column)s %(value)s is before the prescription '
                                     '%(rx_number)s was written (%(date_written)s)'),
            'fill_after_expiry': _('%(column)s %(value)s is after the prescription '
                                   '%(rx_number)s expired (%(date_expiry)s)'),
            'rx_not_active': _('prescription %(value)s is %(state)s: no new fill is recorded '
                               'on it'),
            'patient_not_active': _('%(column)s %(value)s is archived or not active: no new '
                                    'fill is recorded for them'),
            'beyond_refills': _('%(column)s %(value)s of %(rx_number)s is beyond the '
                                '%(refills)s refill(s) authorized: at most %(fills)s fills'),
        }
