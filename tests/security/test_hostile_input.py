"""Hostile input: SQL injection, XSS and unicode oddities in every text field of every form.

The forms are found, not listed: each page the access matrix says teacher A may open (and the public
pages, and the staff pages for the rectorat or the DRH) is fetched, its `<form>`s parsed with the
standard library's html.parser, and every text field (input text/email/tel/number/date/search/password,
textarea) filled with one payload while the other fields keep what the page rendered (CSRF token,
hidden version fields, selects). Expected: never a 5xx, and never the raw XSS payload in the answer
(nor in the page a redirect leads to) — its escaped form may appear. Then the stored payloads are read
back on every page of A, of the rectorat and of the DRH.

Hypothesis fuzzes the voeux form (siam) and the CV entry form (dossier) with arbitrary text and numbers:
200/302/4xx only, and the lists stay sound (voeux ranked 1..n without gap or duplicate; CV dates coherent).
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.models import CVEntry
from siam.models import Voeu
from tests.properties import examples
from tests.security.conftest import (
    ANON,
    DRH_ROLE,
    OK,
    RECT,
    A,
    Form,
    World,
    parse_forms,
)
from tests.security.test_access_matrix import ROUTES, expectations_of, values_for

PAYLOADS = {
    "sql-or": "' OR 1=1 --",
    "sql-drop-table": '"; DROP TABLE accounts_agent; --',
    "xss-script": "<script>alert(1)</script>",
    "xss-img-onerror": '"><img src=x onerror=alert(1)>',
    "rtl-override": "facture\u202efdp.exe",
    "zero-width-joiner": "a\u200db\u200dc\u200b",
    "nul-byte": "avant\x00après",
    "long-10000": "é" * 10_000,
    "emoji": "👩\u200d🏫 📚 🎓",
    "combining-accents": "e\u0301\u0302\u0303 Z\u0351\u0352\u0353",
    # not valid UTF-8 once encoded: sent as the raw bytes a careless client would produce
    "lone-surrogate": "abc\ud800def",
}
XSS = {"xss-script", "xss-img-onerror"}
# One worker for the whole module under pytest-xdist: which page attacks a shared form is decided by the
# order the pages are rendered in, in this process.
pytestmark = pytest.mark.xdist_group("hostile-input")


def _pages() -> list[tuple[str, str]]:
    """(URL name, role) of every page with a GET the table says is served: A's, public ones, staff ones."""
    pages = []
    for name, route in ROUTES.items():
        if route.is_admin or not expectations_of(name):
            continue
        roles = expectations_of(name)[0].roles
        if roles[A][0] == OK:
            pages.append((name, A))
        else:
            pages += [(name, r) for r in (RECT, DRH_ROLE) if roles[r][0] == OK][:1]
        if roles[ANON][0] == OK:
            pages.append((name, ANON))
    return pages


PAGES = _pages()
_seen_forms: dict[tuple[str, str, tuple[str, ...]], str] = {}  # the page that owns each form (first found)
# Pages as rendered from the world (every test rolls back to it, so a page renders the same each time).
_rendered: dict[tuple[str, str], tuple[str, list[Form]]] = {}


def forms_of(w: World, name: str, role: str) -> tuple[str, list[Form]]:
    """The page's forms that have a text field and were not already attacked from another page."""
    if (name, role) not in _rendered:
        _rendered[name, role] = _render(w, name, role)
    return _rendered[name, role]


def _render(w: World, name: str, role: str) -> tuple[str, list[Form]]:
    route = ROUTES[name]
    url = route.url(values_for(w, route, expectations_of(name)[0]))
    response = w.client(role).get(url)
    assert response.status_code == 200, f"GET {url} as {role}: {response.status_code}"
    if response.streaming or not response["Content-Type"].startswith("text/html"):
        return url, []  # a download
    found = []
    for form in parse_forms(url, response.content.decode()):
        key = (role, urlsplit(form.action).path, tuple(sorted(form.text_fields)))
        if form.text_fields and _seen_forms.setdefault(key, name) == name:
            found.append(form)
    return url, found


