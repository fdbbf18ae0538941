"""Read helpers: every object a URL names is loaded through here, scoped to whoever asks (404 otherwise)."""

from __future__ import annotations

import datetime
from operator import attrgetter
from typing import TYPE_CHECKING, Any, cast

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, JSONArray
from django.http import Http404
from django.shortcuts import get_object_or_404

from dossier.models import Dossier, Enfant
from lib.prepared import Param, PreparedQuery, prefetched
from siam.models import Campagne, Demande, MotifDeclare, PieceJustificative, Voeu
from siam.models.campagne import JALON_ANNOTATIONS, VISIBLE_FOR

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import Agent

STAFF_PIECES_PERMISSION = "siam.view_piecejustificative"


def agent_of(request: HttpRequest) -> Agent:
    """The logged-in agent (views are behind @login_required)."""
    return cast("Agent", request.user)


# SQL compiled once per process (lib.prepared), run on every request: the campagne of a URL with its jalons (the
# phase every SIAM page asks, without a query of its own), and the SIAM home's campagnes with the teacher's demandes.
_CAMPAGNE = PreparedQuery(
    lambda: (
        Campagne.objects.select_related("academie")
        .with_jalons()
        .filter(slug=Param("slug", CharField()), publiee=True)
        .order_by()[:1]
    )
)
DEMANDE_COLUMNS = tuple(field.attname for field in Demande._meta.concrete_fields)


def _campagnes_with_demande() -> QuerySet[Campagne]:
    """The visible campagnes, each with the columns of the agent's demande for it (NULL without one)."""
    mine = FilteredRelation("demandes", condition=Q(demandes__agent=Param("agent", IntegerField())))
    # as Demande.objects.with_nb_voeux(): a subquery counts the one demande's voeux, never GROUP BY all of them
    voeux = Voeu.objects.filter(demande=OuterRef("mine__pk")).order_by().values("demande")
    count = voeux.annotate(n=Count("pk")).values("n")
    return (
        Campagne.objects.visibles(cutoff=Param("cutoff", DateTimeField()))
        .annotate(mine=mine)
        .annotate(
            **{f"demande_{name}": F(f"mine__{name}") for name in DEMANDE_COLUMNS},
            demande_nb_voeux=Coalesce(Subquery(count, output_field=IntegerField()), 0),
        )
    )


_CAMPAGNES_WITH_DEMANDE = PreparedQuery(_campagnes_with_demande)


def get_campagne(slug: str) -> Campagne:
    """A published campagne, with its jalons; 404 otherwise."""
    campagne = _CAMPAGNE.first(slug=slug)
    if campagne is None:
        raise Http404("Aucune campagne publiée ne porte cet identifiant.")
    return campagne


def _demande_of_agent() -> QuerySet[Demande]:
    agent: Any = Param("agent", IntegerField())
    return Demande.objects.for_agent(agent).select_related("campagne__academie").filter(pk=Param("pk", IntegerField()))


_DEMANDE_OF_AGENT: PreparedQuery[Demande] = PreparedQuery(_demande_of_agent)


def get_demande_for_user(request: HttpRequest, pk: int) -> Demande:
    """The asker's demande, or 404 (every page of a demande: the query compiled once)."""
    found = _DEMANDE_OF_AGENT.fetch(agent=agent_of(request).pk, pk=pk)
    if not found:
        raise Http404
    return found[0]


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


_DOSSIER_FOR_BAREME: PreparedQuery[Dossier] = PreparedQuery(
    lambda: (
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
        .filter(agent=Param("agent", IntegerField()))
        .order_by()[:1]
    )
)


# the children of a dossier in the model's order, as prefetch_related("enfants") reads them, compiled once
_ENFANTS: PreparedQuery[Enfant] = PreparedQuery(lambda: Enfant.objects.filter(dossier=Param("dossier", IntegerField())))


def dossier_for_bareme(agent: Agent | int) -> Dossier | None:
    """The dossier with everything the barème reads, in two queries compiled once: its 19 joined tables (compiling
    it cost 10,000 Python calls per page), its children (prefetch_related_objects compiled theirs each time)."""
    dossier = _DOSSIER_FOR_BAREME.first(agent=agent if isinstance(agent, int) else agent.pk)
    if dossier is not None:
        prefetched(dossier, "enfants", _ENFANTS.fetch(dossier=dossier.pk))
    return dossier


_MOTIFS: PreparedQuery[MotifDeclare] = PreparedQuery(
    lambda: (
        MotifDeclare.objects.filter(demande=Param("demande", IntegerField()))
        .select_related("conjoint_commune__departement__academie", "academie")
        .order_by()
    )
)


def motifs_of(demande: Demande) -> list[MotifDeclare]:
    """The claims in the order they were made (sorted here: a handful of rows, no ORDER BY to compile; the query
    compiled once)."""
    return sorted(_MOTIFS.fetch(demande=demande.pk), key=attrgetter("pk"))


