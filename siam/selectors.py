"""Read helpers: every object a URL names is loaded through here, scoped to whoever asks (404 otherwise)."""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, cast

from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404

from dossier.models import Dossier
from lib.queries import unique_row
from siam.models import Campagne, Demande, MotifDeclare, PieceJustificative, Voeu

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import Agent

STAFF_PIECES_PERMISSION = "siam.view_piecejustificative"


def agent_of(request: HttpRequest) -> Agent:
    """The logged-in agent (views are behind @login_required)."""
    return cast("Agent", request.user)


def get_campagne(slug: str) -> Campagne:
    return get_object_or_404(Campagne.objects.select_related("academie"), slug=slug, publiee=True)


def get_demande_for_user(request: HttpRequest, pk: int) -> Demande:
    queryset = Demande.objects.for_agent(agent_of(request)).select_related("campagne__academie")
    return get_object_or_404(queryset, pk=pk)


def get_voeu_for_user(request: HttpRequest, pk: int) -> Voeu:
    queryset = Voeu.objects.for_agent(agent_of(request)).select_related("demande__campagne")
    return get_object_or_404(queryset, pk=pk)


def get_motif_for_user(request: HttpRequest, pk: int) -> MotifDeclare:
    queryset = MotifDeclare.objects.filter(demande__agent=agent_of(request)).select_related("demande__campagne")
    return get_object_or_404(queryset, pk=pk)


def get_piece_for_user(request: HttpRequest, pk: int) -> PieceJustificative:
    """The owner, or staff allowed to examine pièces; anybody else gets a 404."""
    queryset = PieceJustificative.objects.select_related("demande__campagne")
    if not request.user.has_perm(STAFF_PIECES_PERMISSION):
        queryset = queryset.for_agent(agent_of(request))
    return get_object_or_404(queryset, pk=pk)


def dossier_for_bareme(agent: Agent) -> Dossier | None:
    """The dossier with everything the barème reads, in a fixed number of queries."""
    return unique_row(
        Dossier.objects.select_related(
            "corps",
            "grade",
            "discipline",
            "etablissement__commune__departement__academie",
            "zone_remplacement__siege__departement__academie",
            "zone_remplacement__departement__academie",  # the validity rules of a new voeu (affectation_of)
            "conjoint_commune__departement__academie",
            "conjoint_academie",
            "academie_stage",
        )
        .prefetch_related("enfants")
        .filter(agent=agent)
    )


def motifs_of(demande: Demande) -> list[MotifDeclare]:
    """The claims in the order they were made (sorted here: a handful of rows, no ORDER BY to compile)."""
    motifs = MotifDeclare.objects.filter(demande=demande).select_related(
        "conjoint_commune__departement__academie", "academie"
    )
    return sorted(motifs.order_by(), key=attrgetter("pk"))


def voeux_of(demande: Demande) -> list[Voeu]:
    """The list in order, targets loaded, with the communes the warnings need for GEO and ZRE voeux.

    Sorted here, not by the database: compiling ORDER BY rang cost a third of the query's Python (5,100 calls
    for 31 voeux), sorting 31 rows costs nothing; the communes are read only when the list has such voeux."""
    voeux = sorted(Voeu.objects.filter(demande=demande).with_targets().order_by(), key=attrgetter("rang"))
    covering = [v for v in voeux if v.groupement_id or v.zone_remplacement_id]
    if covering:
        prefetch_related_objects(covering, "groupement__communes", "zone_remplacement__communes")
    return voeux


def demandes_of(agent: Agent) -> dict[int, Demande]:
    """The agent's demandes by campagne id (SIAM home): no ORDER BY, a dict has none (Demande's ordering by
    campagne and agent would join both tables and cost 1,100 Python calls to compile)."""
    return {d.campagne_id: d for d in Demande.objects.for_agent(agent).with_nb_voeux().order_by()}
