"""National Drug Codes (NDC).

An FDA NDC has 10 digits in three hyphenated segments, labeler-product-package, in one of the
configurations 4-4-2, 5-3-2 or 5-4-1. Billing (HIPAA) uses the 11-digit 5-4-2 form, obtained by
left-padding the short segment with a zero. An unhyphenated 10-digit code is ambiguous: the
position of the padding zero cannot be known.
"""
import re


class InvalidNdc(ValueError):
    """An NDC that cannot be normalised; ``code`` is 'ambiguous' or 'malformed' (the ORM
    layer translates it), ``text`` the code as given."""

    def __init__(self, code, text, message):
        super().__init__(message)
        self.code = code
        self.text = text


_SEGMENTS = re.compile(r'^([0-9]{4,5})-([0-9]{3,4})-([0-9]{1,2})$')
_WIDTHS = (5, 4, 2)


def normalize_ndc(code):
    """Return ``code`` in the 11-digit ``LLLLL-PPPP-KK`` form.

    Accepts 4-4-2, 5-3-2 and 5-4-1 hyphenated 10-digit codes, and 11-digit codes with or without
    hyphens (5-4-2). Surrounding spaces are ignored. Raises ``InvalidNdc`` for anything else.
    """
    text = (code or '').strip()
    digits = text.replace('-', '')
    if re.fullmatch(r'[0-9]{11}', text):
        return '%s-%s-%s' % (text[:5], text[5:9], text[9:])
    match = _SEGMENTS.match(text)
    # each segment is at most one digit short of 5-4-2: 10 digits means exactly one is short
    if match and len(digits) in (10, 11):
        return '-'.join(seg.zfill(width) for seg, width in zip(match.groups(), _WIDTHS))
    if re.fullmatch(r'[0-9]{10}', text):
        raise InvalidNdc('ambiguous', text, 'NDC %r is ambiguous: a 10-digit code needs its '
                         'hyphens (4-4-2, 5-3-2 or 5-4-1) to know where the padding zero '
                         'goes.' % text)
    raise InvalidNdc('malformed', text, 'NDC %r is not a National Drug Code: expected 10 digits '
                     'with hyphens as 4-4-2, 5-3-2 or 5-4-1 (e.g. 0574-4072-05), or 11 digits '
                     'as 5-4-2 (e.g. 00574-4072-05).' % text)
