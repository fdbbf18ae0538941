from __future__ import annotations

from django.test import Client


def test_home_greets_with_the_academie_and_shows_the_banner(client_a: Client, settings) -> None:
    body = client_a.get("/").content.decode()
    assert "Bienvenue dans I-Prof" in body
    assert "CLERMONT-FERRAND" in body
    assert "DUPONT Frédéric" in body
    assert "Professeur certifié de classe normale" in body
    assert "Mathématiques" in body
    assert "Se déconnecter" in body


def test_menu_lists_the_six_entries_in_the_memento_order(client_a: Client) -> None:
    body = client_a.get("/").content.decode()
    labels = ["Votre courrier", "Votre dossier", "Vos perspectives", "Votre CV", "Les services", "Les guides"]
    positions = [body.index(label) for label in labels]
    assert positions == sorted(positions)


def test_academie_name_comes_from_settings(client_a: Client, settings) -> None:
    settings.IPROF_ACADEMIE = "BESANÇON"
    assert "BESANÇON" in client_a.get("/").content.decode()


def test_home_refuses_post(client_a: Client) -> None:
    assert client_a.post("/").status_code == 405
