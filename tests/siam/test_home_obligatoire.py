"""SIAM's home tells each obligatory participant, from the first day of the saisie, what happens without voeux."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Agent
from dossier.models import Dossier, Position
from siam.models import Campagne, Demande
from tests.siam.conftest import AVANT, client_for, text

pytestmark = pytest.mark.django_db


def obligatoire_block(page: str) -> str:
    start = page.find('data-testid="obligatoire"')
    return page[start : page.find("</div>", start)] if start >= 0 else ""


def test_a_stagiaire_is_told_before_starting_that_the_inter_is_obligatory(inter: Campagne, teacher_a: Agent) -> None:
    Dossier.objects.filter(agent=teacher_a).update(position=Position.STAGIAIRE)
    block = obligatoire_block(text(client_for(teacher_a).get("/siam/")))
    assert "Votre participation à ce mouvement est obligatoire" in block
    assert "stagiaire devant obtenir une première affectation" in block
    assert "Commencez votre demande avant le 2 avril 2027 à 12 h" in block
    assert "procédure d'extension : à partir de votre vœu 1" in block
    assert "jamais en Corse ni dans un DOM" in block
    assert "Si votre demande ne comporte aucun vœu" in block
    assert "à partir de votre académie actuelle (Clermont-Ferrand)" in block
    assert not Demande.objects.exists()


def test_an_intra_entrant_is_told_the_extension_may_place_him_anywhere_in_the_academie(
    intra: Campagne, teacher_a: Agent, ref: Any
) -> None:
    Dossier.objects.filter(agent=teacher_a).update(etablissement=ref["lycee_lyon"])  # he comes from Lyon
    Demande.objects.create(agent=teacher_a, campagne=intra, entrant_inter=True)
    block = obligatoire_block(text(client_for(teacher_a).get("/siam/")))
    assert "entré(e) dans l'académie par le mouvement inter-académique" in block
    assert "selon la table d'extension de l'académie" in block and "Corse" not in block
    assert "dans n'importe quelle zone de l'académie" in block
    assert "Commencez votre demande" not in block  # he has one


def test_a_provisional_titulaire_at_the_intra_starts_from_his_departement(intra: Campagne, teacher_a: Agent) -> None:
    Dossier.objects.filter(agent=teacher_a).update(affectation_provisoire=True)
    block = obligatoire_block(text(client_for(teacher_a).get("/siam/")))
    assert "affecté(e) à titre provisoire" in block
    assert "à partir de votre département actuel (Puy-de-Dôme)" in block


def test_a_volunteer_gets_no_obligatory_notice(inter: Campagne, teacher_a: Agent) -> None:
    assert obligatoire_block(text(client_for(teacher_a).get("/siam/"))) == ""


def test_the_notice_starts_on_the_first_day_of_the_saisie(inter: Campagne, teacher_a: Agent, at: Any) -> None:
    Dossier.objects.filter(agent=teacher_a).update(position=Position.STAGIAIRE)
    at(AVANT)
    assert obligatoire_block(text(client_for(teacher_a).get("/siam/"))) == ""
    at(inter.saisie_debut)
    assert "obligatoire" in obligatoire_block(text(client_for(teacher_a).get("/siam/")))