def encode(data: list[tuple[str, str]]) -> str:
    return urlencode(data, encoding="utf-8", errors="surrogatepass")


def submit(client: Any, form: Form, payload: str) -> Any:
    data = encode(form.data(**dict.fromkeys(form.text_fields, payload)))
    if form.method == "get":
        return client.get(f"{urlsplit(form.action).path}?{data}")
    return client.post(form.action, data, content_type="application/x-www-form-urlencoded")


def problem(response: Any, payload_name: str, payload: str) -> str | None:
    """What is wrong with the answer to a hostile submission, if anything."""
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    html = not response.streaming and response["Content-Type"].startswith("text/html")
    if payload_name in XSS and html and payload in response.content.decode(errors="replace"):
        return f"the payload {payload!r} is reflected unescaped"
    return None


def assert_clean(response: Any, what: str, payload_name: str, payload: str) -> None:
    found = problem(response, payload_name, payload)
    assert found is None, f"{what}: {found}"


# The pages whose forms the battery attacks, written out: the other pages of PAGES have no text field, or
# share their form with a page above (attacked there once). A page listed here that loses its form fails;
# a page that gains one fails test_the_pages_with_forms_are_the_ones_listed until it is listed here.
WITH_FORMS = {
    ("accounts:identifiant-oublie", A),
    ("accounts:identifiant-oublie", ANON),
    ("account_login", ANON),
    ("account_reauthenticate", A),
    ("account_change_password", A),
    ("account_reset_password", A),
    ("account_reset_password", ANON),
    ("mfa_reauthenticate", RECT),
    ("courrier:conversation-new", A),
    ("courrier:conversation", A),
    ("courrier:gestion", RECT),
    ("courrier:gestion-conversation", RECT),
    ("courrier:diffusion", DRH_ROLE),
    ("guides:list", A),
    ("dossier:signaler", A),
    ("dossier:cv-add", A),
    ("dossier:cv-contact", A),
    ("dossier:cv-edit", A),
    ("siam:postes", A),
    ("siam:demande", A),
    ("siam:voeux", A),
    ("siam:pieces", A),
    ("siam:bareme", A),
}
FORM_PAGES = [page for page in PAGES if page in WITH_FORMS]  # in the order of PAGES: who owns a shared form


@pytest.mark.parametrize(("name", "role"), FORM_PAGES, ids=[f"{n}-{r}" for n, r in FORM_PAGES])
def test_hostile_payloads_in_every_text_field_of_the_page_forms(w: World, name: str, role: str) -> None:
    url, forms = forms_of(w, name, role)
    assert forms, f"{url}: no form with a text field any more: take it out of WITH_FORMS"
    client = w.client(role)
    failures = []
    for form in forms:
        what = f"{form.method.upper()} {form.action} (form of {url}, fields {form.text_fields}) as {role}"
        for payload_name, payload in PAYLOADS.items():
            sid = transaction.savepoint()
            response = submit(client, form, payload)
            found = problem(response, payload_name, payload)
            if found is None and response.status_code in (301, 302, 303):
                found = problem(client.get(response["Location"]), payload_name, payload)
                found = found and f"after the redirect to {response['Location']}: {found}"
            if found:
                failures.append(f"{what} with {payload_name}: {found}")
            transaction.savepoint_rollback(sid)  # each submission starts from the page as rendered
    assert not failures, "\n".join(failures)


def test_the_pages_with_forms_are_the_ones_listed(w: World) -> None:
    assert set(PAGES) >= WITH_FORMS, f"not a page any more: {sorted(WITH_FORMS - set(PAGES))}"
    found = {(name, role) for name, role in PAGES if forms_of(w, name, role)[1]}
    assert sorted(found - WITH_FORMS) == [], "pages with a form to attack: add them to WITH_FORMS"
    assert sorted(WITH_FORMS - found) == [], "pages without a form to attack: take them out of WITH_FORMS"


