"""Académie identifiers: first letter of the prénom + the full nom (DOMAIN.md §1)."""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter + accent.
_EXPANSIONS = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d"}
)


def ascii_letters(text: str) -> str:
    """Lowercase ASCII letters of `text`: accents folded, ligatures expanded, the rest dropped."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXPANSIONS))
    return re.sub(r"[^a-z]", "", decomposed.encode("ascii", "ignore").decode("ascii").lower())


def base_identifier(prenom: str, nom: str) -> str:
    """`Frédéric`, `Dupont` → `fdupont`; `Jean-Pierre`, `Le Goff` → `jlegoff`."""
    initial = ascii_letters(prenom)[:1]
    family = ascii_letters(nom)
    if not initial or not family:
        raise ValueError("Le prénom et le nom doivent contenir au moins une lettre.")
    return initial + family


def first_free(base: str, taken: set[str]) -> str:
    """The first of base, base1, base2… not in `taken`."""
    if base not in taken:
        return base
    n = 1
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"
