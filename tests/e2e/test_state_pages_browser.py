"""The footer's State-site pages, the login page and the error pages in a real browser: screenshots, axe."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

BLOCKING = {"serious", "critical"}
FOOTER = [
    ("accessibilite", "Accessibilité : partiellement conforme", "Déclaration d’accessibilité"),
    ("mentions-legales", "Mentions légales", "Mentions légales"),
    ("donnees-personnelles", "Données personnelles", "Données personnelles"),
    ("cookies", "Gestion des cookies", "Gestion des cookies"),
    ("plan-du-site", "Plan du site", "Plan du site"),
]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "bypass_csp": True}  # axe is injected into the page


def _no_blocking_violation(page: Page) -> None:
    results = Axe().run(page)
    assert results.response["passes"], "axe-core checked nothing"
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    assert not blocking, [f"{v['id']}: {v['help']}" for v in blocking]


def _label(text: str) -> str:
    return text.replace(" : ", "\u00a0: ")


@pytest.mark.django_db(transaction=True)
def test_each_footer_link_opens_its_page_from_the_login_page(page: Page, live_server: Any, shoot: Any) -> None:
    page.goto(f"{live_server.url}/compte/login/")
    shoot("connexion")
    for slug, link, heading in FOOTER:
        page.goto(f"{live_server.url}/compte/login/")
        page.locator("footer").get_by_role("link", name=_label(link), exact=True).click()
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        shoot(f"pied-de-page-{slug}")
        _no_blocking_violation(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/nexiste-pas/", 404, "Page introuvable"),
        ("/compte/deconnexion/", 405, "Action impossible depuis cette adresse"),
    ],
)
def test_error_pages_are_portal_pages_with_the_way_back(
    page: Page, live_server: Any, shoot: Any, path: str, status: int, heading: str
) -> None:
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == status
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    expect(page.get_by_role("link", name="Revenir à l’accueil")).to_be_visible()
    shoot(f"erreur-{status}")
    _no_blocking_violation(page)
