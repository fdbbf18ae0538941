"""CSRF battery, and no state change on GET.

1. Every URL whose view accepts POST (from the resolver and the access matrix's table), posted by its
   owner with `Client(enforce_csrf_checks=True)`: without a token, and with the token of another
   session → 403 and not one row of the database changed (a fingerprint hashes every row of every
   application table). The same POST with the owner's own token is then accepted: the 403 was CSRF's.
2. No view of the resolver is exempted from the CSRF check.
3. Every page GET by teacher A (and by a newcomer whose first visits may create things, and by staff on
   their pages) leaves the database as it was, unless listed in GET_WRITES with the reason.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.security.conftest import (
    ALLOWED,
    ANON,
    BAD_REQUEST,
    CONFLICT,
    DRH_ROLE,
    FORBIDDEN,
    NEWCOMER,
    OK,
    RECT,
    REDIRECT,
    STAFF,
    A,
    World,
    changed_tables,
    fingerprint,
)
from tests.security.test_access_matrix import (
    ADMIN_CUSTOM,
    ROUTES,
    admin_outcome,
    admin_values,
    expectations_of,
    values_for,
)

ACCEPTED = {OK, REDIRECT, ALLOWED, BAD_REQUEST, CONFLICT}
OWNERS = (A, RECT, DRH_ROLE, STAFF, ANON)

# GETs allowed to write, and the only tables they may touch. Each is a product decision.
GET_WRITES: dict[str, set[str]] = {
    # opening a courrier marks it read (the inbox shows « non lu »); « marquer comme non lu » is a POST
    "courrier:message": {"courrier_message"},
    # opening an exchange marks the correspondant's answers read
    "courrier:conversation": {"courrier_message"},
    # the correspondant de gestion opening an exchange marks the teacher's messages read
    "courrier:gestion-conversation": {"courrier_message"},
    # allauth copies Agent.email into its own EmailAddress table the first time it looks the user up
    # (idempotent: the same address, nothing a visitor chooses); the reset-key page does it for the agent
    # whose id is in the link, before finding the key invalid
    "account_reset_password_from_key": {"account_emailaddress"},
}


def expected_for(name: str, role: str, method: str) -> str | None:
    route = ROUTES[name]
    if route.is_admin:
        return admin_outcome(route, role, method)
    expects = expectations_of(name)
    return expects[0].roles[role][0 if method == "GET" else 1] if expects else None


def url_for(w: World, name: str) -> str:
    route = ROUTES[name]
    if route.is_admin:
        return route.url(admin_values(w, route))
    return route.url(values_for(w, route, expectations_of(name)[0]))


# The admin's model pages all go through the same csrf_protect (and the middleware): the battery posts
# to the project's own admin views and to the most sensitive model pages; test_no_view_is_exempted…
# checks every URL of the resolver.
ADMIN_SAMPLE = {"admin:accounts_agent_change", "admin:accounts_agent_add", "admin:dossier_dossier_change",
                "admin:siam_campagne_delete", "admin:siam_motifdeclare_change", "admin:courrier_correspondantgestion_add"}  # fmt: skip


def _admin_in_battery(name: str) -> bool:
    return name in ADMIN_CUSTOM or name in ADMIN_SAMPLE


def _post_cases() -> list[Any]:
    cases = []
    for name, route in ROUTES.items():
        if route.is_admin and not _admin_in_battery(name):
            continue
        if not route.is_admin and not expectations_of(name):
            continue  # reported by test_access_matrix.py
        owner = next((r for r in OWNERS if expected_for(name, r, "POST") in ACCEPTED), None)
        if owner is not None:
            cases.append(pytest.param(name, owner, id=f"{name}-{owner}"))
    return cases


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def browser(w: World, role: str) -> tuple[Client, str]:
    """A CSRF-enforcing client of ``role`` that has visited a page: its CSRF cookie and a token of its own."""
    client = w.client(role, enforce_csrf_checks=True)
    page = client.get("/compte/login/" if role == ANON else "/")
    found = TOKEN.search(page.content.decode())
    assert found and settings.CSRF_COOKIE_NAME in client.cookies, "the page gave no CSRF token"
    return client, found.group(1)


@pytest.mark.parametrize(("name", "role"), _post_cases())
def test_post_without_token_or_with_another_sessions_token_is_refused_and_writes_nothing(
    w: World, name: str, role: str
) -> None:
    url = url_for(w, name)
    client, own_token = browser(w, role)
    _other, foreign_token = browser(w, ANON)
    before = fingerprint()
    refused = {
        "no token": client.post(url, {"sujet": "x", "corps": "x"}),
        "another session's token": client.post(url, {"csrfmiddlewaretoken": foreign_token}),
        "another session's token in the header": client.post(url, {}, HTTP_X_CSRFTOKEN=foreign_token),
    }
    after = fingerprint()
    for how, response in refused.items():
        assert response.status_code == 403, f"POST {url} as {role} with {how}: {response.status_code}, not 403"
        assert "Formulaire expiré" in response.content.decode(), f"POST {url} ({how}): a 403, but not CSRF's"
    assert not changed_tables(before, after), f"POST {url} refused by CSRF but wrote: {changed_tables(before, after)}"
    # the control: the same POST with the owner's token passes the CSRF check
    accepted = client.post(url, {"csrfmiddlewaretoken": own_token})
    assert accepted.status_code != 403 or expected_for(name, role, "POST") == FORBIDDEN, (
        f"POST {url} as {role} with its own token is refused too: the battery proves nothing for this URL"
    )


def test_no_view_is_exempted_from_the_csrf_check() -> None:
    exempt = [name for name, route in ROUTES.items() if getattr(route.pattern.callback, "csrf_exempt", False)]
    assert not exempt, f"csrf_exempt views: {exempt}"


# --- GET never changes state ------------------------------------------------------------------------------

# Objects that are not teacher A's: a newcomer may open the same URL.
SHARED_OBJECTS = {None, "campagne", "campagne_resultats", "guide", "guide_file"}


def _get_cases() -> list[Any]:
    cases = []
    for name, route in ROUTES.items():
        if route.is_admin and name not in ADMIN_CUSTOM:
            continue  # Django's own admin pages
        expects = [] if route.is_admin else expectations_of(name)
        if not route.is_admin and not expects:
            continue
        roles = []
        if expected_for(name, A, "GET") in ACCEPTED:
            roles.append(A)
            if expects and expects[0].obj in SHARED_OBJECTS:
                roles.append(NEWCOMER)
        else:
            roles += [r for r in (RECT, DRH_ROLE) if expected_for(name, r, "GET") in ACCEPTED][:1]
        if expected_for(name, ANON, "GET") in ACCEPTED:
            roles.append(ANON)
        cases += [pytest.param(name, role, id=f"{name}-{role}") for role in roles]
    return cases


@pytest.mark.parametrize(("name", "role"), _get_cases())
def test_get_changes_nothing(w: World, name: str, role: str) -> None:
    url = url_for(w, name)
    client = w.client(role)
    before = fingerprint()
    response = client.get(url)
    changed = changed_tables(before, fingerprint())
    assert response.status_code != 500, f"GET {url} as {role}: server error"
    allowed = GET_WRITES.get(name, set())
    assert set(changed) <= allowed, (
        f"GET {url} as {role} changed the database: {changed}. A view that changes state must refuse GET "
        "(405, @require_POST) and be reached through a form; or, if the product wants it, add "
        f"'{name}' to GET_WRITES in tests/security/test_csrf.py with the reason."
    )
