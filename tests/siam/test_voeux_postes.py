"""« Ajouter à mes vœux » from the postes list: the same add service, its refusals in French, back to the list."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import Agent
from dossier.models import Etablissement
from siam.models import Campagne, Demande, Poste, Voeu
from tests.siam.conftest import APRES, client_for, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def postes(intra: Campagne, ref: dict[str, Any]) -> dict[str, Poste]:
    return {
        "college": Poste.objects.create(
            campagne=intra, discipline=ref["discipline"], etablissement=ref["college"], nombre=1
        ),
        "zr": Poste.objects.create(
            campagne=intra, discipline=ref["discipline"], zone_remplacement=ref["zr"], susceptible_vacant=True
        ),
        # teacher_a's own lycée: pointless to ask for
        "sien": Poste.objects.create(
            campagne=intra, discipline=ref["discipline"], etablissement=ref["etablissement"], nombre=2
        ),
    }


def post(client: Client, poste: Poste, demande: Demande, **extra: Any) -> Any:
    demande.refresh_from_db(fields=["version"])
    return client.post(f"/siam/postes/{poste.pk}/ajouter/", {"version": demande.version, **extra})


def test_each_post_has_its_button_and_adding_goes_back_to_the_same_list(
    postes: dict[str, Poste], demande_a: Demande, teacher_a: Agent
) -> None:
    client = client_for(teacher_a)
    page = text(client.get("/siam/intra-2027/postes/"))
    assert page.count('data-testid="poste-ajouter"') == 3
    assert f'action="/siam/postes/{postes["college"].pk}/ajouter/"' in page
    response = post(client, postes["college"], demande_a, retour="discipline=&page=1")
    assert response.status_code == 302 and response["Location"] == "/siam/intra-2027/postes/?discipline=&page=1"
    assert list(Voeu.objects.filter(demande=demande_a).values_list("type", "etablissement__uai")) == [
        ("ETB", "0631018P")
    ]
    page = text(client.get(response["Location"]))
    assert "Vœu n° 1 ajouté : Collège Albert-Camus — Clermont-Ferrand (0631018P)." in page
    post(client, postes["zr"], demande_a)
    assert list(Voeu.objects.filter(demande=demande_a).order_by("rang").values_list("rang", "type")) == [
        (1, "ETB"),
        (2, "ZRE"),
    ]


def test_refusals_are_said_in_french_on_the_list_and_write_nothing(
    postes: dict[str, Poste], demande_a: Demande, teacher_a: Agent
) -> None:
    client = client_for(teacher_a)
    response = post(client, postes["sien"], demande_a)
    assert response.status_code == 302 and response["Location"] == "/siam/intra-2027/postes/"
    assert "est votre établissement actuel" in text(client.get(response["Location"]))
    post(client, postes["college"], demande_a)
    client.get("/siam/intra-2027/postes/")  # the success message, read
    post(client, postes["college"], demande_a)
    assert "Ce vœu figure déjà dans votre liste (vœu n° 1)." in text(client.get("/siam/intra-2027/postes/"))
    assert Voeu.objects.filter(demande=demande_a).count() == 1


def test_a_stale_list_is_a_conflict(postes: dict[str, Poste], demande_a: Demande, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    response = client.post(f"/siam/postes/{postes['college'].pk}/ajouter/", {"version": 7})
    assert "Votre liste a été modifiée dans un autre onglet" in text(client.get(response["Location"]))
    assert not Voeu.objects.filter(demande=demande_a).exists()


def test_without_a_demande_no_button_and_a_french_message(postes: dict[str, Poste], teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    assert 'data-testid="poste-ajouter"' not in text(client.get("/siam/intra-2027/postes/"))
    response = client.post(f"/siam/postes/{postes['college'].pk}/ajouter/", {"version": 0})
    assert "Commencez d'abord votre demande" in text(client.get(response["Location"]))
    assert not Demande.objects.filter(agent=teacher_a).exists()  # a POST here never creates a demande


def test_after_the_saisie_no_button_and_the_post_is_refused(
    postes: dict[str, Poste], demande_a: Demande, teacher_a: Agent, at: Any
) -> None:
    at(APRES)
    client = client_for(teacher_a)
    assert 'data-testid="poste-ajouter"' not in text(client.get("/siam/intra-2027/postes/"))
    response = post(client, postes["college"], demande_a)
    assert "La saisie des vœux est fermée" in text(client.get(response["Location"]))
    assert not Voeu.objects.filter(demande=demande_a).exists()


def test_it_only_ever_adds_to_the_visitors_own_demande(
    postes: dict[str, Poste], demande_a: Demande, demande_b: Demande, teacher_b: Agent
) -> None:
    post(client_for(teacher_b), postes["college"], demande_b)
    assert not Voeu.objects.filter(demande=demande_a).exists()
    assert Voeu.objects.filter(demande=demande_b).count() == 1


def test_post_only_login_required_and_unknown_post_is_404(
    postes: dict[str, Poste], demande_a: Demande, teacher_a: Agent, intra: Campagne
) -> None:
    url = f"/siam/postes/{postes['college'].pk}/ajouter/"
    assert client_for(teacher_a).get(url).status_code == 405
    anonymous = Client().post(url, {"version": 0})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/compte/login/")
    assert client_for(teacher_a).post("/siam/postes/999999/ajouter/", {"version": 0}).status_code == 404
    Campagne.objects.filter(pk=intra.pk).update(publiee=False)
    assert client_for(teacher_a).post(url, {"version": 0}).status_code == 404
    assert not Voeu.objects.exists()


def test_the_return_address_is_always_the_list_never_elsewhere(
    postes: dict[str, Poste], demande_a: Demande, teacher_a: Agent
) -> None:
    response = post(client_for(teacher_a), postes["college"], demande_a, retour="//evil.example/?x=1")
    assert response["Location"].startswith("/siam/intra-2027/postes/?")


def test_postes_page_with_buttons_holds_its_query_count(
    intra: Campagne, demande_a: Demande, teacher_a: Agent, ref: Any, django_assert_max_num_queries: Any
) -> None:
    etabs = Etablissement.objects.bulk_create(
        Etablissement(uai=f"06399{i:02d}A", nom=f"Collège {i}", type="CLG", commune=ref["clermont"]) for i in range(30)
    )
    Poste.objects.bulk_create(
        Poste(campagne=intra, discipline=ref["discipline"], etablissement=e, nombre=1) for e in etabs
    )
    client = client_for(teacher_a)
    client.get("/siam/intra-2027/postes/")
    # the postes page's 11 (tests/siam/test_home_postes.py) and the teacher's demande: 12, whatever the posts
    with django_assert_max_num_queries(13):
        response = client.get("/siam/intra-2027/postes/")
    assert text(response).count('data-testid="poste-ajouter"') == 25
