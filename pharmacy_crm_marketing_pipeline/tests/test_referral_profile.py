# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The best customers' referral sources in "What the members have in common"."""
from odoo.exceptions import AccessError
from odoo.tests.common import SavepointCase

from odoo.addons.pharmacy_crm.tests.common import PATIENT_PROFILE


class TestReferralProfile(SavepointCase):

    def test_sources_of_the_members_staff_only(self):
        Partner = self.env['res.partner']
        word, web = (self.env['utm.source'].create({'name': name})
                     for name in ('Ref Word of mouth', 'Ref Website'))
        for i, source in enumerate((word, word, web, False)):
            patient = Partner.create(dict(
                PATIENT_PROFILE, name='Ref %d' % i, is_patient=True,
                email='ref%d@example.com' % i, pharmacy_source_id=source and source.id))
            self.env['pharmacy.consent'].create({
                'patient_id': patient.id, 'channel': 'email', 'purpose': 'marketing',
                'state': 'granted', 'date': '2024-01-01', 'source': 'in_store'})
        segment = self.env['pharmacy.segment'].create({
            'name': 'Ref', 'partner_domain': "[('name', '=like', 'Ref %')]"})
        segment._pharmacy_sync()
        # 4 members: below the minimum group size of the report, lowered for this test
        self.env['ir.config_parameter'].set_param('pharmacy_crm_marketing.profile_min_members',
                                                  '1')
        rows = [row for row in segment._pharmacy_profile_rows() if row[0] == 'Referral source']
        self.assertEqual(rows, [('Referral source', 'Ref Word of mouth', 2, 50.0),
                                ('Referral source', 'Ref Website', 1, 25.0),
                                ('Referral source', 'Unknown', 1, 25.0)])
        # the report: staff only
        Users = self.env['res.users'].with_context(no_reset_password=True)
        technician, marketer = (Users.create({
            'name': 'Ref %s' % login, 'login': 'ref.%s' % login,
            'groups_id': [(6, 0, [self.env.ref(group).id])]}) for login, group in (
                ('tech', 'pharmacy_crm.group_pharmacy_technician'),
                ('marketer', 'mass_mailing.group_mass_mailing_user')))
        action = segment.sudo(technician).action_view_profile()
        lines = self.env['pharmacy.segment.profile.line'].sudo(technician).search(
            action['domain'])
        self.assertIn(('Referral source', 'Ref Website', 1, 25.0), [
            (line.section, line.label, line.member_count, line.share) for line in lines])
        with self.assertRaises(AccessError):
            segment.sudo(marketer).action_view_profile()
