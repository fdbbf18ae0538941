"""lib.prepared's rows (issue 14): every prepared query of the portal gives the instances Django's ModelIterable
gives for the same statement — same values, same state, same select_related objects, same annotations — in one
query; values() and values_list() queries, and a related manager's, are read by Django's own iterables."""

from __future__ import annotations

import datetime
import gc
import importlib
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import IntegerField
from django.test import Client
from django.utils import timezone

from accounts.models import Agent
from dossier.models import Enfant
from iprof.courrier.services import post_courrier
from lib.prepared import Param, PreparedQuery, _run_copy
from siam.models import BaremeCorrection, Campagne, Demande, Motif, TypeVoeu
from siam.models.campagne import _JALONS
from siam.services.demandes import _BumpedCampagne
from siam.services.motifs import declare_motif
from siam.services.voeux import BUMP_WITH_CIBLE, BY_CODE, add_voeu

MODULES = (
    "accounts.sessions",
    "dossier.selectors",
    "iprof.courrier.unread",
    "siam.models.campagne",
    "siam.portal",
    "siam.selectors",
    "siam.services.bareme.rules",
    "siam.services.bareme.store",
    "siam.services.demandes",
    "siam.services.voeux",
)


def _tree(obj: Any, seen: set[int]) -> Any:
    """What an instance is made of: its class, its __dict__ (columns and annotations), its state, and the
    related objects select_related cached on it, each the same way."""
    if obj is None or not hasattr(obj, "_state"):
        return obj
    if id(obj) in seen:  # a one-to-one's object knows its parent back
        return ("seen", type(obj), obj.pk)
    seen.add(id(obj))
    values = {k: v for k, v in obj.__dict__.items() if k != "_state"}
    related = {name: _tree(rel, seen) for name, rel in sorted(obj._state.fields_cache.items())}
    return (type(obj), values, obj._state.adding, obj._state.db, related)


def _trees(rows: list[Any]) -> list[Any]:
    return [_tree(row, set()) for row in rows]


def _prepared_queries() -> list[PreparedQuery[Any]]:
    for name in MODULES:
        importlib.import_module(name)
    # type(), not isinstance(): a lazy object left by another test would be evaluated
    found = [o for o in gc.get_objects() if issubclass(type(o), PreparedQuery)]
    return [o for o in found if o._build.__module__ in MODULES]


def test_every_prepared_query_builds_the_instances_django_s_iterable_builds(
    intra: Campagne, teacher_a: Agent, ref: dict[str, Any], django_assert_num_queries: Any
) -> None:
    with connection.cursor() as cursor:  # ids apart: a query handed another table's id finds nothing
        cursor.execute("SELECT setval(pg_get_serial_sequence('siam_demande', 'id'), %s)", [intra.pk + 500])
    demande = Demande.objects.create(agent=teacher_a, campagne=intra)
    for voeu_type, code in [
        (TypeVoeu.ETB, "0631018P"),
        (TypeVoeu.COM, "63300"),
        (TypeVoeu.GEO, "GEO063CLF"),
        (TypeVoeu.DPT, "063"),
        (TypeVoeu.ZRE, "ZR063CLF"),
    ]:
        demande.refresh_from_db()
        add_voeu(demande=demande, auteur=teacher_a, version=demande.version, voeu_type=voeu_type, code=code)
    demande.refresh_from_db()
    declare_motif(
        demande=demande,
        auteur=teacher_a,
        version=demande.version,
        motif=Motif.RAPPROCHEMENT_CONJOINTS,
        commune=ref["lyon"],
    )
    Enfant.objects.create(dossier=teacher_a.dossier, prenom="Léa", date_naissance=datetime.date(2015, 6, 1))
    post_courrier(recipients=[teacher_a], sujet="Résultat", corps="Votre résultat est disponible.", key="test-rows")
    BaremeCorrection.objects.create(
        demande=demande, code="anciennete_poste", points=Decimal("12.5"), justification="Arrêté du 1er septembre."
    )
    client = Client()
    client.force_login(teacher_a)
    demande.refresh_from_db()
    now = timezone.now()
    values: dict[str, Any] = {
        "agent": teacher_a.pk,
        "pk": demande.pk,
        "demande": demande.pk,
        "campagne": intra.pk,
        "slug": intra.slug,
        "cutoff": now,
        "now": now,
        "key": client.cookies["sessionid"].value,
        "version": demande.version,
    }
    codes = {"etablissement": "0631018P", "commune": "63300", "groupement": "GEO063CLF", "departement": "063"}
    codes |= {"academie": "CLERMONT", "zone_remplacement": "ZR063CLF"}
    code_of = {id(q): codes[field] for field, q in [*BY_CODE.items(), *BUMP_WITH_CIBLE.items()]}

    queries = _prepared_queries()
    compared = 0
    for query in queries:
        run = {**values, "code": code_of.get(id(query), "")}
        if query is _JALONS:  # a campagne's
            run["pk"] = intra.pk
        template = query._prepare()[0]
        with transaction.atomic():
            with django_assert_num_queries(1):
                found = query.fetch(**run)
            if isinstance(query, _BumpedCampagne):  # the statement bumped the version: the next one reads v + 1
                run["version"] += 1
            expected = list(_run_copy(template, run))
            transaction.set_rollback(True)
        assert found, f"no row for {query._build.__qualname__} of {query._build.__module__}: give it one"
        if isinstance(query, _BumpedCampagne):  # the demande's row as each bump left it: one version apart
            first, second = found[0].__dict__.pop("demande_row"), expected[0].__dict__.pop("demande_row")
            at = [f.attname for f in Demande._meta.concrete_fields].index("version")
            assert (first[at], second[at]) == (run["version"], run["version"] + 1)
            assert first[:at] + first[at + 1 :] == second[:at] + second[at + 1 :]
        assert _trees(found) == _trees(expected), query._build.__qualname__
        compared += 1
    planned = [q for q in queries if q._rows["default"] is not None]
    assert compared == len(queries) >= 25
    assert len(planned) >= 20  # the model queries, all but values() and values_list() ones
    assert all(q._prepare()[0]._iterable_class.__name__ == "ModelIterable" for q in planned)