_VOEUX: PreparedQuery[Voeu] = PreparedQuery(
    lambda: Voeu.objects.filter(demande=Param("demande", IntegerField())).with_targets().order_by()
)


def voeux_of(demande: Demande) -> list[Voeu]:
    """The list in order, targets loaded, with the communes the warnings need for GEO and ZRE voeux.

    Sorted here, not by the database: compiling ORDER BY rang cost a third of the query's Python (5,100 calls
    for 31 voeux), sorting 31 rows costs nothing; the communes are read only when the list has such voeux."""
    voeux = sorted(_VOEUX.fetch(demande=demande.pk), key=attrgetter("rang"))
    covering = [v for v in voeux if v.groupement_id or v.zone_remplacement_id]
    if covering:
        prefetch_related_objects(covering, "groupement__communes", "zone_remplacement__communes")
    return voeux


def campagnes_of(agent: Agent, now: datetime.datetime) -> list[tuple[Campagne, Demande | None]]:
    """The SIAM home: the visible campagnes (Campagne.objects.visibles(), with their jalons), each with the agent's
    demande and its number of voeux, in one query."""
    rows: list[tuple[Campagne, Demande | None]] = []
    for campagne in _CAMPAGNES_WITH_DEMANDE.fetch(cutoff=now - VISIBLE_FOR, agent=agent.pk):
        demande = None
        if campagne.demande_id is not None:  # type: ignore[attr-defined]
            values = [getattr(campagne, f"demande_{name}") for name in DEMANDE_COLUMNS]
            demande = Demande.from_db(campagne._state.db, DEMANDE_COLUMNS, values)
            demande.nb_voeux = campagne.demande_nb_voeux  # type: ignore[attr-defined]
            demande.campagne = campagne
        rows.append((campagne, demande))
    return rows


# A campagne of campagnes_json: its columns, its jalons, then its demande (null without one): the demande's columns
# and its number of voeux.
CAMPAGNE_COLUMNS = tuple(field.attname for field in Campagne._meta.concrete_fields)
_CAMPAGNE_DATES = frozenset(f.attname for f in Campagne._meta.concrete_fields if isinstance(f, DateTimeField))
_DEMANDE_DATES = frozenset(f.attname for f in Demande._meta.concrete_fields if isinstance(f, DateTimeField))


def campagnes_json(agent: str) -> ArraySubquery:
    """campagnes_of's rows as one column of a query whose ``agent`` column is the agent (the SIAM home's dossier):
    an array of JSON arrays. The demande is a subquery of its own (a FilteredRelation cannot name the outer query)."""
    voeux = Voeu.objects.filter(demande=OuterRef("pk")).order_by().values("demande")
    count = voeux.annotate(n=Count("pk")).values("n")
    nb_voeux = Coalesce(Subquery(count, output_field=IntegerField()), 0)
    mine = Demande.objects.filter(campagne=OuterRef("pk"), agent=OuterRef(OuterRef(agent))).order_by()
    demande = Subquery(mine.values(row=JSONArray(*DEMANDE_COLUMNS, nb_voeux))[:1])
    # Campagne.Meta.ordering, which a subquery would drop
    rows = Campagne.objects.visibles(cutoff=Param("cutoff", DateTimeField())).order_by("-year", "kind", "saisie_debut")
    return ArraySubquery(rows.values(row=JSONArray(*CAMPAGNE_COLUMNS, *JALON_ANNOTATIONS, demande)))


def _when(value: str | None) -> datetime.datetime | None:
    return None if value is None else datetime.datetime.fromisoformat(value)


def campagnes_from_json(rows: list[list[Any]], db: str) -> list[tuple[Campagne, Demande | None]]:
    """What campagnes_of returns, from campagnes_json's column (the same instances, without the académie)."""
    found: list[tuple[Campagne, Demande | None]] = []
    nc = len(CAMPAGNE_COLUMNS)
    for row in rows:
        values = [_when(v) if n in _CAMPAGNE_DATES else v for n, v in zip(CAMPAGNE_COLUMNS, row, strict=False)]
        campagne = Campagne.from_db(db, CAMPAGNE_COLUMNS, values)
        for name, value in zip(JALON_ANNOTATIONS, row[nc:-1], strict=True):
            setattr(campagne, name, value)
        demande = None
        if row[-1] is not None:
            *cells, nb_voeux = row[-1]
            pairs = zip(DEMANDE_COLUMNS, cells, strict=True)
            demande = Demande.from_db(db, DEMANDE_COLUMNS, [_when(v) if n in _DEMANDE_DATES else v for n, v in pairs])
            demande.nb_voeux = nb_voeux  # type: ignore[attr-defined]
            demande.campagne = campagne
        found.append((campagne, demande))
    return found
