"""UAI (ex-RNE) codes: 7 digits (département on 3 + 4 digits) and a check letter.

The check letter is the 7-digit number modulo 23, read in an alphabet without
I, O and Q (0630018C, lycée Blaise-Pascal: 630018 mod 23 = 2 → C). Corse uses
the prefix 720, so every code is digits only.
"""

from __future__ import annotations

import re

_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ"
_FORMAT = re.compile(r"^(\d{7})([A-Z])$")


def uai_check_letter(seven_digits: str) -> str:
    return _ALPHABET[int(seven_digits) % 23]


def is_valid_uai(code: str) -> bool:
    match = _FORMAT.match(code.strip().upper())
    return match is not None and uai_check_letter(match.group(1)) == match.group(2)
