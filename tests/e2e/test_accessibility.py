"""axe-core on every page of the teacher journey: no « serious » or « critical » violation.

axe-core comes with axe-playwright-python (its axe.min.js, offline). One world (teacher A's dossier,
CV, courrier, guides, SIAM demande with voeux and pièces, a published result) is built once for the
module and committed, since the live server's thread reads the database through its own connection;
the module flushes it at the end, as a transactional test would.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Page

from tests.security.conftest import ANON, WORLD_SETTINGS, A, World, build_world

BLOCKING = {"serious", "critical"}

# The teacher journey, in menu order: (id, URL name, world object whose keys fill the URL, role).
JOURNEY: list[tuple[str, str, str | None, str]] = [
    ("connexion", "account_login", None, ANON),
    ("accueil", "home", None, A),
    ("courrier", "courrier:inbox", None, A),
    ("courrier-message", "courrier:message", "message", A),
    ("dossier", "dossier:dossier", None, A),
    ("perspectives", "dossier:perspectives", None, A),
    ("cv", "dossier:cv", None, A),
    ("cv-ajouter", "dossier:cv-add", None, A),
    ("services", "services", None, A),
    ("guides", "guides:list", None, A),
    ("guide", "guides:guide", "guide", A),
    ("siam-accueil", "siam:home", None, A),
    ("siam-postes", "siam:postes", "campagne", A),
    ("siam-demande", "siam:demande", "demande", A),
    ("siam-voeux", "siam:voeux", "demande", A),
    ("siam-pieces", "siam:pieces", "demande", A),
    ("siam-bareme-provisoire", "siam:bareme", "demande", A),
    ("siam-bareme-contestation", "siam:bareme", "demande_affichage", A),
    ("siam-bareme", "siam:bareme", "demande_resultats", A),
    ("siam-resultat", "siam:resultat", "campagne_resultats", A),
    # the footer's State-site pages, the login library's pages
    ("accessibilite", "accessibilite", None, ANON),
    ("mentions-legales", "mentions-legales", None, ANON),
    ("donnees-personnelles", "donnees-personnelles", None, ANON),
    ("cookies", "cookies", None, ANON),
    ("plan-du-site", "plan-du-site", None, ANON),
    ("plan-du-site-connecte", "plan-du-site", None, A),
    ("mot-de-passe-oublie", "account_reset_password", None, ANON),
    ("changer-mot-de-passe", "account_change_password", None, A),
    ("double-authentification", "mfa_index", None, A),
]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # The portal's CSP allows no inline script; axe-playwright-python injects axe.min.js into the page,
    # so this module's browser ignores the CSP (test_headers.py checks the policy itself).
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(scope="module")
def journey_world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, **WORLD_SETTINGS):
        try:
            yield build_world()
        finally:
            call_command("flush", verbosity=0, interactive=False)  # as TransactionTestCase does


@pytest.fixture
def transactional_db(journey_world: World, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django asks for this with live_server; here the module's committed world takes its place."""
    with django_db_blocker.unblock():
        yield


def url_of(world: World, name: str, obj: str | None) -> str:
    if obj is None:
        return reverse(name)
    instance = world.obj(obj)
    key = {"slug": instance.slug} if hasattr(instance, "slug") else {"pk": instance.pk}
    return reverse(name, kwargs=key)


@pytest.mark.parametrize(("page_id", "name", "obj", "role"), JOURNEY, ids=[j[0] for j in JOURNEY])
def test_page_has_no_serious_or_critical_accessibility_violation(
    page: Page, live_server: Any, journey_world: World, page_id: str, name: str, obj: str | None, role: str
) -> None:
    try:
        path = url_of(journey_world, name, obj)
    except NoReverseMatch:
        pytest.skip(f"the URL name '{name}' does not exist yet (page « {page_id} » not built): nothing to check")
    if role != ANON:
        session = journey_world.sessions[role]
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == 200, f"{path}: {response.status if response else None}"
    results = Axe().run(page)
    assert results.response["passes"], f"{path}: axe-core checked nothing"
    for v in results.response["violations"]:  # shown with -s; only serious and critical fail the test
        print(f"{page_id}: {v['id']} ({v['impact']}) {[node['target'] for node in v['nodes']][:3]}")
    violations = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:5]}" for v in violations
    ]
    assert not violations, f"{path}: " + "; ".join(details)
