"""Every addon speaks Spanish: its template (``i18n/<addon>.pot``) holds every term the addon has
today, and ``i18n/es.po`` translates each of them, keeping placeholders and markup."""
import io
import os
import re

import pytest

from conftest import ADDONS, ROOT

PLACEHOLDER = re.compile(r'%(?:\([a-z_]+\))?[sdg%]')
TAG = re.compile(r'<[^>]+>')


def _terms(path):
    """{msgid: msgstr} of a PO file, read by Odoo's own PO reader."""
    from odoo.tools.translate import PoFile
    with open(path, 'rb') as buf:
        return {source: translation for _type, _name, _res_id, source, translation, _comments
                in PoFile(buf)}


@pytest.mark.parametrize('addon', ADDONS)
def test_every_term_translated_with_its_placeholders(addon):
    template = _terms(os.path.join(ROOT, addon, 'i18n', '%s.pot' % addon))
    spanish = _terms(os.path.join(ROOT, addon, 'i18n', 'es.po'))
    assert template
    assert set(spanish) == set(template)
    for source, translation in spanish.items():
        assert translation.strip(), source
        assert sorted(PLACEHOLDER.findall(translation)) == sorted(
            PLACEHOLDER.findall(source)), source
        assert sorted(TAG.findall(translation)) == sorted(TAG.findall(source)), source


@pytest.mark.parametrize('addon', ADDONS)
def test_the_template_holds_the_terms_of_today(env, addon):
    """The template equals what Odoo exports from the installed addon now: no term missing,
    none left over (re-export with ``odoo --i18n-export=x.po --modules=<addon>``)."""
    from odoo.tools.translate import trans_export
    buf = io.BytesIO()
    trans_export(False, [addon], buf, 'po', env.cr)
    exported = os.path.join(ROOT, 'var', 'artifacts', '%s.exported.pot' % addon)
    os.makedirs(os.path.dirname(exported), exist_ok=True)
    with open(exported, 'wb') as out:
        out.write(buf.getvalue())
    assert set(_terms(exported)) == set(
        _terms(os.path.join(ROOT, addon, 'i18n', '%s.pot' % addon)))
