"""SIAM home, Les services, and the postes vacants et susceptibles d'être vacants."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import Agent
from dossier.models import Discipline, Etablissement
from siam.models import Campagne, Demande, Poste, Voeu
from siam.portal import phrase
from tests.siam.conftest import APRES, AVANT, PENDANT, client_for, text

pytestmark = pytest.mark.django_db


def test_home_welcomes_and_lists_the_open_campagnes_with_phase_end_and_own_demande(
    intra: Campagne, inter: Campagne, demande_a: Demande, teacher_a: Agent, ref: Any
) -> None:
    Voeu.objects.create(demande=demande_a, rang=1, type="COM", commune=ref["clermont"])
    page = text(client_for(teacher_a).get("/siam/"))
    assert "Bienvenue sur SIAM 2nd degré" in page
    for slug in ("note-de-service", "informations-generales", "guide-regles-mouvement", "information-academique"):
        assert f'href="/guides/{slug}/"' in page
    assert "saisie des vœux ouverte" in page and "2 avril 2027 à 12 h" in page
    intra_card = page.split('data-testid="campagne-intra-2027"')[1].split('data-testid="campagne-')[0]
    assert "en cours de saisie" in intra_card and "1 vœu" in intra_card
    inter_card = page.split('data-testid="campagne-inter-2027"')[1]
    assert "pas encore de demande" in inter_card


def test_services_phrase_follows_the_calendar(intra: Campagne, at: Any) -> None:
    assert phrase(intra, PENDANT).replace("\xa0", " ") == "saisie des vœux ouverte jusqu'au 2 avril à 12 h"
    assert phrase(intra, AVANT).replace("\xa0", " ") == "saisie des vœux à partir du 10 mars à 12 h"
    assert phrase(intra, APRES).replace("\xa0", " ") == "saisie close jusqu'au 3 avril à 8 h"


def test_les_services_lists_siam_with_its_sentence(intra: Campagne, teacher_a: Agent) -> None:
    page = text(client_for(teacher_a).get("/services/"))
    assert "SIAM — Mouvement intra-académique 2027" in page
    assert "saisie des vœux ouverte jusqu'au 2 avril à 12 h" in page
    assert 'href="/siam/"' in page


@pytest.fixture
def postes(intra: Campagne, ref: Any) -> list[Poste]:
    lettres = Discipline.objects.create(code="L0202", libelle="Lettres modernes")
    created = [
        Poste.objects.create(
            campagne=intra, discipline=ref["discipline"], etablissement=ref["etablissement"], nombre=2
        ),
        Poste.objects.create(
            campagne=intra, discipline=ref["discipline"], etablissement=ref["college"], susceptible_vacant=True
        ),
        Poste.objects.create(campagne=intra, discipline=ref["discipline"], zone_remplacement=ref["zr"], nombre=1),
        Poste.objects.create(
            campagne=intra,
            discipline=lettres,
            etablissement=ref["etablissement"],
            nombre=1,
            profile=True,
            profil="Section théâtre : expérience de la scène attendue.",
        ),
    ]
    return created


def test_postes_default_to_the_teachers_discipline(postes: list[Poste], teacher_a: Agent) -> None:
    page = text(client_for(teacher_a).get("/siam/intra-2027/postes/"))
    assert "3 postes trouvés" in page
    assert "Lycée Blaise-Pascal" in page and "Collège Albert-Camus" in page and "susceptible d'être vacant" in page
    assert "Section théâtre" not in page


def test_postes_filters_and_spea_profile(postes: list[Poste], teacher_a: Agent, ref: Any) -> None:
    client = client_for(teacher_a)
    page = text(client.get("/siam/intra-2027/postes/", {"discipline": ""}))
    assert "4 postes trouvés" in page and 'data-testid="profil"' in page and "Section théâtre" in page
    assert "1 poste trouvé" in text(client.get("/siam/intra-2027/postes/", {"discipline": "", "type": "CLG"}))
    assert "2 postes trouvés" in text(client.get("/siam/intra-2027/postes/", {"discipline": "", "q": "blaise"}))
    assert "1 poste trouvé" in text(client.get("/siam/intra-2027/postes/", {"q": "ZR063CLF"}))
    page = text(client.get("/siam/intra-2027/postes/", {"discipline": "", "commune": "clermont"}))
    assert "4 postes trouvés" not in page and "3 postes trouvés" in page
    dep = ref["departement"].pk
    assert "4 postes trouvés" in text(client.get("/siam/intra-2027/postes/", {"discipline": "", "departement": dep}))


def test_home_reads_the_dossier_once_and_shows_it_in_the_banner(
    intra: Campagne, inter: Campagne, demande_a: Demande, teacher_a: Agent, django_assert_num_queries: Any
) -> None:
    client = client_for(teacher_a)
    client.get("/siam/")
    # session with its agent, the dossier (départ rules and the banner) with, in the same query, the visible
    # campagnes with their jalons and the teacher's demande in each with its number of voeux, unread courrier: 3,
    # whatever the number of campagnes
    with django_assert_num_queries(3):
        page = text(client.get("/siam/"))
    assert "DUPONT Frédéric" in page and "Mathématiques" in page


def test_postes_page_is_paginated_with_a_pinned_query_count(
    intra: Campagne, teacher_a: Agent, ref: Any, django_assert_max_num_queries: Any
) -> None:
    etabs = Etablissement.objects.bulk_create(
        Etablissement(uai=f"06399{i:02d}A", nom=f"Collège {i}", type="CLG", commune=ref["clermont"]) for i in range(60)
    )
    Poste.objects.bulk_create(
        Poste(campagne=intra, discipline=ref["discipline"], etablissement=e, nombre=1) for e in etabs
    )
    client = client_for(teacher_a)
    client.get("/siam/intra-2027/postes/")
    # session, agent, campagne (with its jalons), default discipline, its validation, count, unread courrier,
    # banner, the two filter selects, the page of posts, the teacher's demande (« Ajouter à mes vœux »):
    # 12, whatever the number of posts
    with django_assert_max_num_queries(12):
        response = client.get("/siam/intra-2027/postes/", {"page": 2})
    page = text(response)
    assert "60 postes trouvés" in page and 'class="fr-pagination"' in page
    assert page.count("<tr>") == 1 + 25


def test_unknown_or_unpublished_campagne_is_404(intra: Campagne, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    assert client.get("/siam/nope/postes/").status_code == 404
    Campagne.objects.filter(pk=intra.pk).update(publiee=False)
    assert client.get("/siam/intra-2027/postes/").status_code == 404
    assert client.get("/siam/intra-2027/demande/").status_code == 404


@pytest.mark.parametrize("url", ["/siam/", "/siam/intra-2027/postes/", "/siam/intra-2027/demande/"])
def test_anonymous_is_sent_to_login(intra: Campagne, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/compte/login/")


@pytest.mark.parametrize("url", ["/siam/", "/siam/intra-2027/postes/", "/siam/intra-2027/demande/"])
def test_pages_only_answer_get(intra: Campagne, teacher_a: Agent, url: str) -> None:
    assert client_for(teacher_a).post(url).status_code == 405


def test_inter_postes_are_academies_without_local_filters(inter: Campagne, teacher_a: Agent, ref: Any) -> None:
    Poste.objects.create(campagne=inter, discipline=ref["discipline"], academie=ref["lyon_academie"], nombre=25)
    page = text(client_for(teacher_a).get("/siam/inter-2027/postes/"))
    assert "1 poste trouvé" in page and "Académie de Lyon" in page
    assert 'name="departement"' not in page and 'name="commune"' not in page
