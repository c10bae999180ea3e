# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The password rules of pharmacy staff, without the ORM.

A password is accepted when it has at least ``min_length`` characters and characters of at
least ``min_classes`` of the four classes: lowercase letters, uppercase letters, digits, and
anything else (symbols, spaces, accented letters count as letters of their case). Length
first: current guidance (NIST SP 800-63B) prefers long passwords to complex ones, so the
default asks for 12 characters and 3 classes, and expiry is off unless set.
"""

CLASSES = (
    ('lowercase letters', str.islower),
    ('uppercase letters', str.isupper),
    ('digits', str.isdigit),
    ('symbols', lambda char: not char.isalnum()),
)


def character_classes(password):
    """The names of the classes ``password`` has characters of, in the order of CLASSES."""
    return [name for name, test in CLASSES if any(test(char) for char in password)]


def password_problems(password, min_length, min_classes):
    """What ``password`` lacks: [] when it follows the rules, else a list of
    ('length', missing characters) and/or ('classes', the classes it does not have).

    >>> password_problems('Counter-2026!', 12, 3)
    []
    >>> password_problems('counter', 12, 3)
    [('length', 5), ('classes', ['uppercase letters', 'digits', 'symbols'])]
    """
    problems = []
    if len(password) < min_length:
        problems.append(('length', min_length - len(password)))
    present = character_classes(password)
    if len(present) < min_classes:
        problems.append(('classes', [name for name, _test in CLASSES if name not in present]))
    return problems
