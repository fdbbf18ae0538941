"""Password rules of ASVS 6.2: long, not composed; never common nor personal."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.identifiers import ascii_letters

FORBIDDEN_WORDS = ("academie", "iprof", "clermont", "education", "motdepasse", "password")


class MaximumLengthValidator:
    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("Le mot de passe ne doit pas dépasser %(max)d caractères.") % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("Au plus %(max)d caractères.") % {"max": self.max_length}


class PersonalWordsValidator:
    """Refuses a password containing the agent's names, identifier, or the portal's own words."""

    def validate(self, password: str, user: Any = None) -> None:
        folded = ascii_letters(password)
        words = list(FORBIDDEN_WORDS)
        if user is not None:
            for attribute in ("identifiant", "nom", "prenom", "nom_famille"):
                value = ascii_letters(str(getattr(user, attribute, "") or ""))
                if len(value) >= 3:
                    words.append(value)
        for word in words:
            if word and word in folded:
                raise ValidationError(
                    _(
                        "Le mot de passe ne doit contenir ni votre nom, ni votre identifiant, ni le nom du portail ou de l'académie."
                    ),
                    code="password_personal",
                )

    def get_help_text(self) -> str:
        return _("Il ne doit contenir ni votre nom, ni votre identifiant, ni les mots « académie » ou « iprof ».")
