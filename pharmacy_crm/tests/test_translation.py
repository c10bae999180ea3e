# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""A Spanish-speaking user gets the pharmacy's messages, labels and dates in Spanish, from
``i18n/es.po`` loaded the way Odoo loads a module's translations (``load_module_terms``)."""
from odoo.exceptions import AccessError, ValidationError

from .common import PharmacyCase


class TestTranslation(PharmacyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # activates es_ES (date format %d/%m/%Y) and loads i18n/es.po for it, as installing
        # Spanish from Settings > Translations does for an installed module
        cls.env['ir.translation'].load_module_terms(['pharmacy_crm'], ['es_ES'])
        # load_lang takes the date format from the machine's es_ES locale, and en_US's
        # %m/%d/%Y when that locale is not installed: set Spain's own so the test is the same
        # on every machine
        cls.env['res.lang']._lang_get('es_ES').date_format = '%d/%m/%Y'
        cls.env['ir.config_parameter'].set_param('pharmacy_crm.refill_threshold', '0.8')
        cls.technician.lang = 'es_ES'
        cls.manager.lang = 'es_ES'
        cls.rx = cls._prescription(rx_number='RX-ES-1')
        cls._fill(cls.rx, '2024-01-10')     # 30 days: refill from 2024-01-10 + 24 = 2024-02-03

    def _as(self, user, model):
        """``model`` for ``user`` with the user's language in the context, as the web client
        sends it with every call."""
        return self.env[model].sudo(user).with_context(lang=user.lang)

    def _create_fill(self, user, **values):
        vals = {'prescription_id': self.rx.id, 'fill_date': '2024-02-01', 'quantity': 30,
                'days_supply': 30}
        vals.update(values)
        return self._as(user, 'pharmacy.fill').create(vals)

    def test_constraint_message_in_spanish(self):
        """A constraint raised in the model (days supply 0) reaches the user translated."""
        with self.assertRaises(ValidationError) as caught:
            self._create_fill(self.technician, fill_date='2024-03-01', days_supply=0)
        self.assertEqual(
            caught.exception.name,
            'Los días de suministro del surtido de RX-ES-1 deben ser al menos 1 día '
            '(se recibió 0).')

    def test_value_check_in_spanish_names_the_field_in_spanish(self):
        """The validation layer's message: field and model labels translated too."""
        with self.assertRaises(ValidationError) as caught:
            self._as(self.technician, 'pharmacy.patient.medication').browse(
                self.rx.id).write({'days_supply': 2 ** 31})
        self.assertEqual(
            caught.exception.name,
            'Días de suministro de Receta: 2147483648 no es válido: se espera un número entero '
            'entre -2147483648 y 2147483647.')

    def test_same_message_in_english_for_english_user(self):
        """The message follows the user's language, not the last one loaded."""
        self.technician.lang = 'en_US'
        with self.assertRaises(ValidationError) as caught:
            self._create_fill(self.technician, fill_date='2024-03-01', days_supply=0)
        self.assertEqual(
            caught.exception.name,
            'Days supply of the fill of RX-ES-1 must be at least 1 day (got 0).')

    def test_refill_too_soon_in_spanish_with_spanish_date(self):
        """Refill too soon: Spanish text and the date in Spanish format (day/month/year)."""
        with self.assertRaises(ValidationError) as caught:
            self._create_fill(self.technician)
        self.assertEqual(
            caught.exception.name,
            'Resurtido demasiado pronto: RX-ES-1 se puede resurtir a partir del 03/02/2024 '
            '(los pagadores rechazan un reclamo anterior). Un farmacéutico puede surtirla '
            'antes indicando un motivo de resurtido anticipado.')

    def test_access_error_in_spanish(self):
        """A technician giving an early refill reason is refused in Spanish."""
        with self.assertRaises(AccessError) as caught:
            self._create_fill(self.technician, early_refill_reason='vacation')
        self.assertEqual(
            caught.exception.name,
            'Solo un farmacéutico puede surtir RX-ES-1 antes del 03/02/2024 (resurtido '
            'demasiado pronto). Pida ayuda a un farmacéutico.')

    def test_tools_error_in_spanish(self):
        """An error of pharmacy_crm/tools (a typed error) is translated by the model."""
        with self.assertRaises(ValidationError) as caught:
            self._as(self.manager, 'pharmacy.medication').create(
                {'name': 'Lisinopril', 'ndc': '1234-5678'})
        self.assertEqual(
            caught.exception.name,
            'El NDC "1234-5678" no es un Código Nacional de Medicamentos: se esperan 10 '
            'dígitos con guiones como 4-4-2, 5-3-2 o 5-4-1 (p. ej. 0574-4072-05), u 11 '
            'dígitos como 5-4-2 (p. ej. 00574-4072-05).')

    def test_labels_in_spanish(self):
        """fields_get gives Spanish field labels, help and selection labels."""
        described = self._as(self.technician, 'pharmacy.patient.medication').fields_get(
            ['days_supply', 'refills_authorized', 'refills_remaining', 'state'],
            ['string', 'help', 'selection'])
        self.assertEqual(described['days_supply']['string'], 'Días de suministro')
        self.assertEqual(described['refills_authorized']['string'], 'Resurtidos autorizados')
        self.assertEqual(dict(described['state']['selection'])['on_hold'], 'En espera')
        self.assertEqual(
            described['refills_remaining']['help'],
            'Resurtidos autorizados menos los surtidos posteriores al primero; los surtidos '
            'devueltos no cuentan.')
