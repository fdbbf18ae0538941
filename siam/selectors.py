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
    DecimalField,
    F,
    FilteredRelation,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Coalesce, JSONArray, JSONObject
from django.http import Http404
from django.shortcuts import get_object_or_404

from dossier.models import Dossier, Enfant
from lib.prepared import JsonRow, Param, PreparedQuery, prefetched
from siam.models import BaremeCorrection, Campagne, Demande, MotifDeclare, PieceJustificative, Voeu
from siam.models.campagne import JALON_ANNOTATIONS, VISIBLE_FOR, jalon_subqueries

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
    """The demande with its campagne, its académie and the campagne's jalons (as annotations of the demande), and
    its staff corrections of the barème in the order they were made (a JSON array: a handful of rows, most often
    none; siam.services.bareme.store.corrections_of reads them)."""
    agent: Any = Param("agent", IntegerField())
    jalons = {f"campagne_{name}": exists for name, exists in jalon_subqueries("campagne").items()}
    correction = JSONObject(
        voeu="voeu_id",
        code="code",
        points=Cast("points", CharField()),  # the decimal as written, not a JSON float
        fait="fait",
        valeur="valeur",
        justification="justification",
    )
    corrections = BaremeCorrection.objects.filter(demande=OuterRef("pk")).order_by("date", "pk").values(j=correction)
    return (
        Demande.objects.for_agent(agent)
        .select_related("campagne__academie")
        .annotate(**jalons, bareme_corrections=ArraySubquery(corrections))
        .filter(pk=Param("pk", IntegerField()))
        .order_by()  # one row: no ORDER BY, hence no join with the agents for Demande's default ordering
    )


_DEMANDE_OF_AGENT: PreparedQuery[Demande] = PreparedQuery(_demande_of_agent)


def get_demande_for_user(request: HttpRequest, pk: int) -> Demande:
    """The asker's demande, or 404 (every page of a demande), in one query compiled once: its campagne comes with
    its jalons, the phase every page asks without a query of its own."""
    found = _DEMANDE_OF_AGENT.fetch(agent=agent_of(request).pk, pk=pk)
    if not found:
        raise Http404
    demande = found[0]
    for name in JALON_ANNOTATIONS:
        setattr(demande.campagne, name, getattr(demande, f"campagne_{name}"))
    return demande


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


# the children of a dossier in the model's order (as prefetch_related("enfants") reads them), one JSON array per
# child: the column the dossier's query carries
ENFANT_COLUMNS = ("id", "prenom", "date_naissance")
_ENFANTS_ARRAY = ArraySubquery(
    Enfant.objects.filter(dossier=OuterRef("pk"))
    .order_by("date_naissance", "pk")
    .values(row=JSONArray(*ENFANT_COLUMNS))
)

