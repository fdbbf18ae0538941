"""The domain error of the dossier app: a refused change, with a French message for the user."""

from __future__ import annotations

from lib.errors import DomainError


class DossierError(DomainError):
    pass
