"""The State-site pages of the footer: public, real content, académie values from settings."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

PAGES = ["accessibilite", "mentions-legales", "donnees-personnelles", "cookies", "plan-du-site"]


@pytest.mark.parametrize("name", PAGES)
def test_each_footer_page_opens_without_login_and_is_linked_from_the_footer(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert f'href="{reverse(name)}"' in client.get(reverse("account_login")).content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_each_footer_page_refuses_post(client: Client, name: str) -> None:
    assert client.post(reverse(name)).status_code == 405


def test_accessibility_statement_says_partially_conformant_and_lists_the_known_gaps(client: Client) -> None:
    body = client.get(reverse("accessibilite")).content.decode()
    assert "partiellement conforme" in body
    assert "RGAA" in body and "axe-core" in body
    assert "PDF" in body and "Défenseur des droits" in body


def test_mentions_legales_name_the_editor_host_and_director_from_settings(client: Client, settings: Any) -> None:
    settings.IPROF_EDITEUR = "Rectorat de l'académie de Besançon"
    settings.IPROF_HEBERGEUR = "Hébergeur de test SAS"
    settings.IPROF_DIRECTEUR_PUBLICATION = "le recteur de Besançon"
    body = client.get(reverse("mentions-legales")).content.decode()
    assert "Rectorat de l&#x27;académie de Besançon" in body
    assert "Hébergeur de test SAS" in body and "le recteur de Besançon" in body


def test_personal_data_page_gives_legal_basis_retention_rights_and_the_dpo(client: Client, settings: Any) -> None:
    settings.IPROF_DPO_EMAIL = "dpd@ac-besancon.fr"
    body = client.get(reverse("donnees-personnelles")).content.decode()
    assert "mission d’intérêt public" in body and "obligations légales" in body
    assert "Durée de conservation" in body and "droit d’accès, de rectification" in body
    assert "dpd@ac-besancon.fr" in body and "CNIL" in body


def test_cookie_page_lists_exactly_the_cookies_the_portal_sets(client: Client, teacher_a: Any) -> None:
    from lib import session_cookies
    from tests.factories import PASSWORD

    body = client.get(reverse("cookies")).content.decode()
    assert "strictement nécessaires" in body
    # log in and leave a flash message: every cookie the portal then holds must be on the page
    client.post(reverse("account_login"), {"login": teacher_a.identifiant, "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    set_by_portal = set(client.cookies)
    assert {django_settings.SESSION_COOKIE_NAME, django_settings.CSRF_COOKIE_NAME} <= set_by_portal
    for name in set_by_portal | {"messages"} | set(session_cookies.names()):  # those a page of SIAM sets too
        assert f"<code>{name}</code>" in body, f"cookie {name} is set but not declared"


def test_site_map_links_every_menu_entry_and_the_siam_home(client: Client) -> None:
    from iprof.menu import MENU

    body = client.get(reverse("plan-du-site")).content.decode()
    for entry in MENU:
        assert f'href="{entry.url}"' in body, entry.url_name
    assert f'href="{reverse("siam:home")}"' in body
