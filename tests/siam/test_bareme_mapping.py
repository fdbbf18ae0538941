"""From the ORM to the calculator: a full inter dossier gives the lines worked out by hand."""

# ruff: noqa: F811 - the cast's fixtures are imported by name and requested as arguments
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from accounts.models import Agent
from siam import bareme as core
from siam.models import Campagne, Demande, MotifDeclare, StatutMotif
from siam.selectors import dossier_for_bareme, motifs_of, voeux_of
from siam.services.bareme import provisional_baremes
from siam.services.bareme.facts import situation_for, voeu_facts
from siam.services.bareme.load import load_participants
from tests.siam.bareme_cast import (
    ECHELON,
    ENFANTS,
    POSTE,
    RC,
    SANS_FAMILLE,
    SEPARATION,
    VOEU_1,
    academies,  # noqa: F401
    dossier_rc,  # noqa: F401
    family,
    inter_demande,
)

pytestmark = pytest.mark.django_db


def lines(bareme: Any) -> dict[str, Any]:
    return {line.code: line for line in bareme.lines}


def test_rc_towards_lyon_as_voeu_1_gives_150_2_children_and_separation(dossier_rc: Demande) -> None:
    by_rang = {v.rang: provisional_baremes(dossier_rc)[v.pk] for v in dossier_rc.voeux.all()}
    lyon = lines(by_rang[1])
    assert lyon["echelon"].points == ECHELON and lyon["poste"].points == POSTE
    assert lyon["rc"].points == RC
    assert lyon["rc"].sentence == (
        "Rapprochement de conjoints : 150,2 points — académie de résidence professionnelle du conjoint (Lyon), en vœu 1"
    )
    assert lyon["enfants"].points == ENFANTS  # two under 18 on 1 September 2027, the third is 22
    assert lyon["separation"].points == SEPARATION
    assert by_rang[1].total == VOEU_1 == Decimal("1044.2")


def test_a_limitrophe_academie_keeps_the_family_bonuses_and_another_does_not(dossier_rc: Demande) -> None:
    by_rang = {v.rang: provisional_baremes(dossier_rc)[v.pk] for v in dossier_rc.voeux.all()}
    grenoble, paris = lines(by_rang[2]), lines(by_rang[3])
    assert grenoble["rc"].points == RC and "limitrophe" in grenoble["rc"].sentence
    assert paris["rc"].points == 0 and paris["enfants"].points == 0
    assert by_rang[3].total == SANS_FAMILLE


def test_a_refused_claim_gives_0_and_says_why(
    inter: Campagne, teacher_a: Agent, ref: dict[str, Any], academies: dict[str, Any]
) -> None:
    family(teacher_a, ref)
    demande = inter_demande(teacher_a, inter, academies, rc=StatutMotif.REFUSE)
    bareme = provisional_baremes(demande)[demande.voeux.get(rang=1).pk]
    rc = lines(bareme)["rc"]
    assert rc.state is core.LineState.REFUSED and rc.points == 0
    assert (
        rc.sentence
        == "Rapprochement de conjoints : refusé par le rectorat — attestation de l'employeur du conjoint absente"
    )
    assert lines(bareme)["enfants"].points == 0  # enfants only come with a validated RC or APC
    assert bareme.total == SANS_FAMILLE


def test_a_declared_claim_is_pending_and_adds_nothing_yet(
    inter: Campagne, teacher_a: Agent, ref: dict[str, Any], academies: dict[str, Any]
) -> None:
    family(teacher_a, ref)
    demande = inter_demande(teacher_a, inter, academies, rc=StatutMotif.DECLARE)
    bareme = provisional_baremes(demande)[demande.voeux.get(rang=1).pk]
    assert lines(bareme)["rc"].state is core.LineState.PENDING and lines(bareme)["rc"].potential == RC
    assert bareme.total == SANS_FAMILLE


def test_the_bulk_mapping_gives_the_same_facts_as_the_saisie_warnings_mapping(dossier_rc: Demande) -> None:
    """One meaning for the ORM, whether read in bulk (barèmes) or per demande (the vœux page warnings)."""
    (participant,) = load_participants(dossier_rc.campagne, [dossier_rc.pk])
    motifs = motifs_of(dossier_rc)
    expected = situation_for(dossier_for_bareme(dossier_rc.agent), motifs, campagne=dossier_rc.campagne)  # type: ignore[arg-type]
    motif = MotifDeclare.objects.get(demande=dossier_rc)
    assert participant.situation is not None
    assert participant.situation.famille == expected.famille
    assert participant.situation.claims.rc == core.Claim(
        status=core.ClaimStatus.VALIDATED, motif_refus=motif.motif_refus
    )
    assert [f for _, f in participant.voeux] == [voeu_facts(v) for v in voeux_of(dossier_rc)]
    for name in ("corps", "classe", "echelon", "anciennete_poste", "poste", "education_prioritaire", "stagiaire"):
        assert getattr(participant.situation, name) == getattr(expected, name), name
