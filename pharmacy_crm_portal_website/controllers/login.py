# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""After the login, a portal patient lands on their account (/my), where My Pharmacy is.
Odoo's portal sends them there (``_login_redirect``), but the website's login sends every
non-employee to the website's home page, empty for a patient; this puts the portal's
answer back when the login asked for no page of its own."""
from odoo import http
from odoo.http import request

from odoo.addons.website.controllers.main import Website


class PharmacyPortalLogin(Website):

    @http.route(website=True, auth='public')
    def web_login(self, redirect=None, *args, **kw):
        response = super().web_login(redirect=redirect, *args, **kw)
        if (not redirect and request.params.get('login_success') and request.uid
                and not request.env['res.users'].sudo().browse(request.uid).has_group(
                    'base.group_user')):
            return http.redirect_with_hash(self._login_redirect(request.uid))
        return response
