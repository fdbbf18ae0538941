"""Issue 17, point 1: the second factor follows the rights, not ``is_staff``.

Every URL whose view serves a staff role more than a teacher (read from the access matrix's own table and
admin rule, over Django's URL resolver) is requested by accounts that hold staff rights without having
enrolled TOTP: a teacher put in a staff group (``is_staff`` false), a teacher given one permission, and a
superuser. Each request must be sent to the enrolment page, never served.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from accounts.middleware import EXEMPT_PREFIXES
from accounts.models import Agent
from lib.roles import DRH, RECTORAT
from tests.factories import make_teacher
from tests.security.conftest import ALLOWED, DRH_ROLE, FORBIDDEN, LOGIN, NOT_FOUND, OK, RECT, REDIRECT, B, World
from tests.security.test_access_matrix import ROUTES, admin_outcome, admin_values, expectations_of, values_for

ENROL = "/compte/2fa/totp/activate/"
SERVED = (OK, ALLOWED, REDIRECT)


def staff_urls(w: World, role: str) -> list[str]:
    """URLs a staff ``role`` is served while teacher B is refused (admin: the pages its permissions open)."""
    urls = []
    for name, route in ROUTES.items():
        if route.is_admin:
            if admin_outcome(route, role, "GET") in (OK, ALLOWED):
                urls.append(route.url(admin_values(w, route)))
            continue
        for expect in expectations_of(name):
            if expect.roles[role][0] in SERVED and expect.roles[B][0] in (FORBIDDEN, NOT_FOUND, LOGIN):
                urls.append(route.url(values_for(w, route, expect)))
    # the account's own pages (enrolment among them) stay reachable: they show nothing of anybody else
    return sorted(url for url in set(urls) if not url.startswith(EXEMPT_PREFIXES))


def _client(agent: Agent) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(agent)
    return client


def _served(client: Client, urls: list[str]) -> list[str]:
    served = []
    for url in urls:
        response = client.get(url)
        if response.status_code != 302 or response["Location"] != ENROL:
            served.append(f"{url} → {response.status_code} {response.get('Location', '')}")
    return served


def test_the_walk_finds_the_staff_pages_of_both_roles(w: World) -> None:
    """A guard on the walk itself: it must name the pages the issue reproduces."""
    rectorat, drh = staff_urls(w, RECT), staff_urls(w, DRH_ROLE)
    assert "/courrier/gestion/" in rectorat
    assert any(url.startswith("/siam/pieces/") and url.endswith("/fichier/") for url in rectorat)
    assert any(url.startswith("/admin/") for url in rectorat)
    assert drh


@pytest.mark.parametrize(("role", "group"), [(RECT, RECTORAT), (DRH_ROLE, DRH)])
def test_a_teacher_put_in_a_staff_group_reaches_no_staff_page_without_a_second_factor(
    w: World, role: str, group: str
) -> None:
    agent = make_teacher("Rita", "Groupe")
    agent.groups.set(Group.objects.filter(name=group))
    assert not agent.is_staff
    urls = staff_urls(w, role)
    assert _served(_client(agent), urls) == []


def test_a_teacher_given_one_permission_reaches_no_page_without_a_second_factor(w: World) -> None:
    agent = make_teacher("Paul", "Permission")
    agent.user_permissions.set(Permission.objects.filter(codename="answer_conversation"))
    assert _served(_client(agent), ["/courrier/gestion/", "/"]) == []


def test_a_superuser_without_second_factor_reaches_no_staff_page(w: World) -> None:
    agent = Agent.objects.create_superuser("superviseur", "une phrase de passe assez longue", email="s@ac-clermont.fr")
    agent.is_staff = False  # even without the admin flag: the rights are what count
    agent.save()
    urls = sorted(set(staff_urls(w, RECT)) | set(staff_urls(w, DRH_ROLE)))
    assert _served(_client(agent), urls) == []


def test_a_plain_teacher_is_not_asked_for_a_second_factor(w: World) -> None:
    client = _client(make_teacher("Tom", "Simple"))
    assert client.get("/").status_code == 200


def test_rights_given_from_the_groups_side_are_seen_too(w: World) -> None:
    agent = make_teacher("Gina", "Cote")
    group = Group.objects.get(name=RECTORAT)
    group.user_set.add(agent)  # type: ignore[attr-defined]
    assert _served(_client(agent), ["/courrier/gestion/"]) == []
    group.user_set.remove(agent)  # type: ignore[attr-defined]
    assert _client(agent).get("/").status_code == 200
