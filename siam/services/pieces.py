"""Pièces justificatives: accepted by their content (magic bytes), never by their name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.audit import log_action
from lib.uploads import sniff
from siam.errors import PieceInvalide, SiamError
from siam.models import Demande, MotifDeclare, PieceJustificative, StatutPiece
from siam.services.demandes import require_depot_pieces

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import Agent


def max_bytes() -> int:
    return int(getattr(settings, "SIAM_PIECE_MAX_BYTES", 5 * 1024 * 1024))


def taille_fr(size: int) -> str:
    """5 Mo, 1,5 Mo, 200 Ko: the units teachers read (not Mio)."""
    value, unit = (size / 1024 / 1024, "Mo") if size >= 1024 * 1024 else (size / 1024, "Ko")
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") + f"\u00a0{unit}"


def check_upload(fichier: UploadedFile) -> tuple[str, str]:
    size = fichier.size or 0
    if size == 0:
        raise PieceInvalide(_("Le fichier déposé est vide."), field="fichier")
    if size > max_bytes():
        raise PieceInvalide(
            _("Le fichier dépasse la taille maximale autorisée (%(max)s).") % {"max": taille_fr(max_bytes())},
            field="fichier",
        )
    fichier.seek(0)
    head = fichier.read(16)
    fichier.seek(0)
    found = sniff(head)
    if found is None:
        raise PieceInvalide(
            _(
                "Ce fichier n'est ni un PDF, ni une image JPEG, ni une image PNG (son contenu a été vérifié, pas son nom)."
            ),
            field="fichier",
        )
    return found


def _check_quota(demande: Demande, size: int) -> None:
    """Per teacher: so many pièces per demande, so many megabytes in all (settings SIAM_PIECES_MAX_*)."""
    # the demande row is locked: two uploads at the same moment cannot both pass the quota
    Demande.objects.select_for_update().filter(pk=demande.pk).values_list("pk", flat=True).first()
    per_demande = settings.SIAM_PIECES_MAX_PER_DEMANDE
    if PieceJustificative.objects.filter(demande=demande).count() >= per_demande:
        raise PieceInvalide(
            _(
                "Vous avez déjà déposé %(n)d pièces pour cette demande, le maximum\u00a0: retirez-en une avant d'en ajouter."
            )
            % {"n": per_demande},
            field="fichier",
        )
    used = PieceJustificative.objects.for_agent(demande.agent).aggregate(total=Sum("taille"))["total"] or 0
    limit = settings.SIAM_PIECES_MAX_BYTES_PER_AGENT
    if used + size > limit:
        raise PieceInvalide(
            _(
                "Vos pièces occupent déjà %(used)s sur les %(max)s autorisés\u00a0: retirez une pièce ou déposez un "
                "fichier plus léger."
            )
            % {"used": taille_fr(used), "max": taille_fr(limit)},
            field="fichier",
        )


def upload_piece(
    *, demande: Demande, fichier: UploadedFile, motif: MotifDeclare | None = None, description: str = ""
) -> PieceJustificative:
    require_depot_pieces(demande.campagne, timezone.now())
    if motif is not None and motif.demande_id != demande.pk:
        raise SiamError(_("Ce motif n'appartient pas à votre demande."), field="motif")
    content_type, extension = check_upload(fichier)
    original = (fichier.name or "piece").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        _check_quota(demande, fichier.size or 0)
        piece = PieceJustificative(
            demande=demande,
            motif=motif,
            nom_original=original,
            content_type=content_type,
            taille=fichier.size or 0,
            description=description,
        )
        piece.fichier.save(f"piece{extension}", ContentFile(fichier.read()), save=False)
        piece.save()
        log_action(
            demande, "piece.depot", auteur=demande.agent, libelle=_("Pièce déposée\u00a0: %(nom)s") % {"nom": original},
            data={"piece": piece.pk},
        )  # fmt: skip
    return piece


def delete_piece(*, piece: PieceJustificative) -> None:
    """The teacher withdraws a pièce nobody has examined yet, while the deposit is open."""
    require_depot_pieces(piece.demande.campagne, timezone.now())
    if piece.statut != StatutPiece.EN_ATTENTE:
        raise SiamError(_("Cette pièce a déjà été examinée\u00a0: elle ne peut plus être retirée."))
    with transaction.atomic():
        PieceJustificative.objects.filter(pk=piece.pk).delete()
        log_action(
            piece.demande, "piece.retrait", auteur=piece.demande.agent,
            libelle=_("Pièce retirée\u00a0: %(nom)s") % {"nom": piece.nom_original}, data={"piece": piece.pk},
        )  # fmt: skip
        transaction.on_commit(lambda: piece.fichier.delete(save=False))


def decide_piece(*, piece: PieceJustificative, staff: Agent, statut: str, motif_refus: str = "") -> PieceJustificative:
    if statut == StatutPiece.REFUSEE and not motif_refus.strip():
        raise SiamError(_("Indiquez le motif du refus\u00a0: il sera communiqué à l'agent."), field="motif_refus")
    with transaction.atomic():
        locked = PieceJustificative.objects.select_for_update().get(pk=piece.pk)
        locked.statut = statut
        locked.motif_refus = motif_refus.strip() if statut == StatutPiece.REFUSEE else ""
        locked.decided_by = staff
        locked.decided_at = timezone.now()
        locked.save(update_fields=["statut", "motif_refus", "decided_by", "decided_at"])
        log_action(
            locked.demande, "piece.decision", auteur=staff, motif=locked.motif_refus,
            libelle=_("Pièce %(nom)s\u00a0: %(statut)s") % {"nom": locked.nom_original, "statut": locked.get_statut_display()},
            data={"piece": locked.pk, "statut": locked.statut},
        )  # fmt: skip
    return locked


@dataclass(frozen=True)
class Bilan:
    """What a bulk decision did: rows decided now, rows already so decided (a double submit, a colleague)."""

    traitees: int
    deja: int


def decide_pieces(*, pieces: Iterable[int], staff: Agent, statut: str, motif_refus: str = "") -> Bilan:
    """Decide each pièce through decide_piece; those already so decided are counted, not touched."""
    if statut == StatutPiece.REFUSEE and not motif_refus.strip():
        raise SiamError(_("Indiquez le motif du refus\u00a0: il sera communiqué à l'agent."), field="motif_refus")
    traitees = deja = 0
    with transaction.atomic():
        for pk in sorted(set(pieces)):
            locked = PieceJustificative.objects.select_for_update().filter(pk=pk).first()
            if locked is None or locked.statut == statut:
                deja += 1
                continue
            decide_piece(piece=locked, staff=staff, statut=statut, motif_refus=motif_refus)
            traitees += 1
    return Bilan(traitees, deja)
