# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Second factors and API keys, without the ORM.

- A time-based one-time password (TOTP, RFC 6238, as authenticator apps compute it): the code
  of the 30-second time step ``floor(unix time / 30)``, six digits, from a base32 secret shared
  once through a QR code. A code is accepted for the current step and the step before and
  after (``WINDOW``: the phone's clock may be 30 seconds off), and only for a step later than
  the last one accepted for the user: a code seen over a shoulder cannot be replayed.
- Recovery codes: ten random codes of 10 base32 characters (50 bits each), shown once; each
  works once, in place of a TOTP code, when the phone is lost.
- API keys: ``phk_<index>_<secret>``, the index (8 hex) finds the key's row, the secret
  (32 base32 characters, 160 bits) proves it. Random keys and recovery codes this long cannot
  be guessed, so a plain SHA-256 (compared in constant time) is enough to store them; a PIN is
  short, so it is stored with the slow password hash and guarded by the lockout instead.
"""
import hashlib
import hmac
import secrets

import pyotp

WINDOW = 1
API_KEY_PREFIX = 'phk_'
RECOVERY_CODES = 10
BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'


def new_totp_secret():
    """A random base32 secret of 32 characters (160 bits, RFC 4226's recommendation)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret, account, issuer):
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def totp_step(secret, code, now, last_step=None, window=WINDOW):
    """The time step whose code ``code`` is, within ``window`` steps of ``now`` (unix time),
    and later than ``last_step`` (a replayed code is refused); None when none matches.

    >>> secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
    >>> totp_step(secret, pyotp.TOTP(secret).at(59), 70)
    1
    >>> totp_step(secret, pyotp.TOTP(secret).at(59), 70, last_step=1) is None
    True
    """
    code = (code or '').replace(' ', '')
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - window, current + window + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes(count=RECOVERY_CODES):
    """``count`` codes like ``ABCDE-FGHIJ``."""
    codes = []
    for _index in range(count):
        raw = ''.join(secrets.choice(BASE32) for _char in range(10))
        codes.append('%s-%s' % (raw[:5], raw[5:]))
    return codes


def normalize_recovery_code(code):
    """What is hashed of a recovery code: uppercase, without spaces or dashes."""
    return ''.join((code or '').split()).replace('-', '').upper()


def token_hash(token):
    """SHA-256 (hex) of a random token (an API key, a normalized recovery code)."""
    return hashlib.sha256(token.encode('utf-8')).hexdigest()


def same_hash(left, right):
    return hmac.compare_digest(left or '', right or '')


def new_api_key():
    """(key, index): the key shown once to its owner, and its index (stored in clear)."""
    index = secrets.token_hex(4)
    secret = ''.join(secrets.choice(BASE32) for _char in range(32))
    return '%s%s_%s' % (API_KEY_PREFIX, index, secret), index


def api_key_index(key):
    """The index of something that looks like an API key, else None.

    >>> api_key_index('phk_0a1b2c3d_' + 'A' * 32)
    '0a1b2c3d'
    >>> api_key_index('Counter-2026!') is None
    True
    """
    if not key or not key.startswith(API_KEY_PREFIX):
        return None
    index, _sep, secret = key[len(API_KEY_PREFIX):].partition('_')
    if len(index) != 8 or len(secret) != 32:
        return None
    return index


def valid_pin(pin, min_length=4, max_length=8):
    """A PIN is 4 to 8 digits."""
    return bool(pin) and pin.isdigit() and min_length <= len(pin) <= max_length
