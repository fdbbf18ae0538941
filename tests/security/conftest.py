"""The world the security battery attacks: everything teacher A owns, built through the apps' own services.

`build_world()` makes, in an empty database:

- the cast: teacher A (fdupont), teacher B (fdupont1), staff without group (TOTP enrolled), rectorat, DRH,
  and a newcomer teacher with a dossier and nothing else (whose first visits may create things);
- A's dossier, two CV entries and CV contact; a « signaler une erreur » (a conversation with the
  correspondant de gestion, answered by the rectorat); a DRH courrier with a PDF attachment;
- a published guide with a document, and a draft guide;
- SIAM « saisie » campagne (open now): A's demande, three voeux, a declared motif, a pièce justificative;
  B's demande with one voeu;
- SIAM « affichage » campagne: A's demande, its barème displayed, the contestation form open;
- SIAM « résultats » campagne (all dates past): A's demande and voeux entered during its saisie,
  barèmes computed, a contestation with a pièce during the display of barèmes, the tie-break seed,
  the mouvement run and its publication (the result courrier lands in A's inbox).

`World.obj(name)` gives the object behind a name used by the access matrix (`"demande"`, `"voeu"`…).
The module-scoped `world` fixture builds it once per test module inside one transaction; every test
then runs in a savepoint (pytest-django's `db`), so each test starts from the same world.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from accounts.models import Agent
from lib.roles import DRH, RECTORAT
from tests.factories import make_staff, make_teacher, referentiel

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Settings every world needs: private files in a temporary directory, fast password hashing,
# mail kept in memory, background tasks run at once.
WORLD_SETTINGS: dict[str, Any] = {
    "PASSWORD_HASHERS": FAST_HASHER,
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    # the batteries write dozens of conversations as teacher A in one test: the per-teacher quotas
    # (tested in tests/courrier/test_courrier_quotas.py) must not refuse them here
    "COURRIER_CONVERSATIONS_PER_DAY": 10_000,
    "COURRIER_CONVERSATIONS_MAX": 10_000,
}

# The roles of the access matrix, in the order the ids show them.
ANON, A, B, STAFF, RECT, DRH_ROLE = "anonymous", "teacher_a", "teacher_b", "staff_nogroup", "rectorat", "drh"
ROLES = (ANON, A, B, STAFF, RECT, DRH_ROLE)
# Not a role of the matrix: a teacher with a dossier and nothing else, whose first visits create things.
NEWCOMER = "teacher_new"


@dataclass
class World:
    agents: dict[str, Agent]
    objects: dict[str, Any] = field(default_factory=dict)  # model instances of many kinds, by name
    # one login per role, made when the world is built: a test's client only carries the cookie
    sessions: dict[str, str] = field(default_factory=dict)

    def obj(self, name: str) -> Any:
        try:
            return self.objects[name]
        except KeyError:
            raise AssertionError(
                f"the world has no object named {name!r}: build it in tests/security/conftest.py (build_world)"
            ) from None

    def client(self, role: str, **kwargs: Any) -> Client:
        """A browser of ``role`` (its session made at build time; rolled back with each test's savepoint)."""
        client = Client(raise_request_exception=False, **kwargs)
        if role != ANON:
            if role not in self.sessions:
                login = Client()
                login.force_login(self.agents[role])
                self.sessions[role] = login.cookies[settings.SESSION_COOKIE_NAME].value
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client


def _campagne(slug: str, *, year: int, start: datetime.datetime, libelle: str) -> Any:
    """An intra campagne of the académie whose saisie opens at ``start``; each later milestone a week apart."""
    from siam.models import Campagne, CampagneKind, TypeVoeu

    names = (
        "saisie_debut",
        "saisie_fin",
        "confirmation_debut",
        "retour_pieces_fin",
        "bareme_affichage_debut",
        "bareme_affichage_fin",
        "baremes_definitifs",
        "annulation_fin",
        "resultats",
    )
    dates = {name: start + datetime.timedelta(days=7 * i) for i, name in enumerate(names)}
    return Campagne.objects.create(
        slug=slug,
        kind=CampagneKind.INTRA,
        year=year,
        academie=referentiel()["academie"],
        libelle=libelle,
        max_voeux=25,
        types_voeux=list(TypeVoeu.values),
        **dates,
    )


def _reference() -> dict[str, Any]:
    from dossier.models import Commune, Etablissement

    ref = referentiel()
    riom = Commune.objects.create(
        code_insee="63300", nom="Riom", departement=ref["departement"], latitude="45.89", longitude="3.11"
    )
    college = Etablissement.objects.create(
        uai="0631018P", nom="Collège Albert-Camus", type="CLG", commune=ref["commune"], education_prioritaire="REP+"
    )
    return {**ref, "riom": riom, "college": college}


def _cast() -> dict[str, Agent]:
    return {
        A: make_teacher("Frédéric", "Dupont"),
        B: make_teacher("Françoise", "Dupont", echelon=9),
        STAFF: make_staff("Sam", "Sansgroupe"),
        RECT: make_staff("Claire", "Gestion", RECTORAT),
        DRH_ROLE: make_staff("Denis", "Rh", DRH),
        NEWCOMER: make_teacher("Nora", "Nouvelle"),
    }


def _dossier_and_courrier(world: World) -> None:
    from dossier.services.cv import add_cv_entry, save_cv_contact
    from dossier.services.signalement import signaler_erreur
    from iprof.courrier.models import Attachment, CorrespondantGestion, Message
    from iprof.courrier.services import post_courrier, write_in_conversation

    a, rectorat = world.agents[A], world.agents[RECT]
    entry = {"organisme": "Université Clermont-Auvergne", "description": "", "date_fin": None}
    world.objects["cv_entry"] = add_cv_entry(
        agent=a, data={**entry, "section": "diplome", "titre": "Master MEEF", "date_debut": datetime.date(2010, 9, 1)}
    )
    world.objects["cv_entry_2"] = add_cv_entry(
        agent=a, data={**entry, "section": "diplome", "titre": "Licence", "date_debut": datetime.date(2007, 9, 1)}
    )
    world.objects["cv_contact"] = save_cv_contact(agent=a, email="f.dupont@example.org", telephone="04 73 00 00 00")
    world.objects["correspondant"] = CorrespondantGestion.objects.create(
        libelle="Bureau des personnels enseignants", groupe=Group.objects.get(name=RECTORAT)
    )
    signalement = signaler_erreur(agent=a, rubrique="carriere", message="Mon échelon n'est pas le bon depuis 2023.")
    world.objects["signalement"] = signalement
    conversation = a.conversations.get()
    world.objects["conversation"] = conversation
    world.objects["reply"] = write_in_conversation(
        conversation=conversation,
        author=rectorat,
        corps="Nous vérifions.",
        attachment=("reponse.pdf", PDF, "application/pdf"),
    )
    posted = post_courrier(
        recipients=[a.pk],
        sujet="Note d'information",
        corps="Votre promotion d'échelon.",
        key="securite-note-a",
        attachments=[("arrete.pdf", PDF, "application/pdf")],
    )
    message = Message.objects.select_related("envoi").get(envoi_id=posted.envoi_id, recipient=a)
    world.objects.update(
        message=message,
        envoi=message.envoi,
        attachment=Attachment.objects.get(message=message),
        reply_attachment=Attachment.objects.get(message=world.objects["reply"]),
    )


def _guides(world: World) -> None:
    from iprof.guides.models import Guide, PieceJointeGuide

    guide = Guide.objects.create(
        titre="Guide des règles du mouvement",
        slug="guide-regles-mouvement",
        section="mouvement",
        resume="Tout sur les voeux.",
        corps="## Les voeux\n\nClassez vos **voeux** par ordre de préférence.",
        published=True,
    )
    piece = PieceJointeGuide(guide=guide, titre="Note de service")
    piece.fichier.save("note-de-service.pdf", ContentFile(PDF), save=True)
    draft = Guide.objects.create(
        titre="Brouillon du rectorat", slug="brouillon", section="portail", corps="En préparation.", published=False
    )
    draft_piece = PieceJointeGuide(guide=draft, titre="Document en préparation")
    draft_piece.fichier.save("brouillon.pdf", ContentFile(PDF), save=True)
    world.objects.update(guide=guide, guide_file=piece, draft_guide=draft, draft_file=draft_piece)


def _saisie_campagne(world: World, ref: dict[str, Any]) -> None:
    """A campagne whose saisie is open now: A's demande, voeux, motif and pièce; B's demande."""
    from siam.models import Poste
    from siam.services.demandes import start_demande
    from siam.services.motifs import declare_motif
    from siam.services.pieces import upload_piece
    from siam.services.voeux import add_voeu

    a, b = world.agents[A], world.agents[B]
    campagne = _campagne(
        "intra-securite", year=2090, start=timezone.now() - datetime.timedelta(days=2), libelle="Intra (saisie ouverte)"
    )
    demande = start_demande(agent=a, campagne=campagne)
    voeux = [
        add_voeu(demande=demande, auteur=a, version=demande.version, voeu_type=t, code=code)
        for t, code in (("ETB", ref["college"].uai), ("COM", ref["riom"].code_insee), ("DPT", "063"))
    ]
    motif = declare_motif(demande=demande, auteur=a, version=demande.version, motif="rqth")
    piece = upload_piece(demande=demande, fichier=SimpleUploadedFile("rqth.pdf", PDF), motif=motif, description="RQTH")
    demande_b = start_demande(agent=b, campagne=campagne)
    voeu_b = add_voeu(demande=demande_b, auteur=b, version=demande_b.version, voeu_type="ETB", code=ref["college"].uai)
    # a post of the list, for « Ajouter à mes vœux »
    poste = Poste.objects.create(
        campagne=campagne, discipline=ref["discipline"], etablissement=ref["etablissement"], nombre=1
    )
    world.objects.update(
        poste=poste,
        campagne=campagne,
        demande=demande,
        voeu=voeux[1],
        voeu_first=voeux[0],
        voeu_last=voeux[2],
        motif=motif,
        piece=piece,
        demande_b=demande_b,
        voeu_b=voeu_b,
        demande_version=demande.versions.order_by("pk").last(),
    )


def _resultats_campagne(world: World, ref: dict[str, Any]) -> None:
    """A campagne run through every phase (time travel), now in its results: A's result is published."""
    from siam.models import Campagne
    from siam.models.mouvement import MouvementResultat
    from siam.services.bareme import recompute_baremes
    from siam.services.bareme.contestation import open_contestation
    from siam.services.bareme.departage import draw_seed
    from siam.services.demandes import start_demande
    from siam.services.mouvement import run_mouvement
    from siam.services.mouvement.publication import publish_run
    from siam.services.voeux import add_voeu

    a, rectorat, drh = world.agents[A], world.agents[RECT], world.agents[DRH_ROLE]
    start = timezone.now() - datetime.timedelta(days=7 * 9)
    campagne: Campagne = _campagne("intra-resultats", year=2089, start=start, libelle="Intra (résultats publiés)")
    with time_machine.travel(start + datetime.timedelta(days=1), tick=True):
        demande = start_demande(agent=a, campagne=campagne)
        voeu = add_voeu(demande=demande, auteur=a, version=demande.version, voeu_type="ETB", code=ref["college"].uai)
        add_voeu(demande=demande, auteur=a, version=demande.version, voeu_type="COM", code=ref["riom"].code_insee)
    with time_machine.travel(campagne.saisie_fin + datetime.timedelta(hours=1), tick=True):
        recompute_baremes(campagne=campagne)
    with time_machine.travel(campagne.bareme_affichage_debut + datetime.timedelta(hours=1), tick=True):
        contestation = open_contestation(
            demande=demande,
            motif="Mon ancienneté de poste est fausse.",
            voeu=voeu,
            fichier=SimpleUploadedFile("attestation.pdf", PDF),
        )
        seed = draw_seed(campagne=campagne, staff=rectorat)
    run = run_mouvement(campagne=campagne, by=rectorat)
    publish_run(run=run, by=drh)
    world.objects.update(
        campagne_resultats=campagne,
        demande_resultats=demande,
        voeu_resultats=voeu,
        contestation=contestation,
        tirage=seed,
        run=run,
        resultat=MouvementResultat.objects.get(run=run, demande=demande),
        bareme_voeu=voeu.bareme,  # type: ignore[attr-defined]
    )


def _affichage_campagne(world: World, ref: dict[str, Any]) -> None:
    """A campagne now in its « affichage des barèmes »: A may ask for a correction (the contestation form)."""
    from siam.services.bareme import recompute_baremes
    from siam.services.demandes import start_demande
    from siam.services.voeux import add_voeu

    a = world.agents[A]
    start = timezone.now() - datetime.timedelta(days=7 * 4 + 1)  # the display opens 4 weeks after the saisie
    campagne = _campagne("intra-affichage", year=2088, start=start, libelle="Intra (barèmes affichés)")
    with time_machine.travel(start + datetime.timedelta(days=1), tick=True):
        demande = start_demande(agent=a, campagne=campagne)
        add_voeu(demande=demande, auteur=a, version=demande.version, voeu_type="ETB", code=ref["college"].uai)
    with time_machine.travel(campagne.saisie_fin + datetime.timedelta(hours=1), tick=True):
        recompute_baremes(campagne=campagne)
    world.objects.update(campagne_affichage=campagne, demande_affichage=demande)


def _spea(world: World, ref: dict[str, Any]) -> None:
    """A profiled post of the open campagne, and A's application to it (letter and CV)."""
    from dossier.models import CVEntry
    from siam.models import Poste
    from siam.services.spea import submit_candidature

    a = world.agents[A]
    poste = Poste.objects.create(
        campagne=world.obj("campagne"), discipline=ref["discipline"], etablissement=ref["college"], nombre=1,
        profile=True, profil="Section européenne.",
    )  # fmt: skip
    if not CVEntry.objects.filter(agent=a).exists():
        CVEntry.objects.create(agent=a, section="diplome", titre="Certification DNL")
    lettre = SimpleUploadedFile("lettre.pdf", PDF)
    world.objects.update(spea_poste=poste, candidature=submit_candidature(agent=a, poste=poste, lettre=lettre))


def build_world() -> World:
    world = World(agents=_cast())
    ref = _reference()
    world.objects["dossier"] = world.agents[A].dossier  # type: ignore[attr-defined]
    _dossier_and_courrier(world)
    _guides(world)
    _saisie_campagne(world, ref)
    _spea(world, ref)
    _resultats_campagne(world, ref)
    _affichage_campagne(world, ref)
    world.objects.update(agent_a=world.agents[A], agent_b=world.agents[B])
    for role in (*ROLES[1:], NEWCOMER):
        # one request: the session gets its start time and, for staff, the second-factor check
        world.client(role).get("/sante/")
    return world


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Built once per module inside a transaction that is rolled back at the end of the module."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, **WORLD_SETTINGS), transaction.atomic():
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def w(world: World, db: None) -> World:
    """The world, inside this test's savepoint."""
    return world


# --- Every URL the project serves, from Django's resolver ------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern: its namespaced name (or ``ns:<route>`` when unnamed), its route, its kwargs."""

    name: str
    route: str
    kwargs: tuple[str, ...]
    pattern: URLPattern = field(compare=False, repr=False)

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    def url(self, values: dict[str, Any]) -> str:
        missing = set(self.kwargs) - set(values)
        assert not missing, f"{self.name}: no value for {sorted(missing)}"
        if ":<" not in self.name:
            return reverse(self.name, kwargs={k: values[k] for k in self.kwargs})
        # unnamed patterns (the admin's object redirect and catch-all) cannot be reversed
        url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), self.route)
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), url)
        return "/" + url.replace("^", "").replace("$", "")


