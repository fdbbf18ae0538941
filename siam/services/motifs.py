"""Motifs a teacher claims during the saisie, and staff's decision on each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.models import Academie, Commune
from siam.errors import SiamError
from siam.models import Demande, Motif, MotifDeclare, StatutMotif
from siam.motifs import NEEDS_ACADEMIE, NEEDS_ANNEES, NEEDS_COMMUNE
from siam.services.demandes import lock_demande, record_change

if TYPE_CHECKING:
    from accounts.models import Agent


def _academie_of(motif: str, commune: Commune | None, academie: Academie | None) -> Academie | None:
    """RC and APC: the académie follows from the commune, never typed beside it."""
    if motif in NEEDS_COMMUNE:
        return commune.departement.academie if commune is not None else None
    return academie if motif in NEEDS_ACADEMIE else None


def declare_motif(
    *,
    demande: Demande,
    auteur: Agent,
    version: int | None,
    motif: str,
    commune: Commune | None = None,
    academie: Academie | None = None,
    annees: int | None = None,
    precision: str = "",
) -> MotifDeclare:
    label = Motif(motif).label
    if motif in NEEDS_COMMUNE and commune is None:
        raise SiamError(_("Indiquez la commune concernée par « %(motif)s ».") % {"motif": label}, field="commune")
    if motif in NEEDS_ACADEMIE and academie is None:
        raise SiamError(_("Indiquez l'académie concernée par « %(motif)s ».") % {"motif": label}, field="academie")
    if motif in NEEDS_ANNEES and not annees:
        raise SiamError(_("Indiquez le nombre d'années pour « %(motif)s ».") % {"motif": label}, field="annees")
    with transaction.atomic():
        locked = lock_demande(demande.pk, version)
        if MotifDeclare.objects.filter(demande=locked, motif=motif).exists():
            raise SiamError(_("Vous avez déjà déclaré « %(motif)s ».") % {"motif": label}, field="motif")
        declared = MotifDeclare.objects.create(
            demande=locked,
            motif=motif,
            conjoint_commune=commune if motif in NEEDS_COMMUNE else None,
            academie=_academie_of(motif, commune, academie),
            annees=annees,
            precision=precision,
        )
        record_change(locked, auteur=auteur, action=_("Motif déclaré\u00a0: %(motif)s") % {"motif": label})
    demande.version = locked.version
    return declared


def withdraw_motif(*, demande: Demande, auteur: Agent, version: int | None, motif_id: int) -> None:
    with transaction.atomic():
        locked = lock_demande(demande.pk, version)
        declared = MotifDeclare.objects.filter(demande=locked, pk=motif_id).first()
        if declared is None:
            raise SiamError(_("Ce motif ne figure plus dans votre demande."))
        declared.delete()
        record_change(
            locked, auteur=auteur, action=_("Motif retiré\u00a0: %(motif)s") % {"motif": declared.get_motif_display()}
        )
    demande.version = locked.version


def decide_motif(*, motif: MotifDeclare, staff: Agent, statut: str, motif_refus: str = "") -> MotifDeclare:
    """Staff validate or refuse a claim; the barème only counts validated ones."""
    if statut == StatutMotif.REFUSE and not motif_refus.strip():
        raise SiamError(_("Indiquez le motif du refus\u00a0: il sera communiqué à l'agent."), field="motif_refus")
    with transaction.atomic():
        locked = MotifDeclare.objects.select_for_update().get(pk=motif.pk)
        locked.statut = statut
        locked.motif_refus = motif_refus.strip() if statut == StatutMotif.REFUSE else ""
        locked.decided_by = staff
        locked.decided_at = timezone.now()
        locked.save(update_fields=["statut", "motif_refus", "decided_by", "decided_at"])
    return locked
