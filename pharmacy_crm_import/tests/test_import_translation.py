# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""A Spanish-speaking manager reads the rows an import refused, and the import's message, in
Spanish, from ``i18n/es.po`` loaded as Odoo loads a module's translations; the same refusal
reads in English for an English reader (the reason is stored as a code, worded when read);
every kind of refusal is translated with its placeholders."""
import base64
import json
import re

from odoo.modules.module import get_module_resource
from odoo.tools.translate import PoFile

from odoo.addons.pharmacy_crm.tests.common import PharmacyCase
from .test_dispensing_import import row
from ..models.pharmacy_import_error import REASONS
from ..tools.dispensing_csv import to_bytes

PLACEHOLDER = re.compile(r'%(?:\([a-z_]+\))?[sdg%]')


class TestImportTranslation(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the prescription states' labels are the core's terms
        cls.env['ir.translation'].load_module_terms(['pharmacy_crm', 'pharmacy_crm_import'],
                                                    ['es_ES'])
        cls.company = cls.env['res.company'].create({'name': 'Farmacia de Prueba'})
        cls.manager.write({'company_ids': [(4, cls.company.id)], 'company_id': cls.company.id,
                           'lang': 'es_ES'})
        holder = cls.env['res.partner'].create({
            'name': 'Hal Holder', 'is_patient': True, 'nkda': True, 'dispensing_id': 'D5',
            'birthdate_date': '1950-03-04', 'company_id': cls.company.id})
        held = cls._prescription(patient_id=holder.id, rx_number='HOLD1',
                                 date_written='2026-01-02')
        held.action_hold()
        data = to_bytes([
            row(), row(rx_number='X2', ndc='12345'),
            row(patient_id='D5', first_name='Hal', last_name='Holder', rx_number='HOLD1',
                date_written='2026-01-02')])
        # queued by the Spanish manager, run by the scheduled action (no language)
        cls.log = cls.env['pharmacy.import.log'].sudo(cls.manager).create(
            {'name': 'surtidos.csv', 'file': base64.b64encode(data)})
        cls.log.sudo().with_context(lang=None)._run()

    def _reasons(self, user):
        return self.env['pharmacy.import.error'].sudo(user).with_context(
            lang=user.lang).search([('import_id', '=', self.log.id)]).mapped(
            lambda error: (error.line, error.reason_code, error.file_column, error.reason))

    def test_refusals_in_spanish(self):
        self.assertEqual(self._reasons(self.manager), [
            (3, 'ndc_invalid', 'ndc',
             'ndc "12345" no es un Código Nacional de Medicamentos (10 dígitos con guiones '
             '4-4-2, 5-3-2 o 5-4-1, u 11 dígitos)'),
            (4, 'rx_not_active', 'rx_number',
             'la receta HOLD1 está en estado En espera: no se registra ningún surtido nuevo '
             'en ella')])
        kinds = self.env['pharmacy.import.error'].with_context(lang='es_ES').fields_get(
            ['reason_code'], ['string', 'selection'])['reason_code']
        self.assertEqual((kinds['string'], dict(kinds['selection'])['ndc_invalid']),
                         ('Tipo de rechazo', 'NDC no válido'))

    def test_same_refusals_in_english_for_an_english_reader(self):
        other = self.env['res.users'].create({
            'name': 'English Manager', 'login': 'pharmacy_test_en_manager', 'lang': 'en_US',
            'company_id': self.company.id, 'company_ids': [(6, 0, self.company.ids)],
            'groups_id': [(6, 0, self.group_manager.ids)]})
        self.assertEqual([reason for _line, _code, _column, reason in self._reasons(other)], [
            'ndc "12345" is not a National Drug Code (10 digits with hyphens 4-4-2, 5-3-2 or '
            '5-4-1, or 11 digits)',
            'prescription HOLD1 is On hold: no new fill is recorded on it'])

    def test_message_in_the_language_of_the_manager_who_queued(self):
        body = self.log.message_ids[0].body
        self.assertIn('1 fila(s) rechazada(s): NDC no válido (ndc).', body)
        self.assertIn('1 fila(s) rechazada(s): Receta no activa (rx_number).', body)

    def test_every_refusal_translated_with_its_placeholders(self):
        """Each refusal's sentence and label has a Spanish translation in es.po keeping its
        placeholders."""
        with open(get_module_resource('pharmacy_crm_import', 'i18n', 'es.po'), 'rb') as buf:
            spanish = {source: translation for _type, _name, _res_id, source, translation,
                       _comments in PoFile(buf)}
        sentences = self.env['pharmacy.import.error'].with_context(
            lang='en_US')._reason_sentences()
        self.assertEqual(set(sentences), {code for code, _label in REASONS})
        for source in list(sentences.values()) + [label for _code, label in REASONS]:
            with self.subTest(msgid=source):
                self.assertTrue(spanish.get(source, '').strip())
                self.assertNotEqual(spanish[source], source)
                self.assertEqual(sorted(PLACEHOLDER.findall(spanish[source])),
                                 sorted(PLACEHOLDER.findall(source)))
        for source, translation in spanish.items():
            with self.subTest(msgid=source):
                self.assertEqual(sorted(PLACEHOLDER.findall(translation)),
                                 sorted(PLACEHOLDER.findall(source)))
        self.assertEqual(json.loads(self.log.error_ids[0].params), {'value': '12345'})