def test_instances_keep_annotations_deferred_columns_and_missing_related_objects(teacher_a: Agent) -> None:
    """A nullable foreign key with no row gives None, as select_related does; a column only() leaves out stays
    deferred; a related manager's query (its known related objects) is Django's own iterable."""
    dossier = teacher_a.dossier
    prepared = PreparedQuery(
        lambda: (
            Agent.objects.select_related("dossier__zone_remplacement", "dossier__etablissement")
            .only("identifiant", "dossier__echelon", "dossier__zone_remplacement", "dossier__etablissement__uai")
            .filter(pk=Param("agent", IntegerField()))
        )
    )
    (agent,) = prepared.fetch(agent=teacher_a.pk)
    assert prepared._rows["default"] is not None
    assert (
        agent.get_deferred_fields() >= {"nom", "prenom", "email"} and "identifiant" not in agent.get_deferred_fields()
    )
    assert agent.dossier.echelon == dossier.echelon and agent.dossier.zone_remplacement is None
    etablissement = agent.dossier.etablissement
    assert etablissement is not None and etablissement.get_deferred_fields() >= {"nom"}
    assert _trees([agent]) == _trees(list(_run_copy(prepared._prepare()[0], {"agent": teacher_a.pk})))

    Enfant.objects.create(dossier=dossier, prenom="Léa", date_naissance=datetime.date(2015, 6, 1))
    related = PreparedQuery(lambda: dossier.enfants.filter(prenom="Léa"))
    (enfant,) = related.fetch()
    assert related._rows["default"] is None  # known related objects: Django's iterable
    assert enfant.dossier is dossier  # which sets the parent it came from


@pytest.mark.parametrize("count", [0, 3])
def test_no_row_gives_an_empty_list_and_each_row_its_instance(teacher_a: Agent, count: int) -> None:
    """As Django's iterable: no row, none; several, one instance each, in the statement's order."""
    for n in range(count):
        Enfant.objects.create(dossier=teacher_a.dossier, prenom=f"E{n}", date_naissance=datetime.date(2015 + n, 1, 2))
    prepared = PreparedQuery(lambda: Enfant.objects.filter(dossier__agent=Param("agent", IntegerField())))
    rows = prepared.fetch(agent=teacher_a.pk)
    assert sorted(e.date_naissance for e in rows) == [datetime.date(2015 + n, 1, 2) for n in range(count)]
    assert _trees(rows) == _trees(list(_run_copy(prepared._prepare()[0], {"agent": teacher_a.pk})))
