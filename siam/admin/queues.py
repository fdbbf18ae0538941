"""The SIAM work queues of the staff home (lib.queues): one filter each, shared by the count and the list."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext, gettext_lazy

from lib.queues import Queue, register
from lib.text import accord
from siam.models import (
    Demande,
    EtatDemande,
    MotifDeclare,
    Participation,
    PieceJustificative,
    StatutMotif,
    StatutPiece,
    Voeu,
)
from siam.models.bareme import Contestation, StatutContestation


def pieces_a_verifier(qs: QuerySet[PieceJustificative]) -> QuerySet[PieceJustificative]:
    return qs.filter(statut=StatutPiece.EN_ATTENTE).exclude(demande__etat=EtatDemande.ANNULEE)


def motifs_a_valider(qs: QuerySet[MotifDeclare]) -> QuerySet[MotifDeclare]:
    return qs.filter(statut=StatutMotif.DECLARE).exclude(demande__etat=EtatDemande.ANNULEE)


def contestations_ouvertes(qs: QuerySet[Contestation]) -> QuerySet[Contestation]:
    return qs.filter(statut=StatutContestation.OUVERTE)


def confirmations_non_recues(qs: QuerySet[Demande]) -> QuerySet[Demande]:
    """Enregistrées (accusé sent) with no pièce sans motif: the signed confirmation is deposited so."""
    confirmation = PieceJustificative.objects.filter(demande=OuterRef("pk"), motif__isnull=True).exclude(
        statut=StatutPiece.REFUSEE
    )
    return qs.filter(etat=EtatDemande.ENREGISTREE).exclude(Exists(confirmation))


def obligatoires_sans_voeu(qs: QuerySet[Demande]) -> QuerySet[Demande]:
    voeux = Voeu.objects.filter(demande=OuterRef("pk"))
    return qs.filter(participation=Participation.OBLIGATOIRE).exclude(etat=EtatDemande.ANNULEE).exclude(Exists(voeux))


def demandes_incompletes(qs: QuerySet[Demande]) -> QuerySet[Demande]:
    """A motif declared (not refused) without any pièce deposited for it."""
    sans_piece = (
        MotifDeclare.objects.filter(demande=OuterRef("pk"))
        .exclude(statut=StatutMotif.REFUSE)
        .exclude(Exists(PieceJustificative.objects.filter(motif=OuterRef("pk"))))
    )
    return qs.exclude(etat=EtatDemande.ANNULEE).filter(Exists(sans_piece))


register(
    Queue(
        key="pieces_a_verifier",
        model=PieceJustificative,
        title=gettext_lazy("pièces à vérifier"),
        label=lambda n: accord(n, gettext("%(n)s pièce à vérifier"), gettext("%(n)s pièces à vérifier")),
        select=pieces_a_verifier,
        campagne_field="demande__campagne",
    )
)
register(
    Queue(
        key="motifs_a_valider",
        model=MotifDeclare,
        title=gettext_lazy("motifs à valider"),
        label=lambda n: accord(n, gettext("%(n)s motif à valider"), gettext("%(n)s motifs à valider")),
        select=motifs_a_valider,
        campagne_field="demande__campagne",
    )
)
register(
    Queue(
        key="contestations_ouvertes",
        model=Contestation,
        title=gettext_lazy("contestations ouvertes"),
        label=lambda n: accord(n, gettext("%(n)s contestation ouverte"), gettext("%(n)s contestations ouvertes")),
        select=contestations_ouvertes,
        campagne_field="demande__campagne",
    )
)
register(
    Queue(
        key="confirmations_non_recues",
        model=Demande,
        title=gettext_lazy("confirmation signée non reçue"),
        label=lambda n: accord(
            n, gettext("%(n)s confirmation signée non reçue"), gettext("%(n)s confirmations signées non reçues")
        ),
        select=confirmations_non_recues,
        campagne_field="campagne",
    )
)
register(
    Queue(
        key="obligatoires_sans_voeu",
        model=Demande,
        title=gettext_lazy("participant obligatoire sans vœu"),
        label=lambda n: accord(
            n, gettext("%(n)s participant obligatoire sans vœu"), gettext("%(n)s participants obligatoires sans vœu")
        ),
        select=obligatoires_sans_voeu,
        campagne_field="campagne",
    )
)
register(
    Queue(
        key="demandes_incompletes",
        model=Demande,
        title=gettext_lazy("incomplète (motif sans pièce)"),
        label=lambda n: accord(n, gettext("%(n)s demande incomplète"), gettext("%(n)s demandes incomplètes")),
        select=demandes_incompletes,
        campagne_field="campagne",
    )
)