DOSSIER_RELATED = (
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
_DOSSIER_FOR_BAREME: PreparedQuery[Dossier] = PreparedQuery(
    lambda: (
        Dossier.objects.select_related(*DOSSIER_RELATED)
        .annotate(enfants_rows=_ENFANTS_ARRAY)
        .filter(agent=Param("agent", IntegerField()))
        .order_by()[:1]
    )
)


_ENFANT = JsonRow(Enfant, ("id", "dossier_id", "prenom", "date_naissance"))


def _enfants(dossier: Dossier, rows: list[list[Any]]) -> list[Enfant]:
    """The children as prefetch_related reads them (model instances from the database, dates as dates)."""
    db = dossier._state.db or "default"
    return [_ENFANT.instance(db, [pk, dossier.pk, prenom, born]) for pk, prenom, born in rows]


def dossier_for_bareme(agent: Agent | int) -> Dossier | None:
    """The dossier with everything the barème reads, in one query compiled once: its 19 joined tables (compiling it
    cost 10,000 Python calls per page) and its children as a JSON array, put where prefetch_related puts them
    (``dossier.enfants.all()`` reads no more)."""
    dossier = _DOSSIER_FOR_BAREME.first(agent=agent if isinstance(agent, int) else agent.pk)
    if dossier is not None:
        prefetched(dossier, "enfants", _enfants(dossier, dossier.enfants_rows))  # type: ignore[attr-defined]
    return dossier


_KEPT_DOSSIER = "_dossier_for_bareme"


def dossier_of(demande: Demande) -> Dossier | None:
    """The demande's teacher's dossier_for_bareme(): the one the demande came with (keep_dossier: the save's version
    bump reads it), else read."""
    if _KEPT_DOSSIER in demande.__dict__:
        return cast("Dossier | None", demande.__dict__[_KEPT_DOSSIER])
    return dossier_for_bareme(demande.agent_id)  # type: ignore[arg-type]


_MOTIFS: PreparedQuery[MotifDeclare] = PreparedQuery(
    lambda: (
        MotifDeclare.objects.filter(demande=Param("demande", IntegerField()))
        .select_related("conjoint_commune__departement__academie", "academie")
        .order_by()
    )
)


def motifs_of(demande: Demande) -> list[MotifDeclare]:
    """The claims in the order they were made (sorted here: a handful of rows, no ORDER BY to compile; the query
    compiled once); none when the demande came with them (motifs_array: the save's version bump reads them)."""
    if "motifs" in getattr(demande, "_prefetched_objects_cache", {}):
        return sorted(demande.motifs.all(), key=attrgetter("pk"))
    return sorted(_MOTIFS.fetch(demande=demande.pk), key=attrgetter("pk"))


class JsonTree:
    """Rows of ``model`` with the related rows select_related would join (``related``: its nested dict), as one
    column of another query: per row a JSON array holding one array of columns per table (NULLs where the relation
    is empty; decimals as text, a JSON number being a float), read back as the model instances select_related
    gives (lib.prepared.JsonRow: dates, times and decimals as such)."""

    def __init__(self, model: type[Model], related: dict[str, Any]) -> None:
        # (path to the table, its model, the index of the table pointing to it, the foreign key it points with)
        self.nodes: list[tuple[str, type[Model], int, Any]] = [("", model, -1, None)]

        def walk(parent: int, prefix: str, tree: dict[str, Any]) -> None:
            for name, below in tree.items():
                field: Any = self.nodes[parent][1]._meta.get_field(name)  # a foreign key
                self.nodes.append((f"{prefix}{name}__", field.related_model, parent, field))
                walk(len(self.nodes) - 1, f"{prefix}{name}__", below)

        walk(0, "", related)
        self.fields = [model._meta.concrete_fields for _path, model, _parent, _fk in self.nodes]
        self.rows = [
            JsonRow(model, tuple(f.attname for f in fields))
            for (_path, model, _parent, _fk), fields in zip(self.nodes, self.fields, strict=True)
        ]

    def array(self, rows: QuerySet[Any]) -> ArraySubquery:
        """``rows`` (a QuerySet of the model, filtered and ordered), one JSON array each."""

        def column(path: str, field: Any) -> Any:
            name = f"{path}{field.name if path else field.attname}"
            return Cast(name, TextField()) if isinstance(field, DecimalField) else F(name)

        tables = [
            JSONArray(*(column(path, f) for f in fields))
            for (path, _model, _parent, _fk), fields in zip(self.nodes, self.fields, strict=True)
        ]
        return ArraySubquery(rows.values(row=JSONArray(*tables)))

    def instances(self, db: str, rows: list[list[list[Any]]]) -> list[Any]:
        found = []
        nodes = list(zip(self.nodes, self.rows, strict=True))
        for row in rows:
            made: list[Any] = []
            for ((_path, _model, parent, fk), table), values in zip(nodes, row, strict=True):
                # the table's primary key comes first: NULL, no such row
                instance = None if values[0] is None else table.instance(db, values)
                made.append(instance)
                if parent >= 0 and made[parent] is not None:
                    fk.set_cached_value(made[parent], instance)
            found.append(made[0])
        return found


def _keep(demande: Demande, name: str, rows: list[Any]) -> None:
    # its own cache, not one a copy.copy() shares with the original
    demande._prefetched_objects_cache = dict(getattr(demande, "_prefetched_objects_cache", {}))  # type: ignore[attr-defined]
    prefetched(demande, name, rows)


# A demande's claims with what _MOTIFS joins, and its list with its targets (with_targets), as columns of another
# query: the save's version bump (siam.services.demandes) reads them in its statement.
_MOTIFS_TREE = JsonTree(MotifDeclare, {"conjoint_commune": {"departement": {"academie": {}}}, "academie": {}})


def motifs_array(demande: Any) -> ArraySubquery:
    """The claims of the demande ``demande`` (an expression), for keep_motifs."""
    return _MOTIFS_TREE.array(MotifDeclare.objects.filter(demande=demande).order_by("pk"))


_VOEUX_TREE = JsonTree(Voeu, Voeu.objects.with_targets().query.select_related)  # type: ignore[arg-type]


def voeux_array(demande: Any) -> ArraySubquery:
    """The list of the demande ``demande`` (an expression) with its targets, for keep_voeux."""
    return _VOEUX_TREE.array(Voeu.objects.filter(demande=demande).order_by("rang"))


def keep_voeux(demande: Demande, rows: list[Any]) -> None:
    """The list voeux_array read, put where prefetch_related("voeux") puts it, targets loaded as with_targets
    loads them: the next voeux_of reads no list (only the communes of GEO and ZRE voeux)."""
    _keep(demande, "voeux", _VOEUX_TREE.instances(demande._state.db or "default", rows))


_DOSSIER_TREE = JsonTree(Dossier, Dossier.objects.select_related(*DOSSIER_RELATED).query.select_related)  # type: ignore[arg-type]


def dossier_arrays(agent: Any) -> dict[str, ArraySubquery]:
    """The dossier of the agent ``agent`` (an expression; none or one) with what dossier_for_bareme joins, and its
    children, as two columns ``dossier_rows`` and ``enfants_rows`` for keep_dossier."""
    children = Enfant.objects.filter(dossier=agent).order_by("date_naissance", "pk")
    return {
        "dossier_rows": _DOSSIER_TREE.array(Dossier.objects.filter(agent=agent).order_by()),
        "enfants_rows": ArraySubquery(children.values(row=JSONArray(*ENFANT_COLUMNS))),
    }


def keep_dossier(demande: Demande, dossier_rows: list[Any], enfants_rows: list[Any]) -> None:
    """The dossier dossier_arrays read, with its children where prefetch_related puts them: dossier_of(demande)."""
    found = _DOSSIER_TREE.instances(demande._state.db or "default", dossier_rows)
    dossier = found[0] if found else None
    if dossier is not None:
        prefetched(dossier, "enfants", _enfants(dossier, enfants_rows))
    demande.__dict__[_KEPT_DOSSIER] = dossier


def keep_motifs(demande: Demande, rows: list[Any]) -> None:
    """The claims motifs_array read, put where prefetch_related("motifs") puts them, each with its académie and its
    conjoint's commune loaded as select_related loads them: motifs_of reads no more."""
    _keep(demande, "motifs", _MOTIFS_TREE.instances(demande._state.db or "default", rows))


_VOEUX: PreparedQuery[Voeu] = PreparedQuery(
    lambda: Voeu.objects.filter(demande=Param("demande", IntegerField())).with_targets().order_by()
)


def voeux_of(demande: Demande) -> list[Voeu]:
    """The list in order, targets loaded, with the communes the warnings need for GEO and ZRE voeux.

    Sorted here, not by the database: compiling ORDER BY rang cost a third of the query's Python (5,100 calls
    for 31 voeux), sorting 31 rows costs nothing; the communes are read only when the list has such voeux.
    The list the demande came with (keep_voeux: the save's version bump reads it) is used once: the change that
    follows makes it stale, a second call reads the database."""
    cache = getattr(demande, "_prefetched_objects_cache", {})
    if "voeux" in cache:
        listed = list(demande.voeux.all())
        del cache["voeux"]
    else:
        listed = _VOEUX.fetch(demande=demande.pk)
    voeux = sorted(listed, key=attrgetter("rang"))
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
_CAMPAGNE_ROW, _DEMANDE_ROW = JsonRow(Campagne, CAMPAGNE_COLUMNS), JsonRow(Demande, DEMANDE_COLUMNS)


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


def campagnes_from_json(rows: list[list[Any]], db: str) -> list[tuple[Campagne, Demande | None]]:
    """What campagnes_of returns, from campagnes_json's column (the same instances, without the académie)."""
    found: list[tuple[Campagne, Demande | None]] = []
    nc = len(CAMPAGNE_COLUMNS)
    for row in rows:
        campagne = _CAMPAGNE_ROW.instance(db, row[:nc])
        for name, value in zip(JALON_ANNOTATIONS, row[nc:-1], strict=True):
            setattr(campagne, name, value)
        demande = None
        if row[-1] is not None:
            *cells, nb_voeux = row[-1]
            demande = _DEMANDE_ROW.instance(db, cells)
            demande.nb_voeux = nb_voeux  # type: ignore[attr-defined]
            demande.campagne = campagne
        found.append((campagne, demande))
    return found