def test_the_battery_finds_the_forms_it_must_attack(w: World) -> None:
    """A guard: if the parser stopped seeing forms, every case above would pass by skipping."""
    actions = set()
    for name, role in PAGES:
        route = ROUTES[name]
        url = route.url(values_for(w, route, expectations_of(name)[0]))
        response = w.client(role).get(url)
        if response.streaming or not response["Content-Type"].startswith("text/html"):
            continue
        actions |= {urlsplit(f.action).path for f in parse_forms(url, response.content.decode()) if f.text_fields}
    demande, affichage = w.obj("demande").pk, w.obj("demande_affichage").pk
    must_find = (
        "/dossier/cv/ajouter/",
        "/dossier/signaler/",
        f"/siam/demandes/{demande}/voeux/ajouter/",
        f"/siam/demandes/{demande}/motifs/",
        f"/siam/demandes/{affichage}/bareme/contester/",
        "/courrier/correspondant/nouveau/",
        "/courrier/diffusion/",
    )
    for must in must_find:
        assert must in actions, f"no form posting to {must} was found: {sorted(actions)}"


# --- Stored payloads, read back everywhere -----------------------------------------------------------

# Staff pages in the admin that show what teachers write.
ADMIN_READERS = (
    "/admin/dossier/cventry/",
    "/admin/dossier/signalementerreur/",
    "/admin/courrier/conversation/",
    "/admin/siam/motifdeclare/",
    "/admin/siam/demande/",
    "/admin/siam/piecejustificative/",
)


def test_stored_xss_payloads_are_escaped_wherever_they_are_shown(w: World) -> None:
    """Both XSS payloads, written into every form (and, valid, where teachers' words are kept), then
    every page of A, of the rectorat and of the DRH read back, with the admin pages that list them."""
    for payload_name in sorted(XSS):
        payload = PAYLOADS[payload_name]
        for name, role in PAGES:
            for form in forms_of(w, name, role)[1]:
                if form.method == "post":
                    submit(w.client(role), form, payload)
        valid = {
            "/dossier/cv/ajouter/": {
                "section": "langue",
                "titre": payload,
                "organisme": payload,
                "description": payload,
            },
            "/dossier/signaler/": {"rubrique": "carriere", "message": payload * 2},
            "/courrier/correspondant/nouveau/": {"sujet": payload, "corps": payload},
        }
        for path, data in valid.items():
            assert w.client(A).post(path, data).status_code == 302, path
    readers = list(PAGES) + [(path, r) for path in ADMIN_READERS for r in (RECT, DRH_ROLE)]
    for page, role in readers:
        if page.startswith("/"):
            url = page
        else:
            route = ROUTES[page]
            url = route.url(values_for(w, route, expectations_of(page)[0]))
        response = w.client(role).get(url)
        if response.streaming:
            continue
        for payload_name in sorted(XSS):
            assert_clean(
                response, f"GET {url} as {role} after the payload was stored", payload_name, PAYLOADS[payload_name]
            )


# --- Hypothesis: the voeux form and the CV form ---------------------------------------------------------
# Each example is a short sequence of submissions made from the world's state and rolled back after it,
# so that a failing sequence replays exactly.

