"""The barème's read helpers and the barème of a list: what the facts need, in a fixed number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from accounts.models import Agent
from dossier.models import Dossier, Enfant
from siam.models import Demande, Motif, MotifDeclare, Voeu
from siam.selectors import dossier_for_bareme, motifs_of, voeux_of
from siam.services.bareme.facts import voeu_facts

pytestmark = pytest.mark.django_db


def test_the_list_comes_in_rank_order_whatever_the_order_it_was_written_in(
    demande_a: Demande, ref: dict[str, Any], django_assert_num_queries: Any
) -> None:
    Voeu.objects.bulk_create(
        [
            Voeu(demande=demande_a, rang=3, type="COM", commune=ref["riom"]),
            Voeu(demande=demande_a, rang=1, type="ETB", etablissement=ref["college"]),
            Voeu(demande=demande_a, rang=2, type="DPT", departement=ref["departement"]),
        ]
    )
    with django_assert_num_queries(1):  # no GEO or ZRE voeu: no communes to read
        voeux = voeux_of(demande_a)
        facts = [voeu_facts(v) for v in voeux]
    assert [(v.rang, v.type) for v in voeux] == [(1, "ETB"), (2, "DPT"), (3, "COM")]
    assert [f.communes for f in facts] == [frozenset({"63113"}), frozenset(), frozenset({"63300"})]


def test_the_communes_of_geo_and_zre_voeux_are_read_with_the_list_and_only_then(
    demande_a: Demande, ref: dict[str, Any], django_assert_num_queries: Any
) -> None:
    Voeu.objects.bulk_create(
        [
            Voeu(demande=demande_a, rang=2, type="ZRE", zone_remplacement=ref["zr"]),
            Voeu(demande=demande_a, rang=1, type="GEO", groupement=ref["geo"]),
            Voeu(demande=demande_a, rang=3, type="ACA", academie=ref["academie"]),
        ]
    )
    with django_assert_num_queries(3):  # the list, the communes of its groupements, those of its zones
        voeux = voeux_of(demande_a)
    with django_assert_num_queries(0):
        facts = [voeu_facts(v) for v in voeux]
    assert [v.type for v in voeux] == ["GEO", "ZRE", "ACA"]
    assert [f.communes for f in facts] == [frozenset({"63113", "63300"})] * 2 + [frozenset()]


def test_the_claims_come_in_the_order_they_were_made(demande_a: Demande, ref: dict[str, Any]) -> None:
    first = MotifDeclare.objects.create(demande=demande_a, motif=Motif.RQTH).pk
    # written in another order than their ids (as rows deleted and restored, or ids from another sequence)
    MotifDeclare.objects.bulk_create(
        [MotifDeclare(pk=first + 3, demande=demande_a, motif=Motif.TZR),
         MotifDeclare(pk=first + 1, demande=demande_a, motif=Motif.CIMM)]
    )  # fmt: skip
    assert [m.motif for m in motifs_of(demande_a)] == [Motif.RQTH, Motif.CIMM, Motif.TZR]


def test_the_barème_of_a_list_reads_the_dossier_the_claims_the_rules_and_the_corrections_once(
    demande_a: Demande, ref: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from siam.services.bareme.display import bareme_of_list

    with django_assert_num_queries(1):  # an empty list: the dossier (its children in it) for the banner, no claims
        empty = bareme_of_list(demande_a, [])
    assert empty.dossier is not None and (empty.warnings, empty.provisoires) == ({}, {})
    Voeu.objects.bulk_create(
        Voeu(demande=demande_a, rang=i, type="ETB", etablissement=e)
        for i, e in enumerate([ref["college"], ref["etablissement"]], start=1)
    )
    voeux = voeux_of(demande_a)
    demande_a.campagne._bareme_rows = None  # type: ignore[attr-defined]  # as a fresh request's campagne
    # the dossier with its children, the claims, the campagne's rules, the staff corrections
    with django_assert_num_queries(4):
        found = bareme_of_list(demande_a, voeux)
    assert set(found.provisoires) == set(found.warnings) == {v.pk for v in voeux}


def test_the_dossier_comes_with_its_children_in_birth_order_and_a_new_child_is_seen_at_the_next_read(
    teacher_a: Agent, django_assert_num_queries: Any
) -> None:
    dossier = Dossier.objects.get(agent=teacher_a)
    for prenom, born in (("Emma", datetime.date(2018, 10, 3)), ("Léo", datetime.date(2015, 5, 12))):
        Enfant.objects.create(dossier=dossier, prenom=prenom, date_naissance=born)
    with django_assert_num_queries(1):  # the dossier with its 19 tables and its children, in one query
        loaded = dossier_for_bareme(teacher_a.pk)
        assert loaded is not None
        children = list(loaded.enfants.all())
        assert all(child.dossier is loaded for child in children)
    assert [child.prenom for child in children] == ["Léo", "Emma"]
    assert [child.date_naissance for child in children] == [datetime.date(2015, 5, 12), datetime.date(2018, 10, 3)]
    assert [child.pk for child in children] == list(
        Enfant.objects.filter(dossier=dossier).order_by("date_naissance").values_list("pk", flat=True)
    )
    assert all(not child._state.adding and child._state.db == "default" for child in children)
    Enfant.objects.create(dossier=dossier, prenom="Jules", date_naissance=datetime.date(2021, 1, 2))
    again = dossier_for_bareme(teacher_a)
    assert again is not None and [child.prenom for child in again.enfants.all()] == ["Léo", "Emma", "Jules"]
    assert list(again.enfants.filter(prenom="Emma").values_list("prenom", flat=True)) == ["Emma"]


def field_values(instance: Any) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_the_claims_read_with_the_version_bump_are_those_motifs_of_reads_with_their_places_loaded(
    demande_a: Demande, teacher_a: Agent, ref: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from django.db import transaction

    from siam.models import StatutMotif
    from siam.services.demandes import lock_and_bump

    lyon = ref["lyon"]
    lyon.latitude, lyon.longitude = Decimal("45.76778"), Decimal("-4.83512")  # five decimals: no float on the way
    lyon.save()
    made = [
        MotifDeclare.objects.create(
            demande=demande_a, motif=Motif.RAPPROCHEMENT_CONJOINTS, conjoint_commune=lyon, precision="Lyon 3e"
        ),
        MotifDeclare.objects.create(demande=demande_a, motif=Motif.CIMM, academie=ref["lyon_academie"]),
        MotifDeclare.objects.create(demande=demande_a, motif=Motif.TZR, annees=4),
    ]
    MotifDeclare.objects.filter(pk=made[1].pk).update(
        statut=StatutMotif.VALIDE,
        decided_by=teacher_a,
        decided_at=datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC),
    )
    expected = motifs_of(demande_a)
    with transaction.atomic():
        locked = lock_and_bump(demande_a, demande_a.version)
        with django_assert_num_queries(0):  # the claims, their académie, their commune, its département, its académie
            read = motifs_of(locked)
            assert [field_values(m) for m in read] == [field_values(m) for m in expected]
            for got, want in zip(read, expected, strict=True):
                for relation in ("academie", "conjoint_commune"):
                    assert (getattr(got, relation) is None) == (getattr(want, relation) is None)
                    if getattr(want, relation) is not None:
                        assert field_values(getattr(got, relation)) == field_values(getattr(want, relation))
            commune = read[0].conjoint_commune
            assert commune is not None and commune.latitude == Decimal("45.76778")
            assert field_values(commune.departement) == field_values(ref["rhone"])
            assert commune.departement.academie.code == "LYON"
            assert isinstance(read[1].decided_at, datetime.datetime) and read[1].decided_at == expected[1].decided_at
        assert "motifs" not in getattr(demande_a, "_prefetched_objects_cache", {})  # the caller's demande untouched


TARGET_CHAINS = {
    "etablissement": ("commune", "departement", "academie"),
    "commune": ("departement", "academie"),
    "groupement": ("departement", "academie"),
    "departement": ("academie",),
    "academie": (),
    "zone_remplacement": ("departement", "academie"),
}


def test_the_list_read_with_the_version_bump_is_the_one_voeux_of_reads_targets_loaded_and_it_is_used_once(
    demande_a: Demande, ref: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from django.db import transaction

    from siam.services.bareme.facts import voeu_facts
    from siam.services.demandes import lock_and_bump

    Voeu.objects.bulk_create(
        [
            Voeu(demande=demande_a, rang=4, type="ZRE", zone_remplacement=ref["zr"]),
            Voeu(demande=demande_a, rang=1, type="ETB", etablissement=ref["college"]),
            Voeu(demande=demande_a, rang=2, type="COM", commune=ref["riom"], filtre="CLG"),
            Voeu(demande=demande_a, rang=3, type="GEO", groupement=ref["geo"]),
            Voeu(demande=demande_a, rang=5, type="DPT", departement=ref["departement"]),
            Voeu(demande=demande_a, rang=6, type="ACA", academie=ref["lyon_academie"]),
        ]
    )
    expected = voeux_of(demande_a)
    with transaction.atomic():
        locked = lock_and_bump(demande_a, demande_a.version)
        with django_assert_num_queries(2):  # only the communes of its groupements and of its zones
            read = voeux_of(locked)
        with django_assert_num_queries(0):
            assert [field_values(v) for v in read] == [field_values(v) for v in expected]
            for got, want in zip(read, expected, strict=True):
                for name, chain in TARGET_CHAINS.items():
                    mine, theirs = getattr(got, name), getattr(want, name)
                    assert (mine is None) == (theirs is None)
                    for step in chain:
                        if theirs is None:
                            break
                        mine, theirs = getattr(mine, step), getattr(theirs, step)
                        assert field_values(mine) == field_values(theirs)
            assert [voeu_facts(v) for v in read] == [voeu_facts(v) for v in expected]
        assert read[1].commune is not None and read[1].commune.latitude == Decimal("45.89")
        with django_assert_num_queries(3):  # a second read after a change: the database, not the list kept
            assert [v.rang for v in voeux_of(locked)] == [1, 2, 3, 4, 5, 6]


def test_the_dossier_read_with_the_version_bump_is_the_one_dossier_for_bareme_reads_children_and_places_loaded(
    demande_a: Demande, teacher_a: Agent, ref: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from django.db import transaction

    from siam.selectors import dossier_of
    from siam.services.demandes import lock_and_bump

    dossier = Dossier.objects.get(agent=teacher_a)
    dossier.conjoint_commune, dossier.conjoint_academie = ref["lyon"], ref["lyon_academie"]
    dossier.save()
    for prenom, born in (("Emma", datetime.date(2018, 10, 3)), ("Léo", datetime.date(2015, 5, 12))):
        Enfant.objects.create(dossier=dossier, prenom=prenom, date_naissance=born)
    expected = dossier_for_bareme(teacher_a)
    assert expected is not None and expected.etablissement is not None
    chains = [path.split("__") for path in ("corps", "grade", "discipline", "academie_stage", "conjoint_academie")]
    chains += [
        ["etablissement", "commune", "departement", "academie"],
        ["zone_remplacement", "siege", "departement", "academie"],
        ["zone_remplacement", "departement", "academie"],
        ["conjoint_commune", "departement", "academie"],
    ]
    with transaction.atomic():
        locked = lock_and_bump(demande_a, demande_a.version)
        with django_assert_num_queries(0):
            read = dossier_of(locked)
            assert read is not None and field_values(read) == field_values(expected)
            for chain in chains:
                mine, theirs = read, expected
                for step in chain:
                    mine, theirs = getattr(mine, step), getattr(theirs, step)
                    assert (mine is None) == (theirs is None)
                    if theirs is None:
                        break
                    assert field_values(mine) == field_values(theirs)
            assert [field_values(e) for e in read.enfants.all()] == [field_values(e) for e in expected.enfants.all()]
            assert [e.date_naissance for e in read.enfants.all()] == [
                datetime.date(2015, 5, 12),
                datetime.date(2018, 10, 3),
            ]
    with django_assert_num_queries(1):  # a demande that did not come with it: read
        assert dossier_of(demande_a) is not None


CIBLE_CHAINS = {
    "ETB": ("commune", "departement", "academie"),
    "COM": ("departement", "academie"),
    "GEO": ("departement", "academie"),
    "DPT": ("academie",),
    "ACA": (),
    "ZRE": ("departement", "academie"),
}


@pytest.mark.parametrize(
    ("voeu_type", "code", "queries"),
    [
        ("ETB", "0631018p ", 1),
        ("COM", "63300", 1),
        ("GEO", "GEO063CLF", 1),
        ("DPT", "063", 1),
        ("DPT", "63", 2),  # two candidates ("63", "063"): resolve_cible's query after the statement
        ("ACA", "LYON", 1),
        ("ACA", "lyon", 1),
        ("ZRE", "ZR063CLF", 1),
    ],
)
def test_the_target_of_an_added_voeu_is_read_in_the_version_bump_statement_as_resolve_cible_reads_it(
    voeu_type: str, code: str, queries: int, demande_a: Demande, ref: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from django.db import transaction

    from siam.services.voeux import lock_and_resolve, resolve_cible

    expected = resolve_cible(voeu_type, code)
    with transaction.atomic():
        with django_assert_num_queries(queries):
            locked, cible = lock_and_resolve(demande_a, demande_a.version, voeu_type, code)
        assert locked.version == demande_a.version + 1
        with django_assert_num_queries(0):
            assert type(cible) is type(expected) and field_values(cible) == field_values(expected)
            mine, theirs = cible, expected
            for step in CIBLE_CHAINS[voeu_type]:
                mine, theirs = getattr(mine, step), getattr(theirs, step)
                assert field_values(mine) == field_values(theirs)


def test_a_code_that_names_nothing_is_refused_as_before_and_an_académie_is_found_by_its_name_too(
    demande_a: Demande, ref: dict[str, Any]
) -> None:
    from django.db import transaction

    from siam.errors import VoeuInvalide
    from siam.services.voeux import lock_and_resolve

    with pytest.raises(VoeuInvalide) as refused, transaction.atomic():
        lock_and_resolve(demande_a, demande_a.version, "ETB", "0000000X")
    assert refused.value.message == "Aucun établissement ne porte le code UAI « 0000000X »."
    with transaction.atomic():
        _locked, cible = lock_and_resolve(demande_a, demande_a.version, "ACA", "clermont-ferrand")
    assert cible == ref["academie"] and ref["academie"].code == "CLERMONT"