def _kwargs_of(pattern: Any) -> tuple[str, ...]:
    if isinstance(pattern, RoutePattern):
        return tuple(re.findall(r"<(?:\w+:)?(\w+)>", str(pattern)))
    return tuple(pattern.regex.groupindex)


def walk_urls(resolver: URLResolver | None = None, prefix: str = "", ns: str = "") -> Iterator[Route]:
    """Every URL pattern, recursively through includes, with namespaces (``siam:voeux``, ``admin:index``)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{ns}:{entry.namespace}" if ns and entry.namespace else (entry.namespace or ns)
            for inner_route in walk_urls(entry, prefix + str(entry.pattern), inner):
                kwargs = _kwargs_of(entry.pattern) + inner_route.kwargs
                yield Route(inner_route.name, inner_route.route, kwargs, inner_route.pattern)
            continue
        path = prefix + str(entry.pattern)
        # unnamed patterns (the admin's object redirect, its catch-all) are named by their route
        name = (f"{ns}:{entry.name}" if ns else entry.name) if entry.name else f"{ns}:<{path}>"
        yield Route(name, path, _kwargs_of(entry.pattern), entry)


def all_routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for route in walk_urls():
        # a name reused by two patterns (rare) keeps the one reverse() gives
        seen.setdefault(route.name, route)
    return list(seen.values())


# --- What a response means ---------------------------------------------------------------------------

OK, LOGIN, REDIRECT, ALLOWED = "200", "login", "redirect", "allowed"
BAD_REQUEST, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, CONFLICT = "400", "403", "404", "405", "409"
LOGIN_PATHS = ("/compte/login/", "/admin/login/")


def outcome(response: Any) -> str:
    """200 / login (a redirect to a login page) / redirect (anywhere else) / the status code."""
    if response.status_code in (301, 302, 303, 307, 308):
        return LOGIN if response["Location"].startswith(LOGIN_PATHS) else REDIRECT
    return str(response.status_code)


def matches(expected: str, got: str) -> bool:
    """ALLOWED: the page is served, or redirects somewhere other than a login page."""
    return got in (OK, REDIRECT) if expected == ALLOWED else got == expected


# --- Forms, as a browser sees them (html.parser, no third-party parser) -----------------------------

TEXT_INPUTS = {"text", "search", "email", "tel", "url", "number", "date", "password", "datetime-local", "time"}


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, value as rendered)
    selects: dict[str, list[str]] = field(default_factory=dict)

    @property
    def text_fields(self) -> list[str]:
        return [name for name, kind, _value in self.fields if kind in TEXT_INPUTS or kind == "textarea"]

    @property
    def has_file(self) -> bool:
        return any(kind == "file" for _n, kind, _v in self.fields)

    def data(self, **overrides: str) -> list[tuple[str, str]]:
        """What the browser would send (overrides replace a field's value), file inputs left out."""
        sent = [(name, overrides.get(name, value)) for name, kind, value in self.fields if kind != "file"]
        return sent + [(k, v) for k, v in overrides.items() if k not in {n for n, _k, _v in self.fields}]


class _FormParser(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, selected
        self._option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(urljoin(self.url, a.get("action") or self.url), (a.get("method") or "get").lower())
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "image", "button", "reset") and any(k == "submit" for _n, k, _v in self._form.fields):
                return  # a browser sends the one button clicked: the first
            self._form.fields.append((name, kind, a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "button" and name and (a.get("type") or "submit") == "submit":
            if not any(k == "submit" for _n, k, _v in self._form.fields):
                self._form.fields.append((name, "submit", a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = (name, [], [])
        elif tag == "option" and self._select is not None:
            # an option without a value attribute sends its text (filled in by handle_data)
            self._option = None if "value" in a else ""
            self._select[1].append(a.get("value", ""))
            if "selected" in a:
                self._select[2].append(a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._select is not None and self._option is not None:
            self._option += data
            self._select[1][-1] = self._option.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self._option = None
        elif tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            self._form.fields.append((name, "textarea", "".join(parts).removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, selected = self._select
            self._form.selects[name] = options
            chosen = selected or options[:1]
            self._form.fields.extend((name, "select", value) for value in chosen)
            self._select = None


def parse_forms(url: str, html: str) -> list[Form]:
    parser = _FormParser(url)
    parser.feed(html)
    return parser.forms


# --- A cheap fingerprint of the whole database -------------------------------------------------------

# Written by every request (sessions, the rate-limit cache): not the application's state.
VOLATILE_TABLES = {"accounts_agentsession", "django_session", settings.CACHES["default"].get("LOCATION", "")}


def app_tables() -> list[str]:
    from django.apps import apps

    tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed}
    return sorted(tables - VOLATILE_TABLES)


def fingerprint() -> dict[str, tuple[int, str]]:
    """Per table: the row count and an order-independent hash of every row (catches any insert, update, delete)."""
    tables = app_tables()
    row_hash = "coalesce(md5(string_agg(md5(t::text), ',' ORDER BY md5(t::text))), '')"
    # table names come from the models, quoted: no user input reaches this SQL
    selects = [f"SELECT %s, count(*), {row_hash} FROM {connection.ops.quote_name(name)} t" for name in tables]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), tables)
        return {name: (count, digest) for name, count, digest in cursor.fetchall()}


def changed_tables(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> dict[str, str]:
    return {
        name: f"{before[name][0]} → {after[name][0]} rows" + ("" if before[name][0] != after[name][0] else " (updated)")
        for name in before
        if before[name] != after.get(name)
    }