FUZZ = settings(
    max_examples=examples(50),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.text(st.characters(codec="utf-8"), max_size=60)
anything = st.one_of(text, st.integers(min_value=-(2**63), max_value=2**63).map(str), st.just(""))
CLEAN = (200, 302)


def answered_cleanly(response: Any) -> bool:
    return response.status_code in CLEAN or 400 <= response.status_code < 500


def voeux_are_sound(demande_id: int) -> None:
    ranks = list(Voeu.objects.filter(demande_id=demande_id).order_by("rang").values_list("rang", flat=True))
    assert ranks == list(range(1, len(ranks) + 1)), f"voeux ranks have a gap or a duplicate: {ranks}"
    targets = list(
        Voeu.objects.filter(demande_id=demande_id).values_list(
            "type", "filtre", "etablissement", "commune", "groupement", "departement", "academie", "zone_remplacement"
        )
    )
    assert len(targets) == len(set(targets)), "the same voeu is twice in the list"


voeu_add = st.tuples(
    st.just("add"),
    st.one_of(st.sampled_from(["ETB", "COM", "DPT", "GEO", "ZRE", "ACA"]), text),
    st.one_of(st.sampled_from(["0631018P", "0630018C", "63113", "63300", "063", "63", "CLERMONT"]), anything),
    st.one_of(st.sampled_from(["TOUT", "CLG", "LYC"]), text),
)
voeu_change = st.tuples(st.sampled_from(["remove", "up", "down"]), st.integers(min_value=0, max_value=5))
version = st.one_of(st.just("current"), st.just("current"), anything)


@FUZZ
@given(steps=st.lists(st.tuples(st.one_of(voeu_add, voeu_change), version), min_size=1, max_size=3))
def test_fuzzed_voeux_are_refused_cleanly_or_saved_and_the_list_stays_sound(
    w: World, steps: list[tuple[tuple[Any, ...], str]]
) -> None:
    demande = w.obj("demande")
    client = w.client(A)
    sid = transaction.savepoint()
    try:
        for operation, sent_version in steps:
            current = type(demande).objects.get(pk=demande.pk).version
            data: dict[str, Any] = {"version": current if sent_version == "current" else sent_version}
            if operation[0] == "add":
                data.update(type=operation[1], code=operation[2], filtre=operation[3])
                url = f"/siam/demandes/{demande.pk}/voeux/ajouter/"
            else:
                voeux = list(Voeu.objects.filter(demande=demande).order_by("rang"))
                if not voeux:
                    continue
                voeu = voeux[operation[1] % len(voeux)]
                if operation[0] == "remove":
                    url = f"/siam/voeux/{voeu.pk}/supprimer/"
                else:
                    url, data["direction"] = f"/siam/voeux/{voeu.pk}/deplacer/", operation[0]
            response = client.post(
                url, encode([(k, str(v)) for k, v in data.items()]), content_type="application/x-www-form-urlencoded"
            )
            assert answered_cleanly(response), f"POST {url} {data}: {response.status_code}"
            voeux_are_sound(demande.pk)
    finally:
        transaction.savepoint_rollback(sid)


dates = st.one_of(st.dates(min_value=datetime.date(1, 1, 1)).map(str), anything)
cv_entry = st.fixed_dictionaries(
    {
        "section": st.one_of(st.sampled_from(["formation", "diplome", "activite", "langue", "publication"]), text),
        "titre": st.one_of(text, st.text(max_size=300)),
        "organisme": text,
        "date_debut": dates,
        "date_fin": dates,
        "description": st.text(max_size=2100),
    }
)


def cv_is_sound(agent: Any) -> None:
    today = timezone.localdate()
    for entry in CVEntry.objects.for_agent(agent):
        if entry.date_debut and entry.date_fin:
            assert entry.date_fin >= entry.date_debut, f"{entry}: ends before it starts"
        if entry.date_debut:
            assert datetime.date(1940, 1, 1) <= entry.date_debut <= today, f"{entry}: starts {entry.date_debut}"
    with connection.cursor() as cursor:  # within a section, no two entries share a place
        cursor.execute(
            "SELECT section, count(*), count(DISTINCT ordre) FROM dossier_cventry WHERE agent_id = %s GROUP BY section",
            [agent.pk],
        )
        for section_name, count, distinct in cursor.fetchall():
            assert count == distinct, f"two CV entries share a place in « {section_name} »"


@FUZZ
@given(steps=st.lists(st.tuples(st.sampled_from(["add", "edit"]), cv_entry), min_size=1, max_size=2))
def test_fuzzed_cv_entries_are_refused_cleanly_or_saved_with_coherent_dates(
    w: World, steps: list[tuple[str, dict[str, str]]]
) -> None:
    agent = w.agents[A]
    client = w.client(A)
    sid = transaction.savepoint()
    try:
        for kind, data in steps:
            url = f"/dossier/cv/{w.obj('cv_entry').pk}/modifier/" if kind == "edit" else "/dossier/cv/ajouter/"
            response = client.post(url, encode(list(data.items())), content_type="application/x-www-form-urlencoded")
            assert answered_cleanly(response), f"POST {url}: {response.status_code}"
            cv_is_sound(agent)
    finally:
        transaction.savepoint_rollback(sid)
