"""Domain errors of SIAM: each carries a French message meant for the person who acted."""

from __future__ import annotations

from lib.errors import DomainError


class SiamError(DomainError):
    """Refused action; nothing was written. ``status`` is the HTTP status a view answers with."""

    status = 400


class PhaseFermee(SiamError):
    """The campagne's calendar does not allow this action now."""

    status = 403


class ConflitVersion(SiamError):
    """The form was built on an older version of the demande (another tab saved in between)."""

    status = 409


class VoeuInvalide(SiamError):
    """The voeu does not exist in the reference data, is a duplicate, exceeds the maximum…"""


class PieceInvalide(SiamError):
    """The uploaded file is not an accepted pièce justificative."""


class MouvementError(SiamError):
    """A run or a publication refused; nothing was written."""


class PublicationRefusee(MouvementError):
    status = 403


class CalendrierVerrouille(SiamError):
    """A date change the campagne's jalons (accusés, barèmes définitifs, publication) no longer allow."""


class DemandeImpossible(SiamError):
    """This account cannot start a demande for this campagne (no dossier, saisie not open…)."""

    status = 403
