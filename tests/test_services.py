"""Les services: the registry other apps fill (SIAM), and the page that lists it honestly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from django.test import Client

from accounts.models import Agent
from lib.procedures import EtatService, ServiceEntry, register_service, services_for, unregister_service


def siam(agent: Agent, now: datetime) -> list[ServiceEntry]:
    return [
        ServiceEntry(
            titre="SIAM — Mouvement inter-académique 2027",
            url="/siam/",
            etat=EtatService.FERME,
            phrase="saisie des voeux fermée depuis le 26 novembre à 12 h",
        ),
        ServiceEntry(
            titre="SIAM — Mouvement intra-académique 2027",
            url="/siam/intra/",
            etat=EtatService.OUVERT,
            phrase="saisie des voeux ouverte jusqu'au 2 avril à 12 h",
        ),
    ]


def broken(agent: Agent, now: datetime) -> Iterator[ServiceEntry]:
    raise RuntimeError("a provider's bug")


@pytest.fixture
def registered() -> Iterator[None]:
    register_service(siam)
    register_service(siam)  # twice: listed once
    yield
    unregister_service(siam)


def test_without_any_service_the_page_says_so_and_points_to_what_exists(client_a: Client) -> None:
    response = client_a.get("/services/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Aucun service n'est ouvert pour le moment." in body
    assert 'href="/courrier/"' in body and 'href="/guides/"' in body
    assert 'aria-current="page"' in body and "Les services" in body


def test_registered_services_are_listed_open_first_with_their_state(client_a: Client, registered: None) -> None:
    body = client_a.get("/services/").content.decode()
    assert "Aucun service n'est ouvert" not in body
    assert body.index("intra-académique 2027") < body.index("inter-académique 2027")
    assert "saisie des voeux ouverte jusqu&#x27;au 2 avril à 12 h" in body
    assert body.count("SIAM — Mouvement inter-académique 2027") == 1
    assert "Ouvert" in body and "Fermé" in body


def test_a_failing_provider_hides_only_its_own_entries(teacher_a: Agent, registered: None) -> None:
    register_service(broken)
    try:
        assert [e.titre for e in services_for(teacher_a)] == [
            "SIAM — Mouvement intra-académique 2027",
            "SIAM — Mouvement inter-académique 2027",
        ]
    finally:
        unregister_service(broken)


def test_the_services_page_needs_a_login_and_a_get(client: Client, client_a: Client) -> None:
    response = client.get("/services/")
    assert response.status_code == 302 and response["Location"].startswith("/compte/login/")
    assert client_a.post("/services/").status_code == 405


def test_the_menu_links_to_the_services(client_a: Client) -> None:
    assert 'href="/services/"' in client_a.get("/").content.decode()
