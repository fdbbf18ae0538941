"""Issue 17, point 5: staff forms get the hostile battery too, and every form survives its maximum lengths.

The admin pages a staff role may open (the access matrix's admin rule over Django's URL resolver: add,
change and the custom import pages) are fetched as the rectorat and as the DRH; their POST forms are filled
with the hostile payloads of test_hostile_input.py. Then every form of the portal and of the admin is posted
with each text field at the length its page declares (``maxlength``, else 10,000 characters): the answer is
never a 5xx, whatever a derived text (« Réponse : » + sujet…) makes of it.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import transaction

from tests.security.conftest import ALLOWED, DRH_ROLE, OK, RECT, Form, World, parse_forms
from tests.security.test_access_matrix import ROUTES, admin_outcome, admin_values
from tests.security.test_hostile_input import FORM_PAGES, PAYLOADS, XSS, encode, forms_of, problem

STAFF_ACTIONS = ("_add", "_change", "_import")
HOSTILE = {k: PAYLOADS[k] for k in ("sql-or", "xss-script", "xss-img-onerror", "nul-byte", "long-10000")}


def _admin_pages() -> list[tuple[str, str]]:
    pages = []
    for name, route in ROUTES.items():
        if route.is_admin and name.endswith(STAFF_ACTIONS):
            pages += [(name, role) for role in (RECT, DRH_ROLE) if admin_outcome(route, role, "GET") in (OK, ALLOWED)]
    return pages


# Change pages of a model the security world holds no row of that this role may see: the admin answers « n'existe
# pas » (a redirect to /admin/), so there is no form to attack. Written out, and held to the world by a guard below:
# a row added to the world (or a right changed) fails the guard, and the page joins the battery.
WITHOUT_VISIBLE_OBJECT = {
    ("admin:siam_tableextension_change", RECT),
    ("admin:siam_tableextension_change", DRH_ROLE),
    ("admin:siam_capaciteaccueil_change", RECT),
    ("admin:siam_capaciteaccueil_change", DRH_ROLE),
    ("admin:siam_baremechange_change", RECT),
    ("admin:siam_baremechange_change", DRH_ROLE),
    ("admin:dossier_zoneremplacement_change", RECT),
    ("admin:dossier_groupementcommunes_change", RECT),
    ("admin:dossier_echelonduree_change", RECT),
    ("admin:dossier_dossierchange_change", RECT),
    ("admin:dossier_dossierchange_change", DRH_ROLE),
    ("admin:dossier_conditionpromotion_change", RECT),
    ("admin:courrier_message_change", DRH_ROLE),
}
ALL_ADMIN_PAGES = _admin_pages()
ADMIN_PAGES = [page for page in ALL_ADMIN_PAGES if page not in WITHOUT_VISIBLE_OBJECT]


class _MaxLengths(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("input", "textarea") and a.get("name") and a.get("maxlength", "").isdigit():
            self.found[a["name"]] = int(a["maxlength"])


def _render(w: World, name: str, role: str) -> tuple[str, str, list[Form]]:
    url = ROUTES[name].url(admin_values(w, ROUTES[name]))
    response = w.client(role).get(url)
    assert response.status_code == 200, f"GET {url} as {role}: {response.status_code}"
    page = response.content.decode()
    forms = [f for f in parse_forms("http://testserver" + url, page) if f.method == "post" and f.text_fields]
    return url, page, [f for f in forms if not urlsplit(f.action).path.startswith("/admin/logout")]


def _post(client: Any, form: Form, values: dict[str, str]) -> Any:
    data = encode(form.data(**values))
    return client.post(urlsplit(form.action).path, data, content_type="application/x-www-form-urlencoded")


def _at_max(form: Form, page: str) -> dict[str, str]:
    parser = _MaxLengths()
    parser.feed(page)
    return {name: "É" * parser.found.get(name, 10_000) for name in form.text_fields if name != "csrfmiddlewaretoken"}


def test_the_staff_battery_finds_the_admin_forms(w: World) -> None:
    names = {name for name, _role in ADMIN_PAGES}
    assert {"admin:accounts_agent_change", "admin:accounts_agent_add"} <= names


def test_the_pages_left_out_are_exactly_those_without_a_visible_object(w: World) -> None:
    """The guard of WITHOUT_VISIBLE_OBJECT: each page left out answers « n'existe pas », every other one a page."""
    assert set(ALL_ADMIN_PAGES) >= WITHOUT_VISIBLE_OBJECT, sorted(WITHOUT_VISIBLE_OBJECT - set(ALL_ADMIN_PAGES))
    wrong = []
    for name, role in ALL_ADMIN_PAGES:
        response = w.client(role).get(ROUTES[name].url(admin_values(w, ROUTES[name])))
        missing = response.status_code == 302 and response["Location"] == "/admin/"
        if missing != ((name, role) in WITHOUT_VISIBLE_OBJECT):
            wrong.append(f"{name} as {role}: {response.status_code}")
    assert not wrong, wrong


@pytest.mark.parametrize(("name", "role"), ADMIN_PAGES, ids=[f"{n}-{r}" for n, r in ADMIN_PAGES])
def test_hostile_payloads_in_every_staff_form(w: World, name: str, role: str) -> None:
    url, _page, forms = _render(w, name, role)
    client = w.client(role)
    failures = []
    for form in forms:
        for payload_name, payload in HOSTILE.items():
            sid = transaction.savepoint()
            found = problem(_post(client, form, dict.fromkeys(form.text_fields, payload)), payload_name, payload)
            if found:
                failures.append(f"POST {form.action} (form of {url}) as {role} with {payload_name}: {found}")
            transaction.savepoint_rollback(sid)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("name", "role"), ADMIN_PAGES, ids=[f"{n}-{r}" for n, r in ADMIN_PAGES])
def test_every_staff_form_survives_its_maximum_lengths(w: World, name: str, role: str) -> None:
    url, page, forms = _render(w, name, role)
    client = w.client(role)
    for form in forms:
        sid = transaction.savepoint()
        response = _post(client, form, _at_max(form, page))
        transaction.savepoint_rollback(sid)
        assert response.status_code < 500, f"POST {form.action} (form of {url}) as {role} at maximum lengths"


@pytest.mark.parametrize(("name", "role"), FORM_PAGES, ids=[f"{n}-{r}" for n, r in FORM_PAGES])
def test_every_portal_form_survives_its_maximum_lengths(w: World, name: str, role: str) -> None:
    url, forms = forms_of(w, name, role)
    assert forms, f"{url}: no form with a text field any more (test_hostile_input.WITH_FORMS holds the list)"
    page = w.client(role).get(url).content.decode()
    client = w.client(role)
    for form in forms:
        sid = transaction.savepoint()
        response = _post(client, form, _at_max(form, page)) if form.method == "post" else client.get(url)
        transaction.savepoint_rollback(sid)
        assert response.status_code < 500, f"{form.method.upper()} {form.action} (form of {url}) as {role}"


def test_xss_payloads_are_part_of_the_staff_battery() -> None:
    assert set(HOSTILE) >= XSS
