"""The domain error of the dossier app: a refused change, with a French message for the user."""

from __future__ import annotations


class DossierError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
