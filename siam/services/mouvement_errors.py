"""The mouvement's domain error (kept apart so that every mouvement module can raise it)."""

from __future__ import annotations

from siam.errors import SiamError


class MouvementError(SiamError):
    """A run or a publication refused; nothing was written."""


class PublicationRefusee(MouvementError):
    status = 403
